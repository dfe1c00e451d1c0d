"""A scripted OpenAI-compatible server on loopback, for the faults a real endpoint can show.

It speaks just enough of the API for the provider: `GET /v1/models` and streaming
`POST /v1/chat/completions`. Its `mode` decides how the chat call behaves:

- `ok`: streams `chunks` (with `delay` seconds between them), a finish reason, usage and `[DONE]`
- `401`: refuses the key, echoing it back the way some servers do (so tests can check redaction)
- `404_model`: the model does not exist; `404_path`: there is no such API at all
- `429` / `500`: fails `fail_times` times (with `retry_after`, if set), then behaves as `ok`
- `hang`: streams the chunks, then stalls until the client goes away
- `stall`: reads the request and never answers, not even headers
- `malformed`: streams the chunks, then an event that is not JSON
- `truncated`: streams the chunks, then ends the body without a finish reason or `[DONE]`
- `error_event`: streams the chunks, then an `{"error": …}` event

Every request is recorded (method, path, headers, JSON body) so tests can assert what was
sent. `stalled` is set when a response starts stalling, and `client_closed` when a stalled
response sees the client close its connection.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("ok", "401", "404_model", "404_path", "429", "500", "hang", "stall", "malformed", "truncated", "error_event")


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FaultServer:
    mode: str = "ok"
    chunks: Sequence[str] = ("Hola", " Ana,", " gracias", " por", " escribir.")
    delay: float = 0.0
    fail_times: int = 1_000_000
    retry_after: str | None = "0"
    models: Sequence[str] = ("model-b", "model-a")
    requests: list[Recorded] = field(default_factory=list)
    client_closed: threading.Event = field(default_factory=threading.Event)
    received: threading.Event = field(default_factory=threading.Event)
    stalled: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; known: {', '.join(MODES)}")
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._failures = 0
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # stalled handlers notice this and return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, handler: BaseHTTPRequestHandler, body: Any) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Recorded(handler.command, handler.path, headers, body))
        self.received.set()

    def _should_fail(self) -> bool:
        with self._lock:
            if self._failures < self.fail_times:
                self._failures += 1
                return True
            return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fault: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-stream (a cancel) is expected here, not an error worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, as real endpoints use
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the recorded requests are what tests look at."""

    # -- plumbing --

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, code: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}}, headers)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, payload: object | str) -> None:
        text = payload if isinstance(payload, str) else json.dumps(payload)
        self._chunk(f"data: {text}\n\n".encode())

    def _end_body(self) -> None:
        self._chunk(b"")

    def _wait_for_client_to_leave(self) -> None:
        """Hold the connection open, sending nothing, until the client closes it or the server stops."""
        self.close_connection = True
        sock: socket.socket = self.connection
        fault = self.server.fault
        fault.stalled.set()
        while not fault._stop.is_set():
            readable, _, _ = select.select([sock], [], [], 0.02)
            if not readable:
                continue
            try:
                if sock.recv(1, socket.MSG_PEEK) == b"":
                    break
            except OSError:
                break
            time.sleep(0.02)  # stray bytes (none are expected): keep waiting for the close
        else:
            return
        fault.client_closed.set()

    # -- the API --

    def do_GET(self) -> None:
        fault = self.server.fault
        fault._record(self, None)
        if self.path.rstrip("/") == "/v1/models" and fault.mode != "404_path":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in fault.models]
            self._json(200, {"object": "list", "data": data})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        fault = self.server.fault
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"null")
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        fault._record(self, body)
        mode = fault.mode
        if self.path.rstrip("/") != "/v1/chat/completions" or mode == "404_path":
            self._json(404, {"detail": "Not Found"})
            return
        model = body.get("model", "") if isinstance(body, dict) else ""
        if mode == "401":
            key = self.headers.get("Authorization", "").removeprefix("Bearer ")
            self._error(
                401, f"Incorrect API key provided: {key}. You can find your API key in your account.", "invalid_api_key"
            )
        elif mode == "404_model":
            self._error(404, f"The model `{model}` does not exist or you do not have access to it.", "model_not_found")
        elif mode in ("429", "500") and fault._should_fail():
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            if mode == "429":
                self._error(429, "Rate limit reached for requests", "rate_limit_exceeded", headers)
            else:
                self._error(500, "The server had an error while processing your request.", "server_error", headers)
        elif mode == "stall":
            self._wait_for_client_to_leave()
        else:
            self._stream(body if isinstance(body, dict) else {}, model)

    def _stream(self, body: dict[str, Any], model: str) -> None:
        fault = self.server.fault
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for text in fault.chunks:
            self._event(_chunk_json(model, {"content": text}, None))
            if fault.delay:
                time.sleep(fault.delay)
        mode = fault.mode
        if mode == "hang":
            self._wait_for_client_to_leave()
            return
        if mode == "malformed":
            self._event("{this is not json")
        elif mode == "error_event":
            self._event({"error": {"message": "the model crashed while generating", "type": "server_error"}})
        elif mode != "truncated":
            self._event(_chunk_json(model, {}, "stop"))
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = {
                    "prompt_tokens": 11,
                    "completion_tokens": len(fault.chunks),
                    "total_tokens": 11 + len(fault.chunks),
                }
                self._event({**_chunk_json(model, {}, None), "choices": [], "usage": usage})
            self._event("[DONE]")
        self._end_body()


def _chunk_json(model: str, delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def closed_port() -> int:
    """A loopback port with nothing listening: connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
