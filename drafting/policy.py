"""The team's approval policy: when a draft needs a second approver, whether authors may approve their own
drafts, and how long an approval stays good if it is not sent.

A lead sets the rules (`save_policy`); the approval gate (drafting/approval.py) applies them when a person
approves and again just before sending, so the rules hold for the CLI and every window alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from drafting.metrics import edit_pct
from storage.chain import record_event
from storage.database import Database
from storage.models import AuthorKind, Draft, PolicyRule, Revision, Role, User, WorkItem, utcnow
from storage.people import user_by_name


class PolicyError(ValueError):
    """A rule that cannot be set; the message says why in one line."""


@dataclass(frozen=True)
class Policy:
    """The rules; the defaults are what a team gets before a lead changes anything."""

    trainee: bool = True
    """Drafts written by a trainee need a second approver who is a lead."""
    commitments: bool = False
    """Drafts with a commitment (a promise of money, dates, refunds…) need a lead's approval too."""
    escalated: bool = False
    """Drafts answering an escalated item need a lead's approval too."""
    edit_pct_above: float = 0.0
    """Drafts a person rewrote more than this percentage of (0 = rule off) need a lead's approval too."""
    self_approval: bool = True
    """Whether the person who wrote a draft may approve it."""
    expires_days: int = 0
    """An approval not sent within this many days no longer holds (0 = never expires)."""


KEYS: Mapping[str, str] = {
    "trainee": "a trainee's draft needs a lead's approval as well (on/off)",
    "commitments": "a draft with a commitment needs a lead's approval as well (on/off)",
    "escalated": "a draft for an escalated item needs a lead's approval as well (on/off)",
    "edit_pct_above": "a draft edited more than this % needs a lead's approval as well (0 = off)",
    "self_approval": "the writer of a draft may approve it (on/off)",
    "expires_days": "days an approval holds if not sent (0 = no expiry)",
}

_TRUE = {"on", "yes", "true", "1"}
_FALSE = {"off", "no", "false", "0"}


def _parse(key: str, value: str) -> bool | float | int:
    text = value.strip().lower()
    kind = {f.name: f.type for f in fields(Policy)}[key]
    if kind == "bool":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise PolicyError(f"{key}: expected on or off, not {value!r}")
    try:
        number = float(text) if kind == "float" else int(text)
    except ValueError:
        raise PolicyError(
            f"{key}: expected a {'number' if kind == 'float' else 'whole number'}, not {value!r}"
        ) from None
    if number < 0 or (key == "edit_pct_above" and number > 100) or (key == "expires_days" and number > 3650):
        limit = "0-100" if key == "edit_pct_above" else "0-3650"
        raise PolicyError(f"{key}: expected {limit}, not {value!r}")
    return number


def _text(value: bool | float | int) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def load_policy(session: Session) -> Policy:
    """The rules in force: the defaults, overridden by what a lead saved."""
    saved = {rule.key: rule.value for rule in session.exec(select(PolicyRule))}
    values = {key: _parse(key, saved[key]) for key in KEYS if key in saved}
    return replace(Policy(), **values)  # type: ignore[arg-type]  # keys are Policy's own fields


def parse_rules(pairs: Iterable[tuple[str, str]]) -> dict[str, bool | float | int]:
    """`(key, text)` pairs checked and typed; an unknown key or bad value raises PolicyError."""
    parsed: dict[str, bool | float | int] = {}
    for key, value in pairs:
        if key not in KEYS:
            raise PolicyError(f"unknown rule {key!r}; the rules are {', '.join(KEYS)}")
        parsed[key] = _parse(key, value)
    return parsed


def save_policy(db: Database, *, actor: str, changes: Mapping[str, bool | float | int]) -> Policy:
    """Change some rules; only a lead may, and every change is recorded in the audit trail."""
    with db.write() as session:
        user = user_by_name(session, name=actor)
        if user is None:
            raise PolicyError(f"unknown user {actor!r}")
        if user.role != Role.LEAD.value:
            raise PolicyError(f"only a lead can change the approval policy ({user.name} is {user.role})")
        before = load_policy(session)
        after = replace(before, **changes)  # type: ignore[arg-type]  # keys checked by parse_rules / the dialog
        changed = {k: (_text(v), _text(asdict(after)[k])) for k, v in asdict(before).items() if asdict(after)[k] != v}
        if not changed:
            return before
        rows = {rule.key: rule for rule in session.exec(select(PolicyRule))}
        moment = utcnow()
        for key, (_, new) in changed.items():
            row = rows.get(key) or PolicyRule(key=key)
            row.value, row.updated_by, row.updated_at = new, user.name, moment
            session.add(row)
        session.flush()
        record_event(
            session,
            action="policy.changed",
            actor=user.name,
            entity="policy",
            entity_id="approval",
            details={key: {"from": old, "to": new} for key, (old, new) in changed.items()},
            occurred_at=moment,
        )
        return after


# -- applying the rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """What approving one draft takes under the policy."""

    needs_lead: bool
    reasons: tuple[str, ...]
    author: str
    self_approval: bool
    codes: tuple[str, ...] = ()
    """Why, as rule names (trainee, commitments, escalated, edit_pct_above), for a window to say in its language."""


def draft_author(session: Session, draft: Draft) -> User | None:
    """Who wrote the draft: the user it was started by, else the first person who edited it."""
    if draft.author_id is not None:
        return session.get(User, draft.author_id)
    name = session.exec(
        select(Revision.author)
        .where(Revision.draft_id == draft.id, Revision.author_kind == AuthorKind.HUMAN.value)
        .order_by(col(Revision.seq))
        .limit(1)
    ).first()
    return user_by_name(session, name=name) if name else None


def _ai_text(session: Session, draft_id: int) -> str | None:
    return session.exec(
        select(Revision.body)
        .where(Revision.draft_id == draft_id, Revision.author_kind == AuthorKind.AI.value)
        .order_by(col(Revision.seq))
        .limit(1)
    ).first()


def requirement(session: Session, *, draft: Draft, body: str, has_commitments: bool) -> Requirement:
    """Whether this draft, with this text, needs a lead's approval besides its writer's, and why."""
    policy = load_policy(session)
    author = draft_author(session, draft)
    reasons: dict[str, str] = {}
    if policy.trainee and author is not None and author.role == Role.TRAINEE.value:
        reasons["trainee"] = f"written by a trainee ({author.name})"
    if policy.commitments and has_commitments:
        reasons["commitments"] = "it makes a commitment"
    if policy.escalated and draft.work_item_id is not None:
        item = session.get(WorkItem, draft.work_item_id)
        if item is not None and item.escalated:
            reasons["escalated"] = "the item is escalated"
    if policy.edit_pct_above > 0:
        ai_text = _ai_text(session, int(draft.id or 0))
        if ai_text is not None:
            pct = edit_pct(ai_text, body)
            if pct > policy.edit_pct_above:
                reasons["edit_pct_above"] = f"{pct:g}% of the AI draft was rewritten (over {policy.edit_pct_above:g}%)"
    return Requirement(
        needs_lead=bool(reasons),
        reasons=tuple(reasons.values()),
        author=author.name if author is not None else "",
        self_approval=policy.self_approval,
        codes=tuple(reasons),
    )


def missing_approval(requirement: Requirement, approvers: Iterable[User]) -> str | None:
    """What is still missing for these approvers (distinct people) to satisfy the requirement, or None."""
    people = {user.name: user for user in approvers}
    if not people:
        return "nobody has approved it"
    if not requirement.self_approval and requirement.author in people:
        return f"{requirement.author} wrote this draft and the policy forbids approving your own draft"
    if requirement.needs_lead and (len(people) < 2 or not any(u.role == Role.LEAD.value for u in people.values())):
        return f"a second approver, one of them a lead, because {'; '.join(requirement.reasons)}"
    return None


def expired(approved_at: datetime, *, session: Session, now: datetime) -> str | None:
    """Why an approval given at `approved_at` no longer holds at `now` under the policy, or None."""
    days = load_policy(session).expires_days
    if days and now - approved_at > timedelta(days=days):
        return f"the approval expired: not sent within {days} day{'s' if days != 1 else ''}"
    return None


def describe(policy: Policy) -> dict[str, str]:
    """The rules as `key: text`, for `latido policy` and the settings."""
    return {key: _text(value) for key, value in asdict(policy).items()}
