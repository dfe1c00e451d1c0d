"""The append-only, hash-chained history: appends verify, tampering is named."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.chain import append_review, append_revision, record_event, verify
from storage.database import Database
from storage.hashing import content_hash
from storage.models import Customer, Draft


def _draft(db: Database) -> int:
    with db.write() as s:
        c = Customer(customer_id="c-1", name="Ana Ruiz")
        s.add(c)
        s.flush()
        d = Draft(customer_id=c.id, channel="email")
        s.add(d)
        s.flush()
        assert d.id is not None
        return d.id


def test_revisions_chain_and_verify(db: Database) -> None:
    draft_id = _draft(db)
    with db.write() as s:
        first = append_revision(
            s, draft_id=draft_id, author_kind="ai", kind="ai_draft", author="", subject="Re: pedido", body="Hola Ana"
        )
        second = append_revision(
            s,
            draft_id=draft_id,
            author_kind="human",
            kind="human_edit",
            author="marta",
            subject="Re: pedido",
            body="Hola Ana,\nya está.",
        )
        append_review(s, draft_id=draft_id, revision_id=second.id or 0, reviewer="lucia", decision="approve")
        record_event(s, action="draft.approved", actor="lucia", entity="draft", entity_id=draft_id)
    assert second.prev_hash == first.hash
    assert second.seq == 2
    assert second.content_hash == content_hash("Re: pedido", "Hola Ana,\nya está.")
    with db.session() as s:
        result = verify(s)
    assert result.ok, result.breaks
    assert result.checked == {"revision": 2, "review": 1, "auditevent": 1}


@pytest.mark.parametrize("statement", ["UPDATE revision SET body = 'changed'", "DELETE FROM revision"])
def test_triggers_refuse_update_and_delete(db: Database, statement: str) -> None:
    draft_id = _draft(db)
    with db.write() as s:
        append_revision(s, draft_id=draft_id, author_kind="ai", kind="ai_draft", author="", subject="", body="hola")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.write() as s:
        s.execute(sa.text(statement))
    with db.session() as s:
        assert s.execute(sa.text("SELECT body FROM revision")).scalar_one() == "hola"
