"""What every command shares: its error type and a lazily opened database."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database


class CliError(Exception):
    """A one-line reason for stderr, with the exit code it earns (2: bad usage or input)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Context:
    """Per-invocation state: the database is opened (and migrated) on first use."""

    def __init__(self, *, database_url: str | None, lang: str | None) -> None:
        self.database_url = database_url
        self.lang = lang
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            from storage.database import DatabaseError, open_database

            try:
                self._db = open_database(self.database_url)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
        return self._db

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        if self._db is not None:
            self._db.dispose()
