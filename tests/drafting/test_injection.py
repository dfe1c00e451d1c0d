"""Hostile customer text stays data: intact, once, only inside the fence; secrets never reach a prompt.

`tests/data/injection.jsonl` holds the hostile messages (English and Spanish):
"ignore previous instructions", fake fences and delimiter guesses, requests to
reveal the prompt or promise refunds, role-play, markup, invisible and
direction-changing characters, and very long text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from drafting.context import build_context
from drafting.prompts import (
    REWRITE_OPERATIONS,
    build_draft_messages,
    build_rewrite_messages,
    context_texts,
    new_delimiter,
)
from drafting.providers.base import Message
from drafting.secrets import SecretStore
from storage import config
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, Interaction, WorkItem
from storage.workitems import refresh_work_items
from tests.drafting.test_prompts import context_en, context_es

DATA = Path(__file__).resolve().parent.parent / "data" / "injection.jsonl"
# split("\n"), not splitlines(): some messages hold U+2028 and other characters splitlines() breaks on.
HOSTILE = [json.loads(line) for line in DATA.read_text(encoding="utf-8").split("\n") if line.strip()]
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_the_corpus_is_big_and_bilingual() -> None:
    assert len(HOSTILE) >= 150
    assert {m["lang"] for m in HOSTILE} == {"en", "es"}
    assert len({m["text"] for m in HOSTILE}) == len(HOSTILE)
    kinds = {m["kind"] for m in HOSTILE}
    assert {"ignore", "reveal", "promise", "roleplay", "fence", "markup", "zero_width", "long"} <= kinds


def fenced_data(messages: list[Message], delimiter: str) -> str:
    """The one data block of the user message; fails unless there is exactly one fence."""
    system, user = messages
    assert system.role == "system" and user.role == "user"
    opening, closing = f"<<<{delimiter}\n", f"\n{delimiter}>>>"
    assert user.content.count(opening) == 1 and user.content.count(closing) == 1
    start = user.content.index(opening) + len(opening)
    end = user.content.index(closing)
    assert start < end
    return user.content[start:end]


def assert_contained(messages: list[Message], delimiter: str, hostile: str) -> None:
    inside = fenced_data(messages, delimiter)
    assert delimiter not in inside
    assert delimiter not in hostile
    assert inside.count(hostile) == 1, "the message is not in the data block exactly once, byte for byte"
    assert sum(m.content.count(hostile) for m in messages) == 1, "the message appears outside the data block"


@pytest.mark.parametrize("hostile", HOSTILE, ids=[m["id"] for m in HOSTILE])
def test_hostile_message_stays_inside_the_fence(hostile: dict[str, str]) -> None:
    base = context_es() if hostile["lang"] == "es" else context_en()
    assert base.incoming is not None
    ctx = replace(base, incoming=replace(base.incoming, text=hostile["text"]))
    delimiter = new_delimiter(context_texts(ctx))
    assert_contained(build_draft_messages(ctx, delimiter=delimiter, agent_name="Leo"), delimiter, hostile["text"])


@pytest.mark.parametrize("hostile", HOSTILE[::4], ids=[m["id"] for m in HOSTILE[::4]])
def test_hostile_draft_stays_inside_the_fence_of_every_rewrite(hostile: dict[str, str]) -> None:
    ctx = context_es() if hostile["lang"] == "es" else context_en()
    delimiter = new_delimiter([hostile["text"], *context_texts(ctx)])
    for operation in REWRITE_OPERATIONS:
        messages = build_rewrite_messages(hostile["text"], operation, ctx, delimiter=delimiter)
        assert_contained(messages, delimiter, hostile["text"])


def test_hostile_messages_survive_the_database_and_the_context(db: Database) -> None:
    """Stored as incoming messages, read back by build_context, and fenced intact (both backends)."""
    with db.write() as s:
        for n, hostile in enumerate(HOSTILE):
            customer = Customer(customer_id=f"H-{n}", name=f"Hostile {n}", language=hostile["lang"])
            s.add(customer)
            s.flush()
            assert customer.id is not None
            s.add(
                Interaction(
                    source_id=f"hostile-{n}",
                    customer_id=customer.id,
                    channel="email",
                    direction="in",
                    occurred_at=NOW - timedelta(minutes=5),
                    subject="",
                    body=hostile["text"],
                )
            )
        s.flush()
        refresh_work_items(s)
    with db.session() as s:
        items = s.exec(select(WorkItem, Interaction).join(Interaction)).all()
        assert len(items) == len(HOSTILE)
        for item, interaction in items:
            assert item.id is not None
            ctx = build_context(s, item_id=item.id, now=NOW)
            assert ctx.incoming is not None and ctx.incoming.text == interaction.body
            delimiter = new_delimiter(context_texts(ctx))
            assert_contained(build_draft_messages(ctx, delimiter=delimiter), delimiter, interaction.body)


def test_a_canary_secret_never_reaches_a_prompt(db: Database) -> None:
    canary = "canary-7f3a9c1e-do-not-send"
    store = SecretStore()
    store.set("ai.api_key", canary)
    store.set("smtp.password", canary + "-smtp")
    config.set_value("ai.model", canary)
    config.set_value("ai.base_url", f"https://{canary}.example")
    config.set_value("smtp.user", canary)
    config.set_value("imap.user", canary)
    # The canary really is where a careless prompt builder could find it.
    assert store.get("ai.api_key") == canary
    assert config.get("ai.model") == canary
    seed_demo(db, now=NOW)
    with db.session() as s:
        open_items = s.exec(select(WorkItem).where(WorkItem.status == "new")).all()
        assert open_items
        for item in open_items:
            assert item.id is not None
            ctx = build_context(s, item_id=item.id, now=NOW)
            delimiter = new_delimiter(context_texts(ctx))
            prompts = [build_draft_messages(ctx, delimiter=delimiter, agent_name="Leo", instructions="Be brief.")]
            prompts += [build_rewrite_messages("Hola", op, ctx, delimiter=delimiter) for op in REWRITE_OPERATIONS]
            for messages in prompts:
                for message in messages:
                    assert canary not in message.content
            assert canary not in json.dumps(ctx.to_snapshot())
