"""A reply a person writes themselves (an escalated item, or no draft wanted): the draft starts with their words."""

from __future__ import annotations

from drafting.context import build_context
from drafting.drafts import DraftError, Outcome, _draft_for_item, _subject_for, find_user, revise_draft
from storage.database import Database
from storage.hashing import normalize_text
from storage.models import ItemStatus, WorkItem, utcnow


def start_own_reply(db: Database, *, item_id: int, body: str, author: str) -> Outcome:
    """Open (or reuse) the item's draft and keep `body` as a human revision; no model writes anything."""
    if not normalize_text(body):
        raise DraftError("the new text is empty; nothing was saved")
    with db.write() as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise DraftError(f"no work item {item_id}")
        user = find_user(session, author)
        ctx = build_context(session, item_id=item_id)
        # The same open draft an AI draft would use: one reply per item, whoever starts it.
        draft = _draft_for_item(session, item, user)
        if not draft.language:
            draft.language = ctx.language
        if item.status in (ItemStatus.NEW, ItemStatus.CHANGES_REQUESTED):
            item.status = ItemStatus.DRAFTING.value
            item.updated_at = utcnow()
        session.flush()
        draft_id, subject = draft.id or 0, _subject_for(ctx)
    return revise_draft(db, draft_id=draft_id, body=body, author=author, subject=subject)
