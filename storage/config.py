"""Local settings (`latido config get|set`): a small JSON file beside the database.

Secrets are never accepted here; they belong in the OS keyring.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from storage.location import home, normalize_url

SECRET_KEYS = frozenset({"ai.api_key", "smtp.password", "imap.password", "webhook.secret"})


class ConfigError(ValueError):
    """A key or value that cannot be set; the message says why."""


def _url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ConfigError(f"{value!r} is not an http(s) URL")
    if parsed.username or parsed.password:
        raise ConfigError("put no credentials in the URL; store them with `latido secret set`")
    return value.rstrip("/")


def _port(value: str) -> str:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"{value!r} is not a port number (1-65535)")
    return str(int(value))


def _choice(*options: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in options:
            raise ConfigError(f"{value!r} is not one of {', '.join(options)}")
        return value

    return check


def _text(value: str) -> str:
    if "\n" in value or len(value) > 500:
        raise ConfigError("expected one line of at most 500 characters")
    return value.strip()


def _database_url(value: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(normalize_url(value.strip()))
    except ArgumentError:
        raise ConfigError(f"{value!r} is not a database URL (sqlite:///PATH or postgresql://USER@HOST/DB)") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(f"{value!r} is not a SQLite or PostgreSQL URL")
    if url.password:
        raise ConfigError("put no password in the database URL; PostgreSQL reads it from ~/.pgpass (or PGPASSWORD)")
    return url.render_as_string(hide_password=False)


def _float(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{value!r} is not a number") from None
    if number <= 0:
        raise ConfigError("expected a positive number")
    return value


@dataclass(frozen=True)
class Key:
    name: str
    default: str
    check: Callable[[str], str]
    help: str


KEYS: Mapping[str, Key] = {
    k.name: k
    for k in (
        Key("ai.base_url", "", _url, "OpenAI-compatible endpoint; empty means the offline composer"),
        Key("ai.model", "", _text, "model name at that endpoint"),
        Key("ai.timeout", "60", _float, "seconds to wait for the model"),
        Key("smtp.host", "", _text, "outgoing mail server"),
        Key("smtp.port", "587", _port, "outgoing mail port"),
        Key("smtp.security", "starttls", _choice("ssl", "starttls", "none"), "ssl, starttls or none"),
        Key("smtp.user", "", _text, "login for the mail server"),
        Key("smtp.from", "", _text, "From address of sent mail"),
        Key("imap.host", "", _text, "incoming mail server"),
        Key("imap.port", "993", _port, "incoming mail port"),
        Key("imap.security", "ssl", _choice("ssl", "starttls", "none"), "ssl, starttls or none"),
        Key("imap.user", "", _text, "login for the incoming mail server"),
        Key("imap.folder", "INBOX", _text, "folder to fetch from"),
        Key("webhook.url", "", _url, "where approved comments are posted"),
        Key("user.name", "", _text, "who you are in Latido (a user name)"),
        Key(
            "database.url",
            "",
            _database_url,
            "sqlite:///PATH or postgresql://USER@HOST/DB (no password); --database-url and LATIDO_DATABASE_URL come first",
        ),
        Key("ui.lang", "", _choice("", "en", "es"), "interface language; empty follows the system"),
        Key("ui.theme", "system", _choice("system", "light", "dark"), "system, light or dark"),
    )
}


def config_path() -> Path:
    return home() / "config.json"


def _load(path: Path) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc}); fix or remove it") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} should hold a JSON object")
    return {str(k): str(v) for k, v in raw.items() if k in KEYS}


def _known(key: str) -> Key:
    if key in SECRET_KEYS:
        raise ConfigError(f"{key} is a secret: store it with `latido secret set {key}` (it goes to the OS keyring)")
    if key not in KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(sorted(KEYS))}")
    return KEYS[key]


def get(key: str, *, path: Path | None = None) -> str:
    """The value set for `key`, or its default."""
    spec = _known(key)
    return _load(path or config_path()).get(key, spec.default)


def all_values(*, path: Path | None = None) -> dict[str, str]:
    stored = _load(path or config_path())
    return {name: stored.get(name, spec.default) for name, spec in KEYS.items()}


def set_value(key: str, value: str, *, path: Path | None = None) -> str:
    """Validate and store `key`; an empty value returns it to its default. Returns what was stored."""
    spec = _known(key)
    clean = spec.check(value) if value != "" else ""
    target = path or config_path()
    values = _load(target)
    if clean == "":
        values.pop(key, None)
    else:
        values[key] = clean
    _write_atomically(target, values)
    return clean


def _write_atomically(path: Path, values: Mapping[str, str]) -> None:
    # A crash mid-write must leave either the old file or the new one, never half of each.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(sorted(values.items())), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
