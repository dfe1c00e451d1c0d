"""Secrets (API keys, SMTP passwords) live in the OS keyring, or in memory for one session.

There is no plaintext fallback: when no keyring is usable, callers are told so
and may keep the value in this process's memory only.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum

import keyring
import keyring.errors
from jaraco.classes import properties
from keyring.backend import KeyringBackend

SERVICE = "latido"
SECRET_NAMES = ("ai.api_key", "smtp.password", "imap.password", "webhook.secret")


class Where(StrEnum):
    KEYRING = "keyring"
    MEMORY = "memory"


class SecretError(Exception):
    """A secret could not be stored or read; the message says what to do."""


class MemoryKeyring(KeyringBackend):
    """Holds secrets in this process only: for a session without an OS keyring, and for tests."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805  # a classproperty takes the class
        # Never chosen by keyring's auto-detection: only ever installed explicitly.
        raise RuntimeError("the in-memory keyring is only used when set explicitly")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base __init__ has no annotations
        self._values: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._values.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError(username)


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str
    reason: str


def keyring_status() -> KeyringStatus:
    """Whether a real OS keyring is usable, and which one."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, MemoryKeyring):
        return KeyringStatus(True, name, "in-memory keyring (this process only)")
    if "fail" in type(backend).__module__ or "null" in type(backend).__module__:
        return KeyringStatus(False, name, "no OS keyring service is running (e.g. GNOME Keyring or KWallet)")
    return KeyringStatus(True, name, "")


class SecretStore:
    """Reads and writes named secrets: keyring first, this session's memory when there is none."""

    # One memory for the whole process: a key kept "for this session" must reach every part of the app.
    _session_memory = MemoryKeyring()

    def __init__(self, *, memory: MemoryKeyring | None = None) -> None:
        self._memory = memory if memory is not None else SecretStore._session_memory

    def _check(self, name: str) -> None:
        if name not in SECRET_NAMES:
            raise SecretError(f"unknown secret {name!r}; known: {', '.join(SECRET_NAMES)}")

    def set(self, name: str, value: str, *, allow_memory: bool = False) -> Where:
        """Store a secret. Without a keyring, keep it in memory only if `allow_memory`."""
        self._check(name)
        if not value:
            raise SecretError(f"{name}: the value is empty")
        status = keyring_status()
        if status.available:
            try:
                keyring.set_password(SERVICE, name, value)
                return Where.KEYRING
            except keyring.errors.KeyringError as exc:
                status = KeyringStatus(False, status.backend, f"the keyring refused it ({exc})")
        if not allow_memory:
            raise SecretError(f"{status.reason}; {name} was not stored anywhere")
        self._memory.set_password(SERVICE, name, value)
        return Where.MEMORY

    def get(self, name: str) -> str | None:
        self._check(name)
        remembered = self._memory.get_password(SERVICE, name)
        if remembered is not None:
            return remembered
        if not keyring_status().available:
            return None
        try:
            return keyring.get_password(SERVICE, name)
        except keyring.errors.KeyringError:
            return None

    def delete(self, name: str) -> None:
        self._check(name)
        with suppress(keyring.errors.PasswordDeleteError):
            self._memory.delete_password(SERVICE, name)
        if keyring_status().available:
            with suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, name)
