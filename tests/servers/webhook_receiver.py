"""A webhook receiver on loopback, as a comment tool or CRM would run one.

It checks each request's signature with the shared secret, remembers idempotency keys (a
repeated key is acknowledged again, not posted twice) and answers from a script: `script`
holds the status codes of the next answers (`"hang"` posts, then holds the answer back until
the receiver stops or `hang_seconds` pass: longer than a client's timeout); when it runs out,
requests are accepted with 200 and `{"id": "post-N"}`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from drafting.delivery.webhook import verify_signature


@dataclass(frozen=True)
class Received:
    body: bytes
    headers: dict[str, str]
    signature_ok: bool
    status: int


@dataclass
class WebhookReceiver:
    secret: str
    script: deque[int | str] = field(default_factory=deque)
    hang_seconds: float = 30.0
    requests: list[Received] = field(default_factory=list)
    posted: dict[str, str] = field(default_factory=dict)
    """Idempotency key -> the id of what was posted for it."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/latido"

    def keys(self) -> list[str]:
        """The idempotency key of every request, in order."""
        return [r.headers.get("idempotency-key", "") for r in self.requests]

    def _answer(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        ok = verify_signature(body, headers.get("x-latido-signature", ""), self.secret)
        with self._lock:
            step = self.script.popleft() if self.script else 200
        hang = step == "hang"
        status = 200 if hang else int(step)
        extra: dict[str, str] = {}
        if not ok:
            status, answer = 401, b'{"error": "bad signature"}'
        elif status == 200:
            key = headers.get("idempotency-key", "")
            with self._lock:
                post_id = self.posted.setdefault(key, f"post-{len(self.posted) + 1}")
            answer = json.dumps({"id": post_id}).encode()
        elif status == 400:
            answer = b'{"error": "comment is closed for replies"}'
        elif 300 <= status < 400:
            answer, extra = b"", {"Location": "https://example.test/login"}
        else:
            answer = b'{"error": "try later"}'
        with self._lock:
            self.requests.append(Received(body, headers, ok, status))
        if hang:
            # Posted, but the answer comes too late for the client: what a retry must not duplicate.
            self._release.wait(self.hang_seconds)
        return status, answer, extra

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer, extra = receiver._answer(body, headers)
                try:
                    self.send_response(status)
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test); what it missed is recorded above

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="webhook-receiver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # let a hanging answer finish now
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
