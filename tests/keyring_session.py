"""A private D-Bus session with an unlocked GNOME Keyring: the real Secret Service."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def available() -> bool:
    return bool(shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon"))


@contextmanager
def secret_service(home: Path) -> Iterator[dict[str, str]]:
    """Yield an environment whose processes talk to a fresh, unlocked keyring."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        started = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
            input="session-password",
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=True,
        )
        for line in started.stdout.splitlines():
            key, _, value = line.partition("=")
            if key:
                env[key] = value
        yield env
    finally:
        pid = env.get("GNOME_KEYRING_PID")
        if pid and pid.isdigit():
            with suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
        bus.terminate()
        bus.wait(timeout=10)
        if bus.stdout:
            bus.stdout.close()
