"""Generating, rewriting and revising drafts: every version kept, with provenance and snapshot."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from drafting.composer import OfflineComposer
from drafting.context import DraftContext
from drafting.drafts import DraftError, generate_draft, revise_draft, rewrite_draft
from drafting.providers.base import Timeout
from drafting.providers.openai_compat import OpenAIProvider
from storage.chain import verify
from storage.database import Database
from storage.demo import seed_demo
from storage.hashing import content_hash
from storage.models import ContextSnapshot, Draft, Generation, Revision, WorkItem
from tests.servers.openai_faults import FaultServer

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def _new_item(db: Database, channel: str = "email") -> int:
    with db.session() as s:
        item = s.exec(
            select(WorkItem).where(WorkItem.status == "new", WorkItem.channel == channel, WorkItem.escalated == False)  # noqa: E712  # SQL comparison
        ).first()
    assert item is not None and item.id is not None
    return item.id


def test_offline_draft_is_kept_with_snapshot_and_provenance(demo: Database) -> None:
    item_id = _new_item(demo)
    streamed: list[str] = []
    outcome = generate_draft(
        demo, item_id=item_id, provider=OfflineComposer(), author="marta", now=NOW, on_chunk=streamed.append
    )
    assert "".join(streamed) == outcome.text
    assert not outcome.partial
    with demo.session() as s:
        draft = s.get(Draft, outcome.draft_id)
        assert draft is not None and draft.provider == "offline" and draft.work_item_id == item_id
        revision = s.get(Revision, outcome.revision_id)
        assert revision is not None
        assert (revision.kind, revision.author_kind, revision.seq) == ("ai_draft", "ai", 1)
        assert revision.content_hash == outcome.content_hash == content_hash(revision.subject, outcome.text)
        snapshot = s.exec(select(ContextSnapshot).where(ContextSnapshot.draft_id == draft.id)).one()
        restored = DraftContext.from_snapshot(json.loads(snapshot.data))
        assert restored.item_id == item_id
        generation = s.exec(select(Generation).where(Generation.draft_id == draft.id)).one()
        assert (generation.provider, generation.finish_reason, generation.revision_id) == (
            "offline",
            "stop",
            revision.id,
        )
        assert generation.snapshot_id == snapshot.id and len(generation.prompt_hash) == 64
        item = s.get(WorkItem, item_id)
        assert item is not None and item.status == "drafting"
        assert verify(s).ok


def test_revise_rewrite_and_no_op_edits(demo: Database) -> None:
    item_id = _new_item(demo)
    first = generate_draft(demo, item_id=item_id, provider=OfflineComposer(), now=NOW)
    edited = revise_draft(demo, draft_id=first.draft_id, body="Hi there,\r\n\nAll sorted now.  ", author="marta")
    assert edited.revision_id != first.revision_id
    same = revise_draft(demo, draft_id=first.draft_id, body="Hi there,\n\nAll sorted now.", author="marta")
    assert same.revision_id == edited.revision_id  # only whitespace differs: nothing new to keep
    rewritten = rewrite_draft(demo, draft_id=first.draft_id, operation="warmer", provider=OfflineComposer(), now=NOW)
    assert "patience" in rewritten.text
    with demo.session() as s:
        kinds = s.exec(select(Revision.kind).where(Revision.draft_id == first.draft_id).order_by(Revision.seq)).all()  # type: ignore[arg-type]  # column
        assert kinds == ["ai_draft", "human_edit", "ai_rewrite"]
        assert verify(s).ok


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "  \n ", "author": "marta"}, "empty"),
        ({"body": "hola", "author": "nobody"}, "unknown user 'nobody'"),
    ],
)
def test_revise_refuses_bad_input_and_keeps_nothing(demo: Database, kwargs: dict[str, str], message: str) -> None:
    first = generate_draft(demo, item_id=_new_item(demo), provider=OfflineComposer(), now=NOW)
    with pytest.raises(DraftError, match=message):
        revise_draft(demo, draft_id=first.draft_id, **kwargs)
    with demo.session() as s:
        count = s.execute(
            sa.select(sa.func.count()).select_from(Revision).where(Revision.draft_id == first.draft_id)
        ).scalar_one()  # type: ignore[arg-type]  # column
    assert count == 1


def test_a_stream_that_dies_keeps_its_partial_text(
    demo: Database, fault_server: Callable[..., FaultServer], make_provider: Callable[..., OpenAIProvider]
) -> None:
    server = fault_server("hang", chunks=("Hi", " Daniel,", " about the"))
    provider = make_provider(server.url, timeout=1.0)
    item_id = _new_item(demo)
    with pytest.raises(Timeout):
        generate_draft(demo, item_id=item_id, provider=provider, now=NOW)
    with demo.session() as s:
        draft = s.exec(select(Draft).where(Draft.work_item_id == item_id)).one()
        revision = s.exec(select(Revision).where(Revision.draft_id == draft.id)).one()
        assert revision.body == "Hi Daniel, about the"
        generation = s.exec(select(Generation).where(Generation.draft_id == draft.id)).one()
        assert generation.finish_reason == "error"
        assert generation.error.startswith("timeout:")
        assert generation.base_url_host == f"127.0.0.1:{server.port}"
    sent = server.chat_requests[0].body["messages"]
    assert sent[0]["role"] == "system" and "DATA-" in sent[1]["content"]


def test_write_once_tables_refuse_changes(demo: Database) -> None:
    generate_draft(demo, item_id=_new_item(demo), provider=OfflineComposer(), now=NOW)
    for statement in ("UPDATE contextsnapshot SET data = '{}'", "DELETE FROM generation"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), demo.write() as s:
            s.execute(sa.text(statement))


def test_the_offline_composer_leaves_escalated_items_to_a_person(demo: Database) -> None:
    with demo.session() as s:
        item = s.exec(select(WorkItem).where(WorkItem.escalated == True)).first()  # noqa: E712  # SQL comparison
    assert item is not None and item.id is not None
    with pytest.raises(DraftError, match="escalated to a human"):
        generate_draft(demo, item_id=item.id, provider=OfflineComposer(), now=NOW)
    with demo.session() as s:
        assert s.exec(select(Draft).where(Draft.work_item_id == item.id)).first() is None
