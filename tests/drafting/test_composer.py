"""The offline composer writes a real starting point from the demo, in both languages, and never promises."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from drafting.composer import OfflineComposer, compose, rewrite_offline, similarity
from drafting.context import build_context
from drafting.providers.base import CancelToken, GenerationRequest, ProviderUnavailable
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, WorkItem

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
GENERIC = re.compile(r"\[(name|nombre)\]|\{\{?\w+\}?\}|dear (valued )?customer|estimado cliente|as an ai", re.I)


@pytest.fixture
def demo(sqlite_url: str) -> Database:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db, now=NOW)
    return db


def _item_of(db: Database, name_prefix: str, channel: str) -> int:
    with db.session() as s:
        rows = s.exec(
            select(WorkItem.id)
            .join(Customer, Customer.id == WorkItem.customer_id)  # type: ignore[arg-type]  # column comparison
            .where(Customer.name.startswith(name_prefix), WorkItem.channel == channel)  # type: ignore[attr-defined]  # column expression
        ).all()
    assert rows, f"demo has no {channel} item for {name_prefix}"
    return int(rows[0] or 0)


def _compose(db: Database, item_id: int) -> tuple[str, int | None, str]:
    with db.session() as s:
        ctx = build_context(s, item_id=item_id, now=NOW)
    return compose(ctx), ctx.rules.max_chars, ctx.prompt_language


def test_reply_to_daniel_knows_about_the_call_five_minutes_ago(demo: Database) -> None:
    text, _, lang = _compose(demo, _item_of(demo, "Daniel", "email"))
    assert lang == "en"
    assert text.startswith("Hi Daniel,")
    assert "called us 5 minutes ago" in text
    assert "refund the duplicate" in text  # what was agreed on the call, for the person to restate
    assert "[[to confirm:" in text
    assert text.rstrip().endswith("The Café Alba team")


def test_spanish_repeat_complaint_is_acknowledged(demo: Database) -> None:
    text, _, lang = _compose(demo, _item_of(demo, "Nayra", "email"))
    assert lang == "es"
    assert text.startswith("Hola, Nayra:")
    assert "no es la primera vez" in text
    assert "INC-7712" in text  # the earlier promise is quoted from the team's own words


def test_every_open_demo_item_gets_a_personal_fitting_reply(demo: Database) -> None:
    with demo.session() as s:
        items = s.exec(select(WorkItem.id)).all()
    assert len(items) > 20
    for item_id in items:
        text, limit, lang = _compose(demo, int(item_id or 0))
        assert text.strip()
        assert not GENERIC.search(text), text
        assert text.count("[[") == text.count("]]"), text  # never a cut placeholder
        assert text.startswith(("Hola", "¡Hola") if lang == "es" else "Hi"), text
        if limit is not None:
            assert len(text) <= limit, (item_id, len(text), limit)


def test_composer_streams_and_can_be_cancelled(demo: Database) -> None:
    with demo.session() as s:
        ctx = build_context(s, item_id=_item_of(demo, "Daniel", "email"), now=NOW)
    stream = OfflineComposer().stream(GenerationRequest(messages=[], context=ctx))
    chunks = [c.text for c in stream]
    assert len(chunks) > 10
    assert stream.result is not None and stream.result.finish_reason == "stop"
    assert "".join(chunks) == stream.result.text == compose(ctx)
    assert stream.result.provider == "offline"

    token = CancelToken()
    cancelled = OfflineComposer().stream(GenerationRequest(messages=[], context=ctx, cancel=token))
    got = []
    for chunk in cancelled:
        got.append(chunk.text)
        if len(got) == 3:
            token.cancel()
    assert len(got) == 3
    assert cancelled.result is not None and cancelled.result.finish_reason == "cancelled"
    assert cancelled.result.text == "".join(got)


DRAFT = "Hi Ana,\n\nI'm sorry about the wait.\n\nIt's on its way. [[to confirm: tracking number]]\n\nWe'll keep an eye on it.\n\nWarmly,\nThe team"


def test_offline_rewrites_keep_every_gap_to_fill() -> None:
    shorter = rewrite_offline(DRAFT, "shorter", "en")
    assert len(shorter) < len(DRAFT)
    assert "[[to confirm: tracking number]]" in shorter
    assert shorter.startswith("Hi Ana,") and shorter.endswith("The team")
    warmer = rewrite_offline(DRAFT, "warmer", "en")
    assert "Thank you for your patience" in warmer
    assert rewrite_offline(warmer, "warmer", "en") == warmer  # not twice
    formal = rewrite_offline(DRAFT, "formal", "en")
    assert formal.startswith("Hello Ana,")
    assert "I am sorry" in formal and "It is on its way" in formal and "We will keep" in formal
    with pytest.raises(ProviderUnavailable, match=r"ai\.base_url"):
        rewrite_offline(DRAFT, "translate", "en")


def test_similarity_ignores_stopwords() -> None:
    assert similarity("the order is late again", "the coffee is great") == 0.0
    assert similarity("my order arrived late", "late order again") > 0.3
