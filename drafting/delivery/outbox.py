"""The outbox: approved messages go out at most once, and never silently (promise 5).

States: `queued -> sending -> sent | failed | uncertain`. A row is claimed
(`sending`, committed) before any byte leaves, under BEGIN IMMEDIATE on SQLite
and `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two processes never take the
same row. The claim is also where the approval is checked one last time
(`drafting.approval.may_send`). A process that dies while a row is `sending`
leaves it for `recover_interrupted`, which marks it `uncertain`: only a
person's recorded decision (`resolve_uncertain`) sends it again. Every attempt
is appended to `DeliveryAttempt`.
"""

from __future__ import annotations

import json
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import getaddresses
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from drafting.approval import may_send
from drafting.delivery.base import Outgoing, SendOutcome, Transport
from storage.chain import record_event
from storage.database import Database
from storage.models import (
    Channel,
    DeliveryAttempt,
    Direction,
    Draft,
    Interaction,
    ItemStatus,
    OutboxMessage,
    OutboxState,
    Review,
    WorkItem,
    utcnow,
)
from storage.people import user_by_name

LineState = Literal["sent", "retry", "failed", "uncertain", "refused"]
Resolution = Literal["mark_sent", "send_again"]
RESOLUTIONS: tuple[Resolution, ...] = ("mark_sent", "send_again")

LEASE = timedelta(minutes=15)
"""A `sending` row claimed on another machine is taken for abandoned after this long (sends time out well before)."""
MAX_REFERENCES = 20


class OutboxError(Exception):
    """An outbox operation that cannot proceed; the message says why."""


class DeliveryUncertain(Exception):
    """Raised by a transport when the message may have been accepted but no answer came (e.g. a drop after DATA).

    The outbox marks the row `uncertain`; it is never retried by itself.
    """


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter for transient failures (4xx, a drop before the message was accepted)."""

    max_attempts: int = 6
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before try `retry + 1`: half fixed, half random, so workers do not retry in lockstep."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, retry - 1))
        return rng.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Line:
    """How one message fared in a run."""

    outbox_id: int
    state: LineState
    recipients: str
    detail: str = ""
    attempt: int = 0


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)
    recovered: int = 0
    """Rows a dead process left in `sending`, now `uncertain`."""

    def count(self, state: LineState) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def ok(self) -> bool:
        """Nothing failed, was refused or became uncertain."""
        return self.recovered == 0 and not any(line.state in ("failed", "uncertain", "refused") for line in self.lines)


# Worker ids of this process that are sending right now: a row one of them holds is not abandoned.
_ACTIVE: set[str] = set()
_ACTIVE_LOCK = threading.Lock()


def new_worker_id() -> str:
    """`host:pid:tag` — enough for another process to tell whether the claimer is still alive."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claimer_gone(worker: str, claimed_at: datetime, now: datetime) -> bool:
    host, _, rest = worker.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            with _ACTIVE_LOCK:
                return worker not in _ACTIVE
        if not _pid_alive(pid):
            return True
    # Another machine (or a pid that may have been reused): only a lease this old is proof.
    return now - claimed_at > LEASE


def _locked(session: Session, outbox_id: int) -> OutboxMessage | None:
    stmt = select(OutboxMessage).where(OutboxMessage.id == outbox_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def _attempt(session: Session, row: OutboxMessage, outcome: str, detail: str, *, actor: str, now: datetime) -> None:
    session.add(
        DeliveryAttempt(
            outbox_id=int(row.id or 0),
            attempt=row.attempts,
            outcome=outcome,
            detail=detail,
            actor=actor,
            created_at=now,
        )
    )


def _event(session: Session, row: OutboxMessage, action: str, actor: str, now: datetime, **details: object) -> None:
    record_event(
        session,
        action=f"outbox.{action}",
        actor=actor,
        entity="outbox",
        entity_id=int(row.id or 0),
        details={"draft_id": row.draft_id, "hash": row.content_hash, "attempt": row.attempts, **details},
        occurred_at=now,
    )


# -- claiming ---------------------------------------------------------------------------------------------


def _refuse(session: Session, row: OutboxMessage, reason: str, worker: str, now: datetime) -> None:
    row.state, row.last_error, row.updated_at, row.claimed_by = OutboxState.FAILED.value, reason, now, worker
    _attempt(session, row, "refused", reason, actor=worker, now=now)
    _event(session, row, "refused", worker, now, reason=reason)


def claim_next(
    db: Database,
    *,
    worker: str,
    transports: Collection[str] | None = None,
    skip: Collection[int] = (),
    now: datetime | None = None,
    on_refused: Callable[[OutboxMessage, str], None] | None = None,
) -> OutboxMessage | None:
    """Take the next due queued row for `worker`: marked `sending` and committed before it is returned.

    A row whose approval no longer holds is not returned: it is marked failed with the reason.
    """
    moment = now or utcnow()
    with db.write() as session:
        while True:
            stmt = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.state == OutboxState.QUEUED.value,
                    sa.or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= moment),
                )
                .order_by(col(OutboxMessage.id))
                .limit(1)
            )
            if transports is not None:
                stmt = stmt.where(col(OutboxMessage.transport).in_(list(transports)))
            if skip:
                stmt = stmt.where(col(OutboxMessage.id).not_in(list(skip)))
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            row = session.exec(stmt).first()
            if row is None:
                return None
            ok, reason = may_send(session, row, now=moment)
            if not ok:
                _refuse(session, row, reason, worker, moment)
                session.flush()
                if on_refused is not None:
                    on_refused(row, reason)
                continue
            row.state, row.claimed_by, row.attempts, row.updated_at = (
                OutboxState.SENDING.value,
                worker,
                row.attempts + 1,
                moment,
            )
            session.flush()
            return row


def _next_due_in(db: Database, transports: Collection[str], now: datetime) -> float | None:
    """Seconds until the earliest queued row for these transports is due; None when none is queued."""
    with db.session() as session:
        due = session.exec(
            select(sa.func.min(sa.func.coalesce(col(OutboxMessage.next_attempt_at), now))).where(
                OutboxMessage.state == OutboxState.QUEUED.value, col(OutboxMessage.transport).in_(list(transports))
            )
        ).first()
    if due is None:
        return None
    due_at = due if isinstance(due, datetime) else now
    return max(0.0, (due_at.replace(tzinfo=now.tzinfo) - now).total_seconds())


# -- sending ------------------------------------------------------------------------------------------------


def _references(session: Session, message_id: str) -> tuple[str, ...]:
    """The thread's Message-IDs, oldest first, ending with the one answered."""
    refs: list[str] = []
    current = message_id
    while current and current not in refs and len(refs) < MAX_REFERENCES:
        refs.insert(0, current)
        parent = session.exec(select(Interaction.in_reply_to).where(Interaction.message_id == current).limit(1)).first()
        current = parent or ""
    return tuple(refs)


def outgoing_for(session: Session, row: OutboxMessage) -> Outgoing:
    """The message exactly as the transport must send it."""
    if row.channel == Channel.EMAIL:
        recipients = tuple(addr for _, addr in getaddresses([row.recipients]) if addr)
    else:
        recipients = (row.recipients,)
    url = ""
    draft = session.get(Draft, row.draft_id)
    if draft is not None and draft.work_item_id is not None:
        item = session.get(WorkItem, draft.work_item_id)
        incoming = session.get(Interaction, item.interaction_id) if item is not None else None
        url = incoming.url if incoming is not None else ""
    return Outgoing(
        outbox_id=int(row.id or 0),
        channel=row.channel,
        recipients=recipients,
        subject=row.subject,
        body=row.body,
        content_hash=row.content_hash,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        references=_references(session, row.in_reply_to),
        idempotency_key=row.idempotency_key,
        url=url,
    )


def _record_sent(session: Session, row: OutboxMessage, *, now: datetime, sent_by: str = "") -> None:
    """The row is sent: keep a copy as an outgoing interaction and close the draft and its item."""
    row.state, row.sent_at, row.updated_at = OutboxState.SENT.value, now, now
    if sent_by:
        row.sent_by = sent_by
    draft = session.get(Draft, row.draft_id)
    if draft is None:  # the foreign key makes this unreachable short of a damaged database
        return
    draft.status, draft.updated_at = ItemStatus.SENT.value, now
    item = session.get(WorkItem, draft.work_item_id) if draft.work_item_id is not None else None
    if item is not None:
        item.status, item.updated_at = ItemStatus.SENT.value, now
    source_id = f"latido-outbox-{row.id}"
    if session.exec(select(Interaction.id).where(Interaction.source_id == source_id)).first() is None:
        review = session.get(Review, row.review_id)
        session.add(
            Interaction(
                source_id=source_id,
                customer_id=draft.customer_id,
                channel=row.channel,
                direction=Direction.OUT.value,
                occurred_at=now,
                subject=row.subject,
                body=row.body,
                author=review.reviewer if review is not None else "",
                message_id=row.message_id,
                in_reply_to=row.in_reply_to,
            )
        )


def _retries_since_decision(session: Session, outbox_id: int) -> int:
    """Automatic retries since the row was queued or a person last chose to send it again."""
    last_resend = session.exec(
        select(sa.func.max(DeliveryAttempt.id)).where(
            DeliveryAttempt.outbox_id == outbox_id, DeliveryAttempt.outcome == "resend"
        )
    ).first()
    stmt = select(sa.func.count()).where(DeliveryAttempt.outbox_id == outbox_id, DeliveryAttempt.outcome == "retry")
    if last_resend is not None:
        stmt = stmt.where(col(DeliveryAttempt.id) > last_resend)
    return int(session.exec(stmt).one())


def _finish(
    db: Database,
    row_id: int,
    *,
    worker: str,
    outcome: SendOutcome | None,
    uncertain: str,
    policy: RetryPolicy,
    rng: random.Random,
) -> Line:
    moment = utcnow()
    with db.write() as session:
        row = _locked(session, row_id)
        if row is None:  # outbox rows are never deleted; unreachable short of a damaged database
            raise OutboxError(f"outbox {row_id} vanished while it was being sent")
        state: LineState = "uncertain" if outcome is None else outcome.state
        detail = uncertain if outcome is None else outcome.detail
        if outcome is not None and outcome.refused:
            refused = json.loads(row.refused or "{}")
            refused.update(outcome.refused)
            row.refused = json.dumps(refused, ensure_ascii=False, sort_keys=True)
        if row.state != OutboxState.SENDING.value or row.claimed_by != worker:
            # Someone took the row for abandoned meanwhile. Keep what really happened; the truth "sent" wins
            # over "uncertain", but a person's decision already taken is left alone.
            _attempt(session, row, state, f"{detail} (after the row became {row.state})", actor=worker, now=moment)
            if state == "sent" and row.state == OutboxState.UNCERTAIN.value:
                _record_sent(session, row, now=moment)
                _event(session, row, "sent", worker, moment, late=True)
            return Line(row_id, state, row.recipients, detail, row.attempts)
        if state == "sent":
            _record_sent(session, row, now=moment)
            row.last_error = ""
        elif state == "retry":
            retries = _retries_since_decision(session, row_id) + 1
            if retries >= policy.max_attempts:
                state, detail = "failed", f"gave up after {retries} tries: {detail}"
                row.state, row.last_error = OutboxState.FAILED.value, detail
            else:
                row.state, row.last_error = OutboxState.QUEUED.value, detail
                row.next_attempt_at = moment + timedelta(seconds=policy.delay(retries, rng))
        elif state == "failed":
            row.state, row.last_error = OutboxState.FAILED.value, detail
        else:
            row.state, row.last_error = OutboxState.UNCERTAIN.value, detail
        row.updated_at = moment
        _attempt(session, row, state, detail, actor=worker, now=moment)
        if state != "retry":
            _event(session, row, state, worker, moment, detail=detail, refused=json.loads(row.refused or "{}"))
        return Line(row_id, state, row.recipients, detail, row.attempts)


def _deliver(
    db: Database, transport: Transport, row: OutboxMessage, *, worker: str, policy: RetryPolicy, rng: random.Random
) -> Line:
    with db.session() as session:
        message = outgoing_for(session, row)
    outcome: SendOutcome | None = None
    uncertain = ""
    try:
        outcome = transport.send(message)
    except DeliveryUncertain as exc:
        uncertain = str(exc)
    except Exception as exc:
        # Whatever broke mid-send, nobody knows whether the message left: a person decides, never a retry.
        uncertain = f"{type(exc).__name__}: {exc}"
    return _finish(db, int(row.id or 0), worker=worker, outcome=outcome, uncertain=uncertain, policy=policy, rng=rng)


def send_one(
    db: Database,
    transport: Transport,
    *,
    worker: str,
    policy: RetryPolicy | None = None,
    rng: random.Random | None = None,
) -> Line | None:
    """Claim and send one due message for `transport`; None when nothing is due."""
    with _ACTIVE_LOCK:
        _ACTIVE.add(worker)
    try:
        row = claim_next(db, worker=worker, transports=[transport.name])
        if row is None:
            return None
        return _deliver(db, transport, row, worker=worker, policy=policy or RetryPolicy(), rng=rng or random.Random())  # noqa: S311  # jitter, not secrecy
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(worker)


def send_pending(
    db: Database,
    transports: Iterable[Transport],
    *,
    once: bool = False,
    max_messages: int | None = None,
    policy: RetryPolicy | None = None,
    worker: str | None = None,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_line: Callable[[Line], None] | None = None,
) -> Report:
    """Send what is due. `once`: one pass, at most one try per message; otherwise wait out retries until none is queued.

    Rows left in `sending` by a dead process are first marked `uncertain`.
    """
    by_name = {t.name: t for t in transports}
    policy = policy or RetryPolicy()
    rng = rng or random.Random()  # noqa: S311  # jitter, not secrecy
    worker = worker or new_worker_id()
    report = Report(recovered=recover_interrupted(db))

    def add(line: Line) -> None:
        report.lines.append(line)
        if on_line is not None:
            on_line(line)

    def refused(row: OutboxMessage, reason: str) -> None:
        add(Line(int(row.id or 0), "refused", row.recipients, reason, row.attempts))

    tried: set[int] = set()
    with _ACTIVE_LOCK:
        _ACTIVE.add(worker)
    try:
        while max_messages is None or len(tried) < max_messages:
            row = claim_next(
                db, worker=worker, transports=list(by_name), skip=tried if once else (), on_refused=refused
            )
            if row is None:
                wait = None if once else _next_due_in(db, list(by_name), utcnow())
                if wait is None:
                    break
                sleep(wait)
                continue
            tried.add(int(row.id or 0))
            add(_deliver(db, by_name[row.transport], row, worker=worker, policy=policy, rng=rng))
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(worker)
    return report


# -- recovery and people's decisions ----------------------------------------------------------------------------


def recover_interrupted(db: Database, *, now: datetime | None = None) -> int:
    """Mark `uncertain` every `sending` row whose process is gone; returns how many. Never resends."""
    moment = now or utcnow()
    recovered = 0
    with db.write() as session:
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.SENDING.value)
            .order_by(col(OutboxMessage.id))
        )
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        for row in session.exec(stmt).all():
            if not _claimer_gone(row.claimed_by, row.updated_at, moment):
                continue
            detail = (
                f"the sending process ({row.claimed_by}) stopped before it knew whether the message was accepted; "
                "check with the recipient, then mark it sent or send it again"
            )
            row.state, row.last_error, row.updated_at = OutboxState.UNCERTAIN.value, detail, moment
            _attempt(session, row, "uncertain", detail, actor="recovery", now=moment)
            _event(session, row, "uncertain", "recovery", moment, detail=detail)
            recovered += 1
    return recovered


def resolve_uncertain(
    db: Database, *, outbox_id: int, decision: Resolution, actor: str, now: datetime | None = None
) -> OutboxMessage:
    """A person's decision on an uncertain message: `mark_sent`, or `send_again` (queued, with the same Message-ID)."""
    if decision not in RESOLUTIONS:
        raise OutboxError(f"unknown decision {decision!r}; choose mark_sent or send_again")
    moment = now or utcnow()
    with db.write() as session:
        row = _locked(session, outbox_id)
        if row is None:
            raise OutboxError(f"no outbox message {outbox_id}")
        user = user_by_name(session, name=actor)
        if user is None:
            raise OutboxError(f"unknown user {actor!r}")
        if row.state != OutboxState.UNCERTAIN.value:
            raise OutboxError(f"outbox {outbox_id} is {row.state}; only an uncertain message waits for a decision")
        if decision == "mark_sent":
            _record_sent(session, row, now=moment, sent_by=user.name)
            _attempt(session, row, "resolved_sent", "a person confirmed it was sent", actor=user.name, now=moment)
        else:
            ok, reason = may_send(session, row, now=moment)
            if not ok:
                raise OutboxError(f"cannot send outbox {outbox_id} again: {reason}")
            row.state, row.next_attempt_at, row.claimed_by = OutboxState.QUEUED.value, None, ""
            row.sent_by = user.name
            _attempt(session, row, "resend", "a person chose to send it again", actor=user.name, now=moment)
        row.updated_at = moment
        _event(session, row, "resolved", user.name, moment, decision=decision)
        session.flush()
        return row


def list_outbox(session: Session, *, states: Collection[str] | None = None, limit: int = 200) -> list[OutboxMessage]:
    """Outbox rows, newest first."""
    stmt = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if states:
        stmt = stmt.where(col(OutboxMessage.state).in_(list(states)))
    return list(session.exec(stmt).all())


def attempts_for(session: Session, *, outbox_id: int) -> list[DeliveryAttempt]:
    return list(
        session.exec(
            select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id).order_by(col(DeliveryAttempt.id))
        ).all()
    )
