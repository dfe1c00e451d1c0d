"""One way to open the database and get sessions: SQLite (default) or PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from storage.location import database_url
from storage.revisions import MIGRATIONS, newest_file_revision

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 60_000


class DatabaseError(Exception):
    """A database problem a person can act on; the message says what to do."""


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself, so writes can be IMMEDIATE.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An engine plus the two kinds of session Latido uses: read and write."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.path: Path | None = Path(parsed.database) if parsed.database else None
            if self.path is None or str(self.path) == ":memory:":
                raise DatabaseError("Latido needs a SQLite file, not an in-memory database")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(
                self.url,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                pool_size=8,
                max_overflow=8,
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        elif self.dialect == "postgresql":
            self.path = None
            self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        else:
            raise DatabaseError(
                f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}: use sqlite:///PATH or postgresql://…"
            )
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages and the settings dialog."""
        return make_url(self.url).render_as_string(hide_password=True)

    def session(self) -> Session:
        """A session for reading (use it as a context manager)."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: BEGIN IMMEDIATE on SQLite; commits on success, rolls back on error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # -- schema --------------------------------------------------------------

    def _alembic_config(self, connection: sa.Connection) -> Config:
        # Alembic is imported when migrations are looked at, not when the module is.
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        return cfg

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(cfg).get_current_head()

    def needs_upgrade(self) -> bool:
        return self.current_revision() != self.head_revision()

    def upgrade(self, *, backup: bool = True, revision: str = "head") -> Path | None:
        """Bring the schema to `revision` (the newest by default); back up a non-empty SQLite file first."""
        # Opening an up-to-date workspace (every start of the app) needs no Alembic: importing it costs more
        # than the rest of opening the database. Anything unusual goes the full way below.
        newest = newest_file_revision()
        if revision == "head" and newest is not None and self._stamped_revision() == newest:
            return None
        current = self._checked_current()
        if current == (self.head_revision() if revision == "head" else revision):
            return None
        saved = None
        if backup and current is not None and self.path is not None and self.path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            saved = self.backup(self.path.with_name(f"{self.path.stem}.before-{current}.{stamp}.sqlite3"))
        from alembic import command

        with self.engine.begin() as conn:
            command.upgrade(self._alembic_config(conn), revision)
        return saved

    def downgrade_to_empty(self) -> None:
        """Drop every Latido table (used by `latido demo --reset`)."""
        from alembic import command

        with self.engine.begin() as conn:
            command.downgrade(self._alembic_config(conn), "base")

    def _stamped_revision(self) -> str | None:
        """The revision in alembic_version when it holds exactly one, read without Alembic; None otherwise."""
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
        except sa.exc.DBAPIError:
            return None  # no such table yet, or no server: the full path reports it
        return str(rows[0]) if len(rows) == 1 else None

    def _checked_current(self) -> str | None:
        try:
            return self.current_revision()
        except sa.exc.OperationalError as exc:
            raise DatabaseError(f"cannot open the database at {self.display_url}: {exc.orig}") from exc

    # -- backup --------------------------------------------------------------

    def backup(self, target: Path) -> Path:
        """A consistent copy of the SQLite file through SQLite's online backup API."""
        if self.path is None:
            raise DatabaseError(
                "backups of a PostgreSQL database are made with pg_dump, e.g. "
                f"pg_dump --format=custom --file=latido.dump '{self.display_url}'"
            )
        target = Path(target)
        if target.exists():
            raise DatabaseError(f"{target} already exists; choose a new file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(self.path)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        shutil.move(partial, target)
        return target

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    """Open (and by default migrate) the database the settings point at."""
    db = Database(url)
    if upgrade:
        db.upgrade()
    return db
