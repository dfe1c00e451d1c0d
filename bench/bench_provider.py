"""What Latido's provider adds on top of the raw `openai` SDK, and how fast a cancel closes a hung stream.

Time to first token: the same messages and parameters go to the same llama.cpp server
(Gemma 3 270M on loopback) through `OpenAIProvider` and through
`openai.OpenAI(...).chat.completions.create(stream=True)`, interleaved so both see the same
server state, after a warm-up of each. Both drain their stream so connections are reused the
same way. The overhead is the difference of the two medians.

Cancel to close: a scripted server sends a few chunks and then stalls. While the reading
thread is blocked in the socket, another thread cancels; the figure is the time from the
cancel until the stream's iteration has ended (the worker is free), worst of the runs.
"""

from __future__ import annotations

import statistics
import threading
import time

from bench.harness import Figure
from drafting.providers.base import CancelToken, GenerationRequest, Message
from drafting.providers.openai_compat import OpenAIProvider
from tests.llama_server import LlamaServer, start_llama
from tests.servers.openai_faults import FaultServer

RUNS = 25
WARMUP = 3
CANCEL_RUNS = 10
MAX_TOKENS = 8
TARGET_OVERHEAD_MS = 5.0
TARGET_CANCEL_MS = 200.0

SYSTEM = "You are a friendly support agent. Answer in English."
USER = "Write a short, warm reply thanking Ana for her order."


def _provider_ttft(provider: OpenAIProvider) -> float:
    request = GenerationRequest(
        messages=[Message("system", SYSTEM), Message("user", USER)], max_tokens=MAX_TOKENS, temperature=0.0
    )
    start = time.perf_counter()
    first: float | None = None
    for _chunk in provider.stream(request):
        if first is None:
            first = time.perf_counter()
    if first is None:
        raise RuntimeError("the provider streamed no text")
    return (first - start) * 1000


def _raw_ttft(client: object) -> float:
    import openai

    assert isinstance(client, openai.OpenAI)
    start = time.perf_counter()
    first: float | None = None
    stream = client.chat.completions.create(
        model="gemma-3-270m",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        stream=True,
        stream_options={"include_usage": True},
    )
    with stream:
        for event in stream:
            if first is None and event.choices and event.choices[0].delta.content:
                first = time.perf_counter()
    if first is None:
        raise RuntimeError("the SDK streamed no text")
    return (first - start) * 1000


def _ttft(server: LlamaServer) -> tuple[list[float], list[float]]:
    import openai

    provider = OpenAIProvider(server.url, server.model, api_key="bench")
    client = openai.OpenAI(api_key="bench", base_url=server.url, max_retries=0)
    try:
        for _ in range(WARMUP):
            _provider_ttft(provider)
            _raw_ttft(client)
        ours: list[float] = []
        raw: list[float] = []
        for n in range(RUNS):
            # Alternate which goes first, so neither always follows the other.
            if n % 2:
                raw.append(_raw_ttft(client))
                ours.append(_provider_ttft(provider))
            else:
                ours.append(_provider_ttft(provider))
                raw.append(_raw_ttft(client))
        return ours, raw
    finally:
        provider.close()
        client.close()


def _cancel_latency_ms() -> float:
    chunks = ("Hola", " Ana", ",")
    with FaultServer("hang", chunks=chunks) as server:
        provider = OpenAIProvider(server.url, "model-a", timeout=60)
        token = CancelToken()
        request = GenerationRequest(messages=[Message("user", USER)], cancel=token)
        all_seen = threading.Event()
        cancelled_at: list[float] = []

        def cancel_while_blocked() -> None:
            server.stalled.wait(10)
            all_seen.wait(10)
            time.sleep(0.1)  # let the reader block in recv(), where only closing the socket can wake it
            cancelled_at.append(time.perf_counter())
            token.cancel()

        canceller = threading.Thread(target=cancel_while_blocked)
        canceller.start()
        stream = provider.stream(request)
        for seen, _chunk in enumerate(stream, start=1):
            if seen == len(chunks):
                all_seen.set()
        ended = time.perf_counter()
        canceller.join()
        provider.close()
        assert stream.result is not None and stream.result.finish_reason == "cancelled", stream.result
        return (ended - cancelled_at[0]) * 1000


def run() -> list[Figure]:
    server = start_llama()
    try:
        ours, raw = _ttft(server)
    finally:
        server.stop()
    ours_ms, raw_ms = statistics.median(ours), statistics.median(raw)
    overhead = ours_ms - raw_ms
    paired = statistics.median(o - r for o, r in zip(ours, raw, strict=True))
    print(
        f"time to first token, median of {RUNS}: provider {ours_ms:.2f} ms, raw SDK {raw_ms:.2f} ms "
        f"(median paired difference {paired:+.2f} ms)",
        flush=True,
    )
    cancels = [_cancel_latency_ms() for _ in range(CANCEL_RUNS)]
    print(
        f"cancel -> stream ended on a hung stream, {CANCEL_RUNS} runs: "
        f"median {statistics.median(cancels):.2f} ms, worst {max(cancels):.2f} ms",
        flush=True,
    )
    return [
        Figure(
            "provider time-to-first-token overhead vs raw openai SDK (median)",
            overhead,
            "ms",
            f"<= {TARGET_OVERHEAD_MS:g} ms",
            overhead <= TARGET_OVERHEAD_MS,
        ),
        Figure(
            f"cancel to stream closed, hung stream (worst of {CANCEL_RUNS})",
            max(cancels),
            "ms",
            f"<= {TARGET_CANCEL_MS:g} ms",
            max(cancels) <= TARGET_CANCEL_MS,
        ),
    ]
