"""Fixtures for delivery tests: a real Dovecot IMAP server and a loopback webhook receiver.

Import the fixtures a test module needs by name (`from tests.delivery_fixtures import imap_account`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.dovecot import DovecotServer, ImapAccount, start_dovecot
from tests.servers.webhook_receiver import WebhookReceiver

WEBHOOK_SECRET = "whsec-test-3f9a1c"


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """One Dovecot for the session; each test gets its own user and mailbox."""
    # A short path: Dovecot's unix sockets live under it, and socket paths are limited to 108 bytes.
    root = Path(tempfile.mkdtemp(prefix="latido-imap-"))
    server = start_dovecot(root)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    """A new IMAP user with an empty INBOX."""
    return dovecot.add_user()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A receiver that checks signatures with WEBHOOK_SECRET; stopped after the test."""
    receiver = WebhookReceiver(WEBHOOK_SECRET).start()
    try:
        yield receiver
    finally:
        receiver.stop()
