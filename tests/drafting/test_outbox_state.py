"""A state machine over approve / edit / void / send / crash / resolve: nothing unapproved leaves, nothing twice."""

from __future__ import annotations

import contextlib
import socket
from collections import Counter

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlmodel import select

from drafting.approval import ApprovalRefused, approve, request_changes
from drafting.delivery.outbox import (
    OutboxError,
    RetryPolicy,
    claim_next,
    outgoing_for,
    recover_interrupted,
    resolve_uncertain,
    send_pending,
)
from drafting.delivery.smtp import SmtpTransport, sent_content_hash
from drafting.drafts import DraftError, revise_draft
from storage.database import Database
from storage.models import DeliveryAttempt, OutboxMessage
from tests.drafting.outbox_sender import SENDER, add_email_draft, add_users
from tests.servers.smtp import SmtpServer

TEXTS = st.sampled_from(
    [
        "Hola Ben,\n\nTu pedido sale hoy.\n\nUn saludo,\nMarta",
        "Hola Ben,\n\nGracias por avisar.\n\nUn saludo,\nMarta",
        "Hi Ben,\n\nThanks for writing.\n.\nMarta",
    ]
)


def test_outbox_state_machine(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    add_users(db)
    server = SmtpServer().start()
    transport = SmtpTransport("127.0.0.1", server.port, "none", sender=SENDER, timeout=10)
    policy = RetryPolicy(max_attempts=3, base_seconds=0.0, cap_seconds=0.0)
    dead_worker = f"{socket.gethostname()}:0:dead"  # pid 0 is never a sending process

    class Outbox(RuleBasedStateMachine):
        @initialize(text=TEXTS)
        def new_draft(self, text: str) -> None:
            self.draft_id, self.current = add_email_draft(db, body=text)
            self.valid_hash: str | None = None  # the model: which hash a person's approval currently covers
            self.seen = len(server.messages())
            self.resends: Counter[str] = Counter()

        @rule(text=TEXTS)
        def edit(self, text: str) -> None:
            with db.session() as session:
                in_flight = session.exec(
                    select(OutboxMessage).where(
                        OutboxMessage.draft_id == self.draft_id, OutboxMessage.state == "sending"
                    )
                ).first()
            if in_flight is not None:
                # A send that a crash cut off still holds the draft: edits wait until a person resolves it.
                with pytest.raises(DraftError, match="being sent"):
                    revise_draft(db, draft_id=self.draft_id, body=text, author="marta")
                return
            outcome = revise_draft(db, draft_id=self.draft_id, body=text, author="marta")
            assert outcome.content_hash is not None
            if outcome.content_hash != self.current:
                self.valid_hash = None
            self.current = outcome.content_hash

        @rule(stale=st.booleans())
        def approve(self, stale: bool) -> None:
            digest = "0" * 64 if stale else self.current
            try:
                approve(db, draft_id=self.draft_id, content_hash=digest, approver="lucia", sender=SENDER)
            except ApprovalRefused:
                return
            assert not stale
            self.valid_hash = self.current

        @rule()
        def void(self) -> None:
            try:
                request_changes(db, draft_id=self.draft_id, reviewer="lucia", reason="not yet")
            except ApprovalRefused:
                return
            self.valid_hash = None

        def _check_new_messages(self) -> None:
            for message in server.messages()[self.seen :]:
                # 0 sends without a matching approval: every message that left carries a hash approved and not voided.
                assert sent_content_hash(message.data) == self.valid_hash
            self.seen = len(server.messages())

        @rule()
        def send(self) -> None:
            send_pending(db, [transport], policy=policy)
            self._check_new_messages()

        @rule(reached_server=st.booleans())
        def crash(self, reached_server: bool) -> None:
            # A process claims a row and dies, before or after the server got the message.
            row = claim_next(db, worker=dead_worker)
            if row is not None and reached_server:
                with db.session() as s:
                    message = outgoing_for(s, row)
                transport.send(message)
            self._check_new_messages()
            recover_interrupted(db)

        @rule(again=st.booleans())
        def resolve(self, again: bool) -> None:
            with db.session() as s:
                row = s.exec(select(OutboxMessage).where(OutboxMessage.state == "uncertain")).first()
            if row is None:
                return
            try:
                resolve_uncertain(
                    db, outbox_id=int(row.id or 0), decision="send_again" if again else "mark_sent", actor="marta"
                )
            except OutboxError:
                return
            if again:
                self.resends[row.message_id] += 1

        def teardown(self) -> None:
            # Examples share the database: leave no live approval behind for the next one's sends.
            with contextlib.suppress(ApprovalRefused):
                request_changes(db, draft_id=self.draft_id, reviewer="lucia", reason="end of example")

        @invariant()
        def no_duplicates_without_a_person(self) -> None:
            with db.session() as s:
                resends = Counter(
                    r.message_id
                    for r in s.exec(
                        select(OutboxMessage)
                        .join(DeliveryAttempt, DeliveryAttempt.outbox_id == OutboxMessage.id)
                        .where(DeliveryAttempt.outcome == "resend")
                    ).all()
                )
            for message_id, n in Counter(m.message_id for m in server.messages()).items():
                assert n <= 1 + resends[message_id], f"{message_id} received {n} times"

    try:
        run_state_machine_as_test(
            Outbox,
            settings=settings(
                max_examples=30,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        server.stop()
        db.dispose()
