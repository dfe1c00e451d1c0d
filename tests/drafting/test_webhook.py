"""The signed webhook against a real HTTP receiver on loopback: signatures, idempotency, outcomes."""

from __future__ import annotations

import json
import socket

import pytest

from drafting.delivery.base import Outgoing
from drafting.delivery.webhook import WebhookTransport, payload, sign, verify_signature
from storage.hashing import content_hash
from tests import delivery_fixtures
from tests.delivery_fixtures import WEBHOOK_SECRET
from tests.servers.webhook_receiver import WebhookReceiver

# The shared delivery fixture, bound here so pytest finds it for this module's tests.
webhook_receiver = delivery_fixtures.webhook_receiver

pytestmark = pytest.mark.timeout(60)

BODY = "¡Gracias, Ana! Ya revisamos tu pedido 1042: sale mañana. 🙂"


def outgoing(key: str = "ob-7-3b1f") -> Outgoing:
    return Outgoing(
        outbox_id=7,
        channel="comment",
        recipients=("instagram:@ana",),
        subject="",
        body=BODY,
        content_hash=content_hash("", BODY),
        idempotency_key=key,
        url="https://instagram.example/p/abc/c/123",
    )


def test_signed_request_is_accepted(webhook_receiver: WebhookReceiver) -> None:
    outcome = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET).send(outgoing())

    assert (outcome.state, outcome.remote_id) == ("sent", "post-1")
    [request] = webhook_receiver.requests
    assert request.signature_ok
    assert request.headers["idempotency-key"] == "ob-7-3b1f"
    assert request.headers["x-latido-timestamp"].isdigit()
    assert request.headers["content-type"].startswith("application/json")
    assert request.body == payload(outgoing())
    assert json.loads(request.body) == {
        "outbox_id": 7,
        "channel": "comment",
        "recipients": ["instagram:@ana"],
        "subject": "",
        "body": BODY,
        "content_hash": content_hash("", BODY),
        "url": "https://instagram.example/p/abc/c/123",
        "idempotency_key": "ob-7-3b1f",
    }


def test_receiver_refuses_a_wrong_secret(webhook_receiver: WebhookReceiver) -> None:
    outcome = WebhookTransport(webhook_receiver.url, "another-secret").send(outgoing())
    assert outcome.state == "failed" and outcome.detail.startswith("HTTP 401")
    assert webhook_receiver.posted == {}


def test_verify_signature() -> None:
    body = payload(outgoing())
    header = sign(body, WEBHOOK_SECRET)
    assert header.startswith("sha256=") and len(header) == len("sha256=") + 64
    assert verify_signature(body, header, WEBHOOK_SECRET)
    assert not verify_signature(body.replace(b"1042", b"1043"), header, WEBHOOK_SECRET)
    assert not verify_signature(body, header, "another-secret")
    assert not verify_signature(body, header.removeprefix("sha256="), WEBHOOK_SECRET)
    assert not verify_signature(body, "sha256=ñ" + header[8:], WEBHOOK_SECRET)
    assert not verify_signature(body, header, "")


def test_server_error_is_retried_with_the_same_key(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script.extend([500, 503])
    transport = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET)

    first = transport.send(outgoing())
    second = transport.send(outgoing())
    third = transport.send(outgoing())

    assert (first.state, second.state, third.state) == ("retry", "retry", "sent")
    assert first.detail.startswith("HTTP 500") and "try later" in first.detail
    assert webhook_receiver.keys() == ["ob-7-3b1f"] * 3
    assert webhook_receiver.posted == {"ob-7-3b1f": "post-1"}


def test_client_error_fails_with_the_receivers_reason(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script.append(400)
    outcome = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET).send(outgoing())
    assert outcome.state == "failed"
    assert outcome.detail.startswith("HTTP 400") and "comment is closed for replies" in outcome.detail


def test_rate_limit_is_retried(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script.append(429)
    assert WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET).send(outgoing()).state == "retry"


def test_redirect_is_not_followed(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script.append(302)
    outcome = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET).send(outgoing())
    assert outcome.state == "failed" and "https://example.test/login" in outcome.detail
    assert len(webhook_receiver.requests) == 1


def test_timeout_is_retried_and_the_retry_is_recognised(webhook_receiver: WebhookReceiver) -> None:
    # The receiver posts, but its answer never arrives in time.
    webhook_receiver.script.append("hang")
    transport = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET, timeout=0.5)

    first = transport.send(outgoing())
    second = transport.send(outgoing())

    assert first.state == "retry" and "in time" in first.detail
    assert (second.state, second.remote_id) == ("sent", "post-1")
    assert webhook_receiver.keys() == ["ob-7-3b1f", "ob-7-3b1f"]
    assert webhook_receiver.posted == {"ob-7-3b1f": "post-1"}


def test_unreachable_receiver_is_retried() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/hook"  # bound but not listening
        outcome = WebhookTransport(url, WEBHOOK_SECRET).send(outgoing())
    assert outcome.state == "retry" and "could not reach" in outcome.detail


def test_a_row_without_idempotency_key_is_not_sent(webhook_receiver: WebhookReceiver) -> None:
    outcome = WebhookTransport(webhook_receiver.url, WEBHOOK_SECRET).send(outgoing(key=""))
    assert outcome.state == "failed" and "idempotency key" in outcome.detail
    assert webhook_receiver.requests == []


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("ftp://hooks.example/x", WEBHOOK_SECRET, "http"),
        ("https://user:pw@hooks.example/x", WEBHOOK_SECRET, "credentials"),
        ("https://hooks.example/x", "", "webhook.secret"),
    ],
)
def test_bad_settings_are_refused(url: str, secret: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebhookTransport(url, secret)


def test_secret_is_not_in_the_repr() -> None:
    assert WEBHOOK_SECRET not in repr(WebhookTransport("https://hooks.example/x", WEBHOOK_SECRET))
