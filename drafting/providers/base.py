"""The provider protocol: stream text chunks, cancellable, ending with a full result.

A provider turns a `GenerationRequest` (chat messages plus limits) into a
stream of `Chunk`s. The stream can be cancelled from another thread through
the request's `CancelToken`; it then ends promptly with `finish_reason ==
"cancelled"` and whatever text had arrived. Failures are raised as the typed
errors below, each with a message a person can act on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled", "error", "content_filter"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


class CancelToken:
    """Set from any thread; providers check it between chunks and close the stream."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        """Cancel, and run every registered callback once (e.g. closing an HTTP response)."""
        with self._lock:
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Run `callback` when cancelled (at once if already cancelled)."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds, waking early on cancel; True when cancelled."""
        return self._event.wait(timeout)


@dataclass(frozen=True)
class GenerationRequest:
    messages: Sequence[Message]
    max_tokens: int = 700
    temperature: float = 0.7
    cancel: CancelToken = field(default_factory=CancelToken)
    purpose: str = "draft"
    """What the text is for: draft, or rewrite:warmer|shorter|formal|translate."""
    context: Any = None
    """The DraftContext the messages were built from (the offline composer reads it directly)."""
    source_text: str = ""
    """For a rewrite: the text being rewritten."""


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    """True when the endpoint reported no usage and the counts were estimated (e.g. llama.cpp streams)."""


@dataclass(frozen=True)
class Chunk:
    """A piece of text as it arrives."""

    text: str


@dataclass(frozen=True)
class GenerationResult:
    """What a finished (or cancelled) stream produced, with its provenance."""

    text: str
    finish_reason: FinishReason
    usage: Usage
    provider: str
    model: str
    base_url_host: str
    latency_ms: float
    first_token_ms: float | None

    @property
    def partial(self) -> bool:
        return self.finish_reason in ("cancelled", "error", "length")


class Stream(Protocol):
    """An iterator of chunks whose `result` is set once iteration ends."""

    result: GenerationResult | None

    def __iter__(self) -> Iterator[Chunk]: ...


class Provider(Protocol):
    name: str
    model: str

    def stream(self, request: GenerationRequest) -> Stream: ...


# -- errors -------------------------------------------------------------------


class ProviderError(Exception):
    """A generation failed; `str(error)` tells the person what to do.

    `partial_text` keeps whatever arrived before the failure.
    """

    code = "provider_error"

    def __init__(self, message: str, *, partial_text: str = "") -> None:
        super().__init__(message)
        self.partial_text = partial_text


class ProviderUnavailable(ProviderError):
    code = "unavailable"


class AuthFailed(ProviderError):
    code = "auth_failed"


class RateLimited(ProviderError):
    code = "rate_limited"


class ModelNotFound(ProviderError):
    code = "model_not_found"


class Timeout(ProviderError):
    code = "timeout"


class BadResponse(ProviderError):
    code = "bad_response"


class Timer:
    """Latency and time-to-first-token for one generation."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: float | None = None

    def mark_first(self) -> None:
        if self.first is None:
            self.first = time.perf_counter()

    @property
    def latency_ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000

    @property
    def first_token_ms(self) -> float | None:
        return None if self.first is None else (self.first - self.start) * 1000
