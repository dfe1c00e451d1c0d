"""Fixtures every test shares: a fresh data dir, and real databases on both backends."""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.database import Database
from tests.pg_server import PgServer, start_server
from tests.servers.openai_faults import FaultServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_db_counter = itertools.count()


@pytest.fixture(autouse=True)
def latido_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data dir and no inherited database URL."""
    home = tmp_path / "latido-home"
    monkeypatch.setenv("LATIDO_HOME", str(home))
    monkeypatch.delenv("LATIDO_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def _private_keyring() -> Iterator[None]:
    """Tests never touch the developer's real keyring unless they start their own."""
    import keyring

    from drafting.secrets import MemoryKeyring, SecretStore

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    session_memory = SecretStore._session_memory
    SecretStore._session_memory = MemoryKeyring()  # each test is a fresh app session
    yield
    SecretStore._session_memory = session_memory
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for t in leftover:
        t.join(timeout=5)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    root = Path(tempfile.mkdtemp(prefix="latido-pg-"))
    server = start_server(root)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test."""
    name = f"latido_test_{os.getpid()}_{next(_db_counter)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'latido.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once per backend."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    database = Database(db_url)
    database.upgrade(backup=False)
    yield database
    database.dispose()


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """Start scripted OpenAI-compatible servers (`fault_server("429", fail_times=2)`); all stop after the test."""
    started: list[FaultServer] = []

    def start(mode: str = "ok", **options: object) -> FaultServer:
        server = FaultServer(mode, **options).start()  # type: ignore[arg-type]  # options are FaultServer's fields
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
