"""Drafts from any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, LM Studio, vLLM, llama.cpp).

The `openai` SDK is imported only when a provider first talks to its endpoint: it
costs a noticeable fraction of a second and must stay off the app's startup path.

Three things here go beyond calling the SDK:

- **Cancellation that works on a hung stream.** A blocked socket read cannot be
  interrupted by a flag. Every socket the request uses is linked to the
  request's `CancelToken`, and cancelling shuts the socket down, which wakes the
  reading thread at once, whatever the server is doing.
- **Retries only before the first token.** 429, 5xx and connection failures are
  retried with exponential backoff and jitter while nothing has been shown to
  the person; once text has arrived, a failure keeps the partial draft instead.
  The SDK's own retries are off so that this is the only policy.
- **Keys never travel further than they should.** The key comes from the
  explicit argument, then the keyring, then `OPENAI_API_KEY`, and that last one
  is only sent to api.openai.com. Error messages are written here, from status
  codes, and any server text quoted in them has the key removed.
"""

from __future__ import annotations

import email.utils
import logging
import math
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlparse

from drafting.providers.base import (
    AuthFailed,
    BadResponse,
    CancelToken,
    Chunk,
    FinishReason,
    GenerationRequest,
    GenerationResult,
    ModelNotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    Timeout,
    Timer,
    Usage,
)
from drafting.secrets import SecretStore
from storage import config

if TYPE_CHECKING:
    import httpcore2
    import httpx2
    import openai
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

log = logging.getLogger(__name__)

T = TypeVar("T")

OPENAI_HOST = "api.openai.com"
# Local servers ignore the Authorization header, but the SDK will not start without a key.
PLACEHOLDER_KEY = "no-key"
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
# A Retry-After longer than this is not waited out silently: the person is told instead.
MAX_RETRY_AFTER_S = 20.0
CONNECT_TIMEOUT_CAP_S = 10.0
MODEL_LIST_TIMEOUT_S = 3.0
_FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "content_filter": "content_filter",
    "tool_calls": "stop",
    "function_call": "stop",
}


# -- cancellation: linking a request's sockets to its cancel token --------------------------------

_current = threading.local()


def _shutdown(sock: socket.socket) -> None:
    # shutdown(), unlike close(), wakes a thread blocked in recv() on the same socket. The base-class
    # method is called directly so that a TLS socket keeps its SSL object for the reader to fail on.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _SocketWatch:
    """The sockets one generation uses; cancelling its token shuts them down."""

    def __init__(self, cancel: CancelToken) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._active = True
        self._tripped = False
        cancel.on_cancel(self._trip)

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if not self._active:
                return
            if sock not in self._sockets:
                self._sockets.append(sock)
            tripped = self._tripped
        if tripped:
            _shutdown(sock)

    def _trip(self) -> None:
        with self._lock:
            if not self._active:
                return
            self._tripped = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def release(self) -> None:
        """Forget the sockets: a pooled connection must not be shut down by a later, stale cancel."""
        with self._lock:
            self._active = False
            self._sockets.clear()


def _link(stream: httpcore2.NetworkStream) -> None:
    watch: _SocketWatch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.attach(stream.get_extra_info("socket"))


class _WatchedStream:
    """A network stream that tells the current request's watch which socket it is using.

    Reads and writes happen in the thread that makes the request, so a thread-local tells
    which generation a (possibly reused, keep-alive) connection is serving right now.
    """

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner
        _link(inner)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        _link(self._inner)
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _link(self._inner)
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _WatchedStream:
        return _WatchedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _WatchedBackend:
    """httpcore2's sync network backend, handing out watched streams."""

    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> _WatchedStream:
        return _WatchedStream(
            self._inner.connect_tcp(
                host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
            )
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> _WatchedStream:
        return _WatchedStream(self._inner.connect_unix_socket(path, timeout=timeout, socket_options=socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _http_client(timeout: float) -> httpx2.Client:
    import httpcore2
    import httpx2

    transport = httpx2.HTTPTransport()
    # httpx2 has no public way to choose the network backend, and the backend is the only place
    # that sees a socket before the response headers arrive (a server that stalls before answering
    # must be cancellable too). A proxied connection bypasses this transport; the stream's
    # `network_stream` extension still links its socket once the headers are in.
    transport._pool = httpcore2.ConnectionPool(
        ssl_context=httpx2.create_ssl_context(),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=cast("httpcore2.NetworkBackend", _WatchedBackend(httpcore2.SyncBackend())),
    )
    return httpx2.Client(transport=transport, timeout=_timeout(timeout), follow_redirects=True)


def _timeout(seconds: float) -> httpx2.Timeout:
    import httpx2

    # The read timeout bounds the silence between two chunks, which is what a stalled stream is.
    return httpx2.Timeout(seconds, connect=min(seconds, CONNECT_TIMEOUT_CAP_S))


# -- keys and messages ----------------------------------------------------------------------------


def _host(base_url: str) -> str:
    parsed = urlparse(base_url)
    host = parsed.hostname or base_url
    return f"{host}:{parsed.port}" if parsed.port else host


def _redact(text: str, key: str | None) -> str:
    if key and len(key) >= 4:
        text = text.replace(key, "***")
    return text


def _server_detail(exc: openai.APIError, key: str | None) -> str:
    """The server's own one-line explanation, if it gave one, without the key."""
    body = exc.body
    message: object = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message is None:
            message = body.get("detail") or body.get("message")
    text = message if isinstance(message, str) else ""
    text = " ".join(text.split())
    if len(text) > 200:
        text = text[:197] + "..."
    return _redact(text, key)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# -- the provider ---------------------------------------------------------------------------------


class OpenAIProvider:
    """Streams chat completions from one OpenAI-compatible endpoint and model."""

    name = "openai-compatible"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 60,
        max_retries: int = 2,
        secrets: SecretStore | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.host = _host(self.base_url)
        self.timeout = float(timeout)
        self.max_retries = max(0, max_retries)
        self._explicit_key = api_key or None
        self._secrets = secrets
        self._lock = threading.Lock()
        self._client_instance: openai.OpenAI | None = None
        self._key: str | None = None
        self._key_source = ""
        self._send_usage_option = True

    def __repr__(self) -> str:
        return f"OpenAIProvider(base_url={self.base_url!r}, model={self.model!r})"

    # -- keys --

    def _resolve_key(self) -> tuple[str | None, str]:
        if self._explicit_key:
            return self._explicit_key, "explicit"
        stored = (self._secrets or SecretStore()).get("ai.api_key")
        if stored:
            return stored, "keyring"
        # The environment's key is meant for OpenAI; a custom host must never receive it.
        env = os.environ.get("OPENAI_API_KEY")
        if env and urlparse(self.base_url).hostname == OPENAI_HOST:
            return env, "environment"
        return None, "none"

    @property
    def key_source(self) -> str:
        """Where the key sent comes from: explicit, keyring, environment or none (a placeholder)."""
        self._client()
        return self._key_source

    def _client(self) -> openai.OpenAI:
        with self._lock:
            if self._client_instance is None:
                import openai

                key, source = self._resolve_key()
                self._key, self._key_source = key, source
                self._client_instance = openai.OpenAI(
                    api_key=key or PLACEHOLDER_KEY,
                    base_url=self.base_url,
                    timeout=_timeout(self.timeout),
                    max_retries=0,  # retries are decided here: only before the first token
                    http_client=_http_client(self.timeout),
                )
            return self._client_instance

    def close(self) -> None:
        """Close pooled connections; the provider reconnects if used again."""
        with self._lock:
            client, self._client_instance = self._client_instance, None
        if client is not None:
            client.close()

    # -- retries --

    def _retry_delay(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when the server asks for too long a wait."""
        import openai

        if isinstance(exc, openai.APIStatusError):
            asked = _retry_after(exc.response.headers)
            if asked is not None:
                return asked if asked <= MAX_RETRY_AFTER_S else None
        return min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0**attempt) * random.uniform(0.5, 1.0)  # noqa: S311  # jitter, not cryptography

    def _with_retries(self, call: Callable[[], T], cancel: CancelToken, watch: _SocketWatch | None) -> T | None:
        """Run `call`, retrying 429, 5xx and connection failures; None when cancelled meanwhile."""
        import httpx2
        import openai

        attempt = 0
        while True:
            if cancel.cancelled:
                return None
            _current.watch = watch
            try:
                return call()
            # A transport error can escape the SDK unwrapped (e.g. while it reads an error's body).
            except (
                openai.RateLimitError,
                openai.InternalServerError,
                openai.APIConnectionError,
                httpx2.TransportError,
            ) as exc:
                timed_out = isinstance(exc, (openai.APITimeoutError, httpx2.TimeoutException))
                if timed_out or cancel.cancelled or attempt >= self.max_retries:
                    raise _GaveUpError(exc, attempt + 1) from None
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    raise _GaveUpError(exc, attempt + 1) from None
                log.info(
                    "AI endpoint %s: %s, retrying in %.2f s (attempt %d of %d)",
                    self.host,
                    type(exc).__name__,
                    delay,
                    attempt + 2,
                    self.max_retries + 1,
                )
            finally:
                _current.watch = None
            attempt += 1
            if cancel.wait(delay):
                return None

    # -- errors --

    def _map_error(self, exc: Exception, *, partial: str) -> ProviderError:
        """A typed error with a message the person can act on; never the key."""
        import httpx2
        import openai

        host, key = self.host, self._key
        attempts = 1
        if isinstance(exc, _GaveUpError):
            attempts = exc.attempts
            exc = exc.cause
        tried = f" after {_plural(attempts, 'attempt')}" if attempts > 1 else ""
        kept = "; the partial draft was kept" if partial else ""
        error: ProviderError
        if isinstance(exc, (openai.APITimeoutError, httpx2.TimeoutException)):
            if partial:
                text = f"The AI endpoint at {host} stopped sending for {self.timeout:g} s mid-answer{kept}. Try again, or check the server"
            else:
                text = f"The AI endpoint at {host} did not answer within {self.timeout:g} s: check the server, or raise ai.timeout"
            error = Timeout(text, partial_text=partial)
        elif isinstance(exc, (openai.APIConnectionError, httpx2.TransportError)):
            if partial:
                text = f"The connection to the AI endpoint at {host} dropped mid-answer{kept}. Try again"
            else:
                text = f"Cannot reach the AI endpoint at {host}{tried}: is the server running? Check ai.base_url"
            error = ProviderUnavailable(text, partial_text=partial)
        elif isinstance(exc, openai.APIStatusError):
            error = self._map_status(exc, tried=tried, partial=partial)
        elif isinstance(exc, openai.APIError):
            detail = _server_detail(exc, key) or "no reason given"
            error = BadResponse(
                f"The AI endpoint at {host} reported an error mid-answer: {detail}{kept}", partial_text=partial
            )
        elif isinstance(exc, _StreamEndedEarlyError):
            error = BadResponse(
                f"The AI endpoint at {host} ended the answer without finishing it{kept}: "
                "is ai.base_url an OpenAI-compatible endpoint?",
                partial_text=partial,
            )
        else:
            error = BadResponse(
                f"The AI endpoint at {host} sent a malformed stream ({type(exc).__name__}){kept}: "
                "is ai.base_url an OpenAI-compatible endpoint?",
                partial_text=partial,
            )
        if key and key in str(error):  # belt and braces: no message may carry the key
            error = type(error)(_redact(str(error), key), partial_text=partial)
        return error

    def _map_status(self, exc: openai.APIStatusError, *, tried: str, partial: str) -> ProviderError:
        host, status = self.host, exc.status_code
        detail = _server_detail(exc, self._key)
        said = f" ({detail})" if detail else ""
        if status in (401, 403):
            what = "refused the API key" if status == 401 else "denied access with this API key"
            return AuthFailed(
                f"The AI endpoint at {host} {what} (HTTP {status}): store a key with `latido secret set ai.api_key`",
                partial_text=partial,
            )
        if status == 404:
            if "model" in detail.lower() or not detail:
                return ModelNotFound(
                    f"Model {self.model!r} was not found at {host} (HTTP 404){self._available_models()}: "
                    "choose one with `latido config set ai.model NAME`",
                    partial_text=partial,
                )
            return ProviderUnavailable(
                f"The AI endpoint at {host} has no chat completions API (HTTP 404){said}: "
                "check ai.base_url (it usually ends in /v1)",
                partial_text=partial,
            )
        if status == 429:
            asked = _retry_after(exc.response.headers)
            wait = f"; it asks to wait {asked:g} s" if asked is not None and asked > MAX_RETRY_AFTER_S else ""
            return RateLimited(
                f"The AI endpoint at {host} is rate limiting requests (HTTP 429){tried}{wait}{said}: "
                "wait a minute and try again, or check your plan's limits",
                partial_text=partial,
            )
        if status >= 500:
            return ProviderUnavailable(
                f"The AI endpoint at {host} failed with HTTP {status}{tried}{said}: "
                "check the server's log, or try again later",
                partial_text=partial,
            )
        return BadResponse(
            f"The AI endpoint at {host} rejected the request (HTTP {status}){said}", partial_text=partial
        )

    def _available_models(self) -> str:
        """`; available: a, b` when the endpoint lists its models quickly; empty otherwise."""
        import httpx2
        import openai

        try:
            page = self._client().with_options(timeout=MODEL_LIST_TIMEOUT_S).models.list()
            names = sorted(m.id for m in page.data)
        except (openai.OpenAIError, httpx2.TransportError, ValueError, TypeError, AttributeError):
            return ""  # the listing is a courtesy; the 404 itself is what gets reported
        if not names:
            return ""
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        return f"; available: {shown}"

    # -- the API --

    def stream(self, request: GenerationRequest) -> OpenAIStream:
        """A stream of chunks for `request`; nothing is sent until it is iterated."""
        return OpenAIStream(self, request)

    def list_models(self) -> list[str]:
        """Model names the endpoint offers, sorted (for the settings dialog)."""
        import httpx2
        import openai

        cancel = CancelToken()
        watch = _SocketWatch(cancel)
        error: ProviderError | None = None
        names: list[str] = []
        try:
            page = self._with_retries(self._client().models.list, cancel, watch)
            names = sorted(str(m.id) for m in page.data) if page is not None else []
        except (openai.OpenAIError, httpx2.TransportError, _GaveUpError, ValueError, TypeError, AttributeError) as exc:
            error = self._map_error(exc, partial="")
        finally:
            watch.release()
        if error is not None:
            raise error  # raised outside the handler so the SDK's exception (and its request) is not attached
        return names

    def check(self) -> str:
        """A one-line verdict for the settings dialog; raises the typed error when the endpoint fails."""
        names = self.list_models()
        verdict = f"connection OK: {_plural(len(names), 'model')}"
        if names and self.model and self.model not in names:
            verdict += f" ({self.model!r} is not among them)"
        return verdict

    def _open(self, request: GenerationRequest, watch: _SocketWatch) -> openai.Stream[ChatCompletionChunk] | None:
        import openai

        messages = cast(
            "list[ChatCompletionMessageParam]", [{"role": m.role, "content": m.content} for m in request.messages]
        )

        def create() -> openai.Stream[ChatCompletionChunk]:
            return self._client().chat.completions.create(
                model=self.model,
                messages=messages,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stream=True,
                stream_options={"include_usage": True} if self._send_usage_option else openai.omit,
            )

        try:
            sdk_stream = self._with_retries(create, request.cancel, watch)
        except openai.BadRequestError as exc:
            # Some older servers reject `stream_options`; usage is then estimated instead.
            if not (self._send_usage_option and "stream_options" in str(exc.body)):
                raise
            self._send_usage_option = False
            sdk_stream = self._with_retries(create, request.cancel, watch)
        if sdk_stream is not None:
            network = sdk_stream.response.extensions.get("network_stream")
            if network is not None:
                watch.attach(network.get_extra_info("socket"))
        return sdk_stream

    def _result(
        self, text: str, finish: FinishReason, usage: Usage | None, timer: Timer, request: GenerationRequest
    ) -> GenerationResult:
        if usage is None:
            usage = _estimate_usage(request, text)
        return GenerationResult(
            text=text,
            finish_reason=finish,
            usage=usage,
            provider=self.name,
            model=self.model,
            base_url_host=self.host,
            latency_ms=timer.latency_ms,
            first_token_ms=timer.first_token_ms,
        )


def _retry_after(headers: httpx2.Headers) -> float | None:
    """Seconds from `retry-after-ms` or `retry-after` (a number or an HTTP date), if present."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            seconds = float(raw) / scale
        except ValueError:
            try:
                seconds = email.utils.parsedate_to_datetime(raw).timestamp() - time.time()
            except (TypeError, ValueError):
                continue
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def _estimate_usage(request: GenerationRequest, text: str) -> Usage:
    # About four characters per token for English and Spanish; marked as an estimate in provenance.
    prompt_chars = sum(len(m.content) for m in request.messages)
    return Usage(prompt_tokens=math.ceil(prompt_chars / 4), completion_tokens=math.ceil(len(text) / 4), estimated=True)


class OpenAIStream:
    """One generation: iterate for chunks; `result` is set when iteration ends, however it ends."""

    def __init__(self, provider: OpenAIProvider, request: GenerationRequest) -> None:
        self.provider = provider
        self.request = request
        self.result: GenerationResult | None = None
        self._started = False

    def __iter__(self) -> Iterator[Chunk]:
        if self._started:
            raise RuntimeError("a stream can be iterated only once")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[Chunk]:
        import httpx2
        import openai

        provider, request = self.provider, self.request
        timer = Timer()
        watch = _SocketWatch(request.cancel)
        parts: list[str] = []
        state = _Progress()
        error: ProviderError | None = None
        sdk_stream: openai.Stream[ChatCompletionChunk] | None = None
        try:
            if not provider.model:
                error = ModelNotFound(
                    f"No model is set for the AI endpoint at {provider.host}: choose one with `latido config set ai.model NAME`"
                )
            else:
                sdk_stream = provider._open(request, watch)
                if sdk_stream is not None:
                    yield from _chunks(sdk_stream, request.cancel, timer, parts, state)
        except GeneratorExit:
            # The consumer stopped iterating: that is a cancellation as far as the result goes.
            self.result = provider._result("".join(parts), "cancelled", state.usage, timer, request)
            raise
        # Besides the SDK's and the transport's errors: what a malformed chunk raises while being read.
        except (
            openai.OpenAIError,
            httpx2.TransportError,
            _GaveUpError,
            ValueError,
            TypeError,
            AttributeError,
            KeyError,
            IndexError,
        ) as exc:
            if not request.cancel.cancelled:
                error = provider._map_error(exc, partial="".join(parts))
        finally:
            watch.release()
            if sdk_stream is not None:
                with suppress(Exception):  # the connection may already be shut down by a cancel
                    sdk_stream.close()
        text = "".join(parts)
        if request.cancel.cancelled:
            self.result = provider._result(text, "cancelled", state.usage, timer, request)
            return
        if error is not None:
            self.result = provider._result(text, "error", state.usage, timer, request)
            raise error  # outside the handler: the SDK's exception (and its request headers) stay behind
        self.result = provider._result(text, state.finish or "stop", state.usage, timer, request)


@dataclass
class _Progress:
    finish: FinishReason | None = None
    usage: Usage | None = None


def _chunks(
    sdk_stream: openai.Stream[ChatCompletionChunk],
    cancel: CancelToken,
    timer: Timer,
    parts: list[str],
    state: _Progress,
) -> Iterator[Chunk]:
    """Chunks of text from the SDK's stream, recording text, finish reason and usage as they pass."""
    for event in sdk_stream:
        text, reason, reported = _read_event(event)
        state.finish = reason or state.finish
        state.usage = reported or state.usage
        if text:
            timer.mark_first()
            parts.append(text)
            yield Chunk(text)
        if cancel.cancelled:
            return
    if state.finish is None and not cancel.cancelled:
        raise _StreamEndedEarlyError


class _GaveUpError(Exception):
    """The last failure of a retried call, and how many attempts were made."""

    def __init__(self, cause: Exception, attempts: int) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.attempts = attempts


class _StreamEndedEarlyError(ValueError):
    """The stream closed without a finish reason: cut off, or not an OpenAI-compatible stream."""


def _read_event(event: ChatCompletionChunk) -> tuple[str, FinishReason | None, Usage | None]:
    """Text, finish reason and usage carried by one streamed chunk.

    The SDK builds chunks without validating them, so a malformed one surfaces here as a
    TypeError or AttributeError, which the stream reports as a bad response.
    """
    text = ""
    finish: FinishReason | None = None
    for choice in event.choices or ():
        if choice.index not in (0, None):
            continue
        content = choice.delta.content if choice.delta is not None else None
        if content is not None and not isinstance(content, str):
            raise TypeError("chunk content is not text")
        text += content or ""
        if choice.finish_reason:
            finish = _FINISH_REASONS.get(str(choice.finish_reason), "stop")
    usage = None
    if event.usage is not None:
        usage = Usage(
            prompt_tokens=int(event.usage.prompt_tokens or 0), completion_tokens=int(event.usage.completion_tokens or 0)
        )
    return text, finish, usage


def provider_from_config(*, base_url: str | None = None, model: str | None = None) -> OpenAIProvider | None:
    """The provider the settings describe, or None when no endpoint is set (the offline composer)."""
    url = base_url if base_url is not None else config.get("ai.base_url")
    if not url:
        return None
    chosen = model if model is not None else config.get("ai.model")
    return OpenAIProvider(url, chosen, timeout=float(config.get("ai.timeout")))
