"""Where Latido keeps its files, and which database it opens."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Latido"


def home() -> Path:
    """The data folder: `LATIDO_HOME`, else the platform's user data dir."""
    override = os.environ.get("LATIDO_HOME")
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_sqlite_path() -> Path:
    return home() / "latido.sqlite3"


def database_url(explicit: str | None = None) -> str:
    """`--database-url`, then `LATIDO_DATABASE_URL`, then the database.url setting, then the SQLite file under home()."""
    if explicit:
        return normalize_url(explicit)
    env = os.environ.get("LATIDO_DATABASE_URL")
    if env:
        return normalize_url(env)
    from storage import config  # here, not at the top: config imports this module

    stored = config.get("database.url")
    if stored:
        return normalize_url(stored)
    return f"sqlite:///{default_sqlite_path()}"


def normalize_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def assets_dir() -> Path:
    """The project's assets/ folder (lexicons, demo data, icons, translations)."""
    return Path(__file__).resolve().parent.parent / "assets"
