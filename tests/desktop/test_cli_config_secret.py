"""`latido config` and `latido secret`: settings in a file, secrets only in a keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop.cli import main
from drafting.secrets import MemoryKeyring, SecretError, SecretStore, Where
from storage.config import config_path
from tests import keyring_session

LATIDO = [sys.executable, "-m", "desktop.cli"]


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_config_set_get_roundtrip(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "set", "ai.base_url", "http://127.0.0.1:8080/v1/"]) == 0
    assert main(["config", "set", "smtp.security", "ssl"]) == 0
    capsys.readouterr()
    assert main(["config", "get", "ai.base_url"]) == 0
    assert capsys.readouterr().out == "http://127.0.0.1:8080/v1\n"
    assert json.loads(config_path().read_text()) == {"ai.base_url": "http://127.0.0.1:8080/v1", "smtp.security": "ssl"}
    assert main(["config", "set", "smtp.security", ""]) == 0  # back to the default
    capsys.readouterr()
    assert main(["config", "get", "smtp.security"]) == 0
    assert capsys.readouterr().out == "starttls\n"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["config", "set", "smtp.port", "99999"], "not a port number"),
        (["config", "set", "ai.base_url", "ftp://example"], "not an http(s) URL"),
        (["config", "set", "ai.base_url", "https://user:pw@example.com"], "no credentials"),
        (["config", "set", "ai.api_key", "sk-123"], "latido secret set ai.api_key"),
        (["config", "get", "no.such"], "unknown setting"),
        (["config", "frob"], "invalid choice"),
    ],
)
def test_config_rejects_bad_input_in_one_line(args: list[str], reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert err.count("\n") == 1
    assert not config_path().exists()  # nothing half-written


def test_secret_never_reaches_the_config_file(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _stdin("sk-live-secret\n"))
    assert main(["secret", "set", "ai.api_key"]) == 0
    assert memory_keyring.get_password("latido", "ai.api_key") == "sk-live-secret"
    home = Path(os.environ["LATIDO_HOME"])
    assert not any("sk-live-secret" in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file())


def test_secret_without_keyring_is_refused_not_written(
    no_keyring: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", _stdin("sk-live-secret"))
    assert main(["secret", "set", "ai.api_key"]) == 2
    err = capsys.readouterr().err
    assert "no OS keyring" in err and "not stored" in err
    home = Path(os.environ["LATIDO_HOME"])
    assert not any("sk-live-secret" in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file())


def test_app_keeps_secret_in_memory_only_when_asked(no_keyring: None) -> None:
    store = SecretStore()
    with pytest.raises(SecretError, match="not stored"):
        store.set("smtp.password", "pw")
    assert store.set("smtp.password", "pw", allow_memory=True) is Where.MEMORY
    assert store.get("smtp.password") == "pw"
    assert SecretStore().get("smtp.password") == "pw"  # the rest of this session sees it
    assert SecretStore(memory=MemoryKeyring()).get("smtp.password") is None  # another session does not


def test_empty_secret_is_bad_input(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", _stdin(""))
    assert main(["secret", "set", "smtp.password"]) == 2
    assert "nothing on stdin" in capsys.readouterr().err


@pytest.mark.skipif(
    not keyring_session.available() and not os.environ.get("CI"), reason="needs dbus-daemon and gnome-keyring"
)
def test_secret_goes_to_the_real_secret_service(tmp_path: Path) -> None:
    with keyring_session.secret_service(tmp_path / "session") as env:
        stored = subprocess.run(
            [*LATIDO, "secret", "set", "ai.api_key"],
            input="sk-real-1\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert stored.returncode == 0, stored.stderr
        assert "stored in the OS keyring" in stored.stdout
        probe = (
            "import keyring; print(type(keyring.get_keyring()).__name__, keyring.get_password('latido', 'ai.api_key'))"
        )
        read = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        assert read.stdout.split() == ["Keyring", "sk-real-1"]
        assert (
            "SecretService"
            in subprocess.run(
                [sys.executable, "-c", "import keyring; print(keyring.get_keyring())"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            ).stdout
        )


def _stdin(text: str) -> object:
    import io

    return io.StringIO(text)
