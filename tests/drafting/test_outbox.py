"""The outbox against a real SMTP server on loopback: each fault ends in the right state, nothing is sent twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from drafting.approval import approve
from drafting.delivery.outbox import (
    OutboxError,
    Report,
    RetryPolicy,
    attempts_for,
    claim_next,
    new_worker_id,
    recover_interrupted,
    resolve_uncertain,
    send_pending,
)
from drafting.delivery.smtp import SmtpTransport, sent_content_hash
from storage.chain import verify
from storage.database import Database
from storage.models import AuditEvent, Draft, Interaction, OutboxMessage, WorkItem
from tests.drafting.outbox_sender import SENDER, add_approved, add_email_draft, add_users
from tests.servers.smtp import Faults, LoopbackCertificate, SmtpServer

ROOT = Path(__file__).resolve().parents[2]
FAST = RetryPolicy(max_attempts=4, base_seconds=0.0, cap_seconds=0.0)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Callable[..., SmtpServer]]:
    started: list[SmtpServer] = []

    def start(**options: object) -> SmtpServer:
        server = SmtpServer(**options).start()  # type: ignore[arg-type]  # options are SmtpServer's fields
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def cert(tmp_path: Path) -> LoopbackCertificate:
    return LoopbackCertificate.create(tmp_path / "tls")


@pytest.fixture
def workspace(db: Database) -> Database:
    add_users(db)
    return db


def _transport(server: SmtpServer, **options: object) -> SmtpTransport:
    security = str(options.pop("security", server.security))
    return SmtpTransport("127.0.0.1", server.port, security, sender=SENDER, **options)  # type: ignore[arg-type]  # SmtpTransport's options


def _row(db: Database, outbox_id: int) -> OutboxMessage:
    with db.session() as s:
        row = s.get(OutboxMessage, outbox_id)
    assert row is not None
    return row


def _outcomes(db: Database, outbox_id: int) -> list[str]:
    with db.session() as s:
        return [a.outcome for a in attempts_for(s, outbox_id=outbox_id)]


def _send(db: Database, transport: SmtpTransport, **options: object) -> Report:
    return send_pending(db, [transport], policy=FAST, **options)  # type: ignore[arg-type]  # send_pending's options


def test_sent_email_is_the_approved_text_threaded_and_recorded(
    workspace: Database, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    draft_id, content = add_email_draft(
        workspace, subject="Re: Pedido ☕ 1042", body="Hola Ben,\n\n.Punto al inicio.\n" + "ñ" * 200
    )
    approval = approve(workspace, draft_id=draft_id, content_hash=content, approver="lucia", sender=SENDER)
    report = _send(workspace, _transport(server))
    assert [(line.outbox_id, line.state) for line in report.lines] == [(approval.outbox_id, "sent")]
    assert report.ok
    [received] = server.messages()
    assert sent_content_hash(received.data) == content == approval.content_hash
    message = received.message
    assert message["Message-ID"] == approval.message_id
    assert approval.message_id.endswith("@cafealba.example>")
    with workspace.session() as s:
        draft = s.get(Draft, draft_id)
        assert draft is not None
        item = s.get(WorkItem, draft.work_item_id)
        assert item is not None
        incoming = s.get(Interaction, item.interaction_id)
        assert incoming is not None
    assert message["In-Reply-To"] == incoming.message_id
    assert message["References"].split() == [incoming.in_reply_to, incoming.message_id]
    assert received.rcpt_tos == ("ben@example.org",)
    assert message.get_body(("html",)) is not None
    row = _row(workspace, approval.outbox_id)
    assert (row.state, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    with workspace.session() as s:
        copy = s.exec(select(Interaction).where(Interaction.source_id == f"latido-outbox-{row.id}")).one()
        assert (copy.direction, copy.channel, copy.message_id, copy.body) == ("out", "email", row.message_id, row.body)
        draft = s.get(Draft, draft_id)
        assert draft is not None and draft.status == "sent"
        item = s.get(WorkItem, draft.work_item_id)
        assert item is not None and item.status == "sent"
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity_id == str(row.id))).all()
        assert "outbox.sent" in actions
        assert verify(s).ok
    assert _outcomes(workspace, approval.outbox_id) == ["sent"]
    # Nothing left to send: a second run sends nothing.
    assert _send(workspace, _transport(server)).lines == []
    assert len(server.messages()) == 1


@pytest.mark.parametrize(
    ("faults", "outcomes"),
    [
        ({"connect_421": 2}, ["retry", "retry", "sent"]),
        ({"rcpt_451": 1}, ["retry", "sent"]),
    ],
    ids=["421-at-connect", "451-on-rcpt"],
)
def test_transient_replies_are_retried_with_the_same_message_id(
    workspace: Database, smtp: Callable[..., SmtpServer], faults: dict[str, int], outcomes: list[str]
) -> None:
    server = smtp()
    [outbox_id] = add_approved(workspace, 1)
    for name, value in faults.items():
        setattr(server.faults, name, value)
    report = _send(workspace, _transport(server))
    assert [line.state for line in report.lines] == outcomes
    assert _outcomes(workspace, outbox_id) == outcomes
    [received] = server.messages()
    row = _row(workspace, outbox_id)
    assert (row.state, row.attempts) == ("sent", len(outcomes))
    assert received.message_id == row.message_id
    assert sent_content_hash(received.data) == row.content_hash


class _StopWaiting(Exception):
    pass


def test_a_retry_waits_out_its_backoff(workspace: Database, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp()
    [outbox_id] = add_approved(workspace, 1)
    server.faults.connect_421 = 100
    slow = RetryPolicy(base_seconds=60, cap_seconds=60)
    report = send_pending(workspace, [_transport(server)], policy=slow, once=True)
    assert [line.state for line in report.lines] == ["retry"]
    row = _row(workspace, outbox_id)
    assert row.state == "queued" and row.next_attempt_at is not None
    assert 30 <= (row.next_attempt_at - row.updated_at).total_seconds() <= 60
    # Without --once the sender waits for the row to fall due instead of hammering the server.
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise _StopWaiting

    with pytest.raises(_StopWaiting):
        send_pending(workspace, [_transport(server)], policy=slow, sleep=sleep)
    assert len(waits) == 1 and 0 < waits[0] <= 60
    assert _outcomes(workspace, outbox_id) == ["retry"]


def test_retries_are_bounded(workspace: Database, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp()
    [outbox_id] = add_approved(workspace, 1)
    server.faults.connect_421 = 100
    report = send_pending(workspace, [_transport(server)], policy=RetryPolicy(max_attempts=3, base_seconds=0.0))
    assert [line.state for line in report.lines] == ["retry", "retry", "failed"]
    row = _row(workspace, outbox_id)
    assert row.state == "failed" and "gave up after 3 tries" in row.last_error and "421" in row.last_error
    assert server.messages() == []
    assert not report.ok


def test_backoff_grows_with_jitter_within_bounds() -> None:
    import random

    policy = RetryPolicy(base_seconds=30, cap_seconds=600)
    rng = random.Random(7)
    delays = [policy.delay(n, rng) for n in range(1, 9)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(600, 30 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_5xx_fails_with_the_servers_reason(workspace: Database, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp(faults=Faults(reject=frozenset({"ben@example.org"})))
    [outbox_id] = add_approved(workspace, 1)
    report = _send(workspace, _transport(server))
    assert [line.state for line in report.lines] == ["failed"]
    row = _row(workspace, outbox_id)
    assert row.state == "failed" and "every recipient was refused" in row.last_error
    assert json.loads(row.refused) == {"ben@example.org": "550 5.1.1 No such user here"}
    assert server.messages() == []


def test_one_refused_recipient_is_recorded_and_the_rest_receive_it(
    workspace: Database, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp(faults=Faults(reject=frozenset({"gone@example.org"})))
    draft_id, content = add_email_draft(workspace, email="ben@example.org, gone@example.org")
    approval = approve(workspace, draft_id=draft_id, content_hash=content, approver="lucia", sender=SENDER)
    report = _send(workspace, _transport(server))
    assert [line.state for line in report.lines] == ["sent"]
    [received] = server.messages()
    assert received.rcpt_tos == ("ben@example.org",)
    row = _row(workspace, approval.outbox_id)
    assert row.state == "sent"
    assert json.loads(row.refused) == {"gone@example.org": "550 5.1.1 No such user here"}


def test_drop_after_data_is_uncertain_and_only_a_person_sends_again(
    workspace: Database, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    [outbox_id] = add_approved(workspace, 1)
    server.faults.drop_after_data = 1
    report = _send(workspace, _transport(server))
    assert [line.state for line in report.lines] == ["uncertain"]
    assert not report.ok
    assert len(server.messages()) == 1  # the server has it; the outbox cannot know
    row = _row(workspace, outbox_id)
    assert row.state == "uncertain" and "gave no answer" in row.last_error
    # No automatic resend, however often the outbox runs.
    assert _send(workspace, _transport(server)).lines == []
    assert len(server.messages()) == 1
    with pytest.raises(OutboxError, match="unknown user"):
        resolve_uncertain(workspace, outbox_id=outbox_id, decision="send_again", actor="nobody")
    resolve_uncertain(workspace, outbox_id=outbox_id, decision="send_again", actor="marta")
    report = _send(workspace, _transport(server))
    assert [line.state for line in report.lines] == ["sent"]
    first, second = server.messages()
    assert first.message_id == second.message_id == _row(workspace, outbox_id).message_id
    assert sent_content_hash(second.data) == _row(workspace, outbox_id).content_hash
    assert _outcomes(workspace, outbox_id) == ["uncertain", "resend", "sent"]
    with workspace.session() as s:
        resend = [a for a in attempts_for(s, outbox_id=outbox_id) if a.outcome == "resend"]
        assert resend[0].actor == "marta"
    with pytest.raises(OutboxError, match="only an uncertain message"):
        resolve_uncertain(workspace, outbox_id=outbox_id, decision="send_again", actor="marta")


def test_slow_250_within_the_timeout_is_sent(workspace: Database, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp()
    server.faults.data_delay = 0.5
    add_approved(workspace, 1)
    report = _send(workspace, _transport(server, timeout=10.0))
    assert [line.state for line in report.lines] == ["sent"]
    assert len(server.messages()) == 1


def test_250_slower_than_the_timeout_is_uncertain_then_marked_sent(
    workspace: Database, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    server.faults.data_delay = 2.0
    [outbox_id] = add_approved(workspace, 1)
    report = _send(workspace, _transport(server, timeout=0.5))
    assert [line.state for line in report.lines] == ["uncertain"]
    assert len(server.messages()) == 1
    row = resolve_uncertain(workspace, outbox_id=outbox_id, decision="mark_sent", actor="lucia")
    assert (row.state, row.sent_by) == ("sent", "lucia")
    assert _outcomes(workspace, outbox_id) == ["uncertain", "resolved_sent"]
    with workspace.session() as s:
        assert s.exec(select(Interaction).where(Interaction.source_id == f"latido-outbox-{outbox_id}")).one()
    assert len(server.messages()) == 1


@pytest.mark.parametrize(
    ("security", "auth"),
    # aiosmtpd only counts STARTTLS as encryption for AUTH, so AUTH is tested there; SSL without AUTH.
    [("starttls", ("hola@cafealba.example", "s3cret")), ("ssl", None)],
)
def test_tls_and_auth(
    workspace: Database,
    smtp: Callable[..., SmtpServer],
    cert: LoopbackCertificate,
    security: str,
    auth: tuple[str, str] | None,
) -> None:
    server = smtp(security=security, certificate=cert, auth=auth)
    [outbox_id] = add_approved(workspace, 1)
    user, password = auth or ("", "")
    good = _transport(server, user=user, password_source=lambda: password, ssl_context=cert.client_context())
    assert [line.state for line in _send(workspace, good).lines] == ["sent"]
    [received] = server.messages()
    assert sent_content_hash(received.data) == _row(workspace, outbox_id).content_hash
    assert server.auth_attempts == (["PLAIN:ok"] if auth else [])


def test_wrong_password_fails_with_the_servers_reason(
    workspace: Database, smtp: Callable[..., SmtpServer], cert: LoopbackCertificate
) -> None:
    server = smtp(security="starttls", certificate=cert, auth=("hola@cafealba.example", "right"))
    [outbox_id] = add_approved(workspace, 1)
    bad = _transport(
        server, user="hola@cafealba.example", password_source=lambda: "wrong", ssl_context=cert.client_context()
    )
    assert [line.state for line in _send(workspace, bad).lines] == ["failed"]
    row = _row(workspace, outbox_id)
    assert row.state == "failed" and "535" in row.last_error
    assert server.messages() == []


def test_a_password_smtplib_cannot_encode_fails_before_sending(
    workspace: Database, smtp: Callable[..., SmtpServer], cert: LoopbackCertificate
) -> None:
    server = smtp(security="starttls", certificate=cert, auth=("hola@cafealba.example", "right"))
    [outbox_id] = add_approved(workspace, 1)
    odd = _transport(
        server, user="hola@cafealba.example", password_source=lambda: "contraseña", ssl_context=cert.client_context()
    )
    assert [line.state for line in _send(workspace, odd).lines] == ["failed"]
    assert _row(workspace, outbox_id).state == "failed"
    assert server.messages() == []


def test_untrusted_certificate_is_not_sent_to(
    workspace: Database, smtp: Callable[..., SmtpServer], cert: LoopbackCertificate
) -> None:
    server = smtp(security="starttls", certificate=cert)
    [outbox_id] = add_approved(workspace, 1)
    assert [line.state for line in _send(workspace, _transport(server)).lines] == ["failed"]
    assert "TLS" in _row(workspace, outbox_id).last_error
    assert server.messages() == []


def test_missing_password_names_the_keyring(workspace: Database, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp()
    [outbox_id] = add_approved(workspace, 1)
    transport = SmtpTransport("127.0.0.1", server.port, "none", "someone", sender=SENDER)
    assert [line.state for line in _send(workspace, transport).lines] == ["failed"]
    assert "latido secret set smtp.password" in _row(workspace, outbox_id).last_error


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_process_that_died_while_sending_leaves_the_row_uncertain(
    workspace: Database, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    first, second = add_approved(workspace, 2)
    host, _, _ = new_worker_id().split(":")
    dead = f"{host}:{_dead_pid()}:gone"
    claimed = claim_next(workspace, worker=dead)
    assert claimed is not None and claimed.id == first and claimed.state == "sending"
    # A claimer that is still alive (this process, sending right now) is left alone.
    assert recover_interrupted(workspace) == 1
    report = _send(workspace, _transport(server))
    assert [(line.outbox_id, line.state) for line in report.lines] == [(second, "sent")]
    row = _row(workspace, first)
    assert row.state == "uncertain" and "stopped before it knew" in row.last_error
    assert _outcomes(workspace, first) == ["uncertain"]
    assert [m.message_id for m in server.messages()] == [_row(workspace, second).message_id]


def test_a_live_claimer_elsewhere_is_not_taken_for_dead(workspace: Database) -> None:
    add_approved(workspace, 1)
    assert claim_next(workspace, worker=f"other-host.example:{os.getpid()}:x") is not None
    assert recover_interrupted(workspace) == 0


def test_two_processes_never_send_the_same_message(db: Database, smtp: Callable[..., SmtpServer]) -> None:
    add_users(db)
    server = smtp()
    ids = add_approved(db, 40)
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.drafting.outbox_sender", db.url, str(server.port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    sent_by = [[int(line.split()[0]) for line in out.splitlines() if line.endswith(" sent")] for out in outputs]
    assert sorted(sent_by[0] + sent_by[1]) == ids
    received = Counter(m.message_id for m in server.messages())
    assert len(received) == len(ids) and set(received.values()) == {1}
    with db.session() as s:
        rows = s.exec(select(OutboxMessage)).all()
        assert {r.state for r in rows} == {"sent"}
        assert {r.message_id for r in rows} == set(received)
