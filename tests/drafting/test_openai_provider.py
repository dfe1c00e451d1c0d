"""The OpenAI-compatible provider against real servers on loopback: scripted faults, and llama.cpp.

No HTTP mocking: openai 3.x uses a transport that patching libraries silently miss, and a
real socket is the only way to show that a cancel wakes a blocked read.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from drafting.providers.base import (
    AuthFailed,
    BadResponse,
    CancelToken,
    Chunk,
    GenerationRequest,
    Message,
    ModelNotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    Timeout,
)
from drafting.providers.openai_compat import PLACEHOLDER_KEY, OpenAIProvider, OpenAIStream, provider_from_config
from drafting.secrets import SecretStore
from storage import config
from tests.llama_server import LlamaServer
from tests.servers.openai_faults import FaultServer, closed_port

MakeProvider = Callable[..., OpenAIProvider]
StartServer = Callable[..., FaultServer]

SECRET = "sk-test-4f1d9c2b7a6e5d3c"
ENV_KEY = "sk-env-9a8b7c6d5e4f3a2b"


def request(*, max_tokens: int = 64, cancel: CancelToken | None = None) -> GenerationRequest:
    # The 270M base model answers some bare one-message prompts with nothing; a system message avoids that.
    return GenerationRequest(
        messages=[
            Message("system", "You are a friendly support agent. Answer in English."),
            Message("user", "Write a long, warm reply thanking Ana for her order and telling her about our shop."),
        ],
        max_tokens=max_tokens,
        temperature=0.0,
        cancel=cancel or CancelToken(),
    )


def drain(stream: OpenAIStream) -> list[str]:
    return [chunk.text for chunk in stream]


def failure(stream: OpenAIStream) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        drain(stream)
    return caught.value


def cancel_after(stream: OpenAIStream, token: CancelToken, chunks: int) -> list[str]:
    """Iterate, and cancel from another thread (as the GUI would) once `chunks` have arrived."""
    seen: list[str] = []
    canceller = threading.Thread(target=token.cancel)
    for chunk in stream:
        seen.append(chunk.text)
        if len(seen) == chunks:
            canceller.start()
    if len(seen) >= chunks:
        canceller.join()
    return seen


# -- import cost -------------------------------------------------------------------------------


def test_importing_the_provider_module_does_not_import_openai() -> None:
    code = (
        "import sys, drafting.providers.openai_compat\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'httpx2', 'httpcore2'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == ""


# -- the happy path on a scripted server ------------------------------------------------------


def test_streams_chunks_then_a_full_result_with_reported_usage(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("ok")
    provider = make_provider(server.url, "model-a")
    stream = provider.stream(request())

    assert drain(stream) == ["Hola", " Ana,", " gracias", " por", " escribir."]
    result = stream.result
    assert result is not None
    assert result.text == "Hola Ana, gracias por escribir."
    assert result.finish_reason == "stop" and not result.partial
    assert (result.usage.prompt_tokens, result.usage.completion_tokens, result.usage.estimated) == (11, 5, False)
    assert (result.provider, result.model, result.base_url_host) == (
        "openai-compatible",
        "model-a",
        f"127.0.0.1:{server.port}",
    )
    assert result.first_token_ms is not None and result.latency_ms >= result.first_token_ms
    [sent] = server.chat_requests
    assert sent.body["model"] == "model-a" and sent.body["stream"] is True
    assert sent.body["messages"][0] == {
        "role": "system",
        "content": "You are a friendly support agent. Answer in English.",
    }
    assert sent.body["max_tokens"] == 64


def test_nothing_is_sent_until_the_stream_is_iterated(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("ok")
    stream = make_provider(server.url).stream(request())
    assert server.requests == [] and stream.result is None
    drain(stream)
    assert len(server.chat_requests) == 1
    with pytest.raises(RuntimeError, match="only once"):
        drain(stream)


def test_list_models_and_check_for_the_settings_dialog(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("ok")
    assert make_provider(server.url, "model-a").list_models() == ["model-a", "model-b"]
    assert make_provider(server.url, "model-a").check() == "connection OK: 2 models"
    assert "'other' is not among them" in make_provider(server.url, "other").check()


# -- faults: each maps to its typed error, with a message a person can act on ------------------


def test_connection_refused_is_unavailable_and_names_the_setting(make_provider: MakeProvider) -> None:
    port = closed_port()
    provider = make_provider(f"http://127.0.0.1:{port}/v1", max_retries=0)
    stream = provider.stream(request())

    error = failure(stream)
    assert type(error) is ProviderUnavailable
    assert str(error) == f"Cannot reach the AI endpoint at 127.0.0.1:{port}: is the server running? Check ai.base_url"
    assert stream.result is not None and stream.result.finish_reason == "error" and stream.result.text == ""
    with pytest.raises(ProviderUnavailable):
        provider.check()


def test_rejected_key_is_auth_failed_without_retry_and_without_the_key(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("401")
    stream = make_provider(server.url, api_key=SECRET).stream(request())

    error = failure(stream)
    assert type(error) is AuthFailed
    assert "latido secret set ai.api_key" in str(error) and "\n" not in str(error)
    assert server.chat_requests[0].headers["authorization"] == f"Bearer {SECRET}"  # the server did see it…
    assert SECRET not in str(error) and SECRET not in repr(error.args)  # …and echoed it; the message does not
    assert stream.result is not None and SECRET not in repr(stream.result)
    assert len(server.chat_requests) == 1  # a wrong key does not get better by asking again


def test_unknown_model_lists_the_models_that_exist(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("404_model")
    error = failure(make_provider(server.url, "nope").stream(request()))
    assert type(error) is ModelNotFound
    assert "'nope'" in str(error) and "available: model-a, model-b" in str(error)
    assert "latido config set ai.model" in str(error)


def test_a_url_without_the_api_points_at_base_url(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("404_path")
    error = failure(make_provider(server.url).stream(request()))
    assert type(error) is ProviderUnavailable
    assert "check ai.base_url (it usually ends in /v1)" in str(error)


def test_no_model_set_fails_before_sending_anything(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("ok")
    error = failure(make_provider(server.url, "").stream(request()))
    assert type(error) is ModelNotFound and "latido config set ai.model" in str(error)
    assert server.requests == []


def test_rate_limit_then_success_is_retried(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("429", fail_times=2)
    stream = make_provider(server.url, max_retries=2).stream(request())
    assert "".join(drain(stream)) == "Hola Ana, gracias por escribir."
    assert stream.result is not None and stream.result.finish_reason == "stop"
    assert len(server.chat_requests) == 3


def test_rate_limit_that_persists_is_rate_limited_after_bounded_retries(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("429")
    error = failure(make_provider(server.url, max_retries=2).stream(request()))
    assert type(error) is RateLimited
    assert "HTTP 429" in str(error) and "after 3 attempts" in str(error)
    assert len(server.chat_requests) == 3


def test_a_long_retry_after_is_reported_not_waited_out(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("429", retry_after="3600")
    error = failure(make_provider(server.url, max_retries=3).stream(request()))
    assert type(error) is RateLimited and "asks to wait 3600 s" in str(error)
    assert len(server.chat_requests) == 1


def test_server_errors_are_retried_with_backoff_then_reported(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("500", retry_after=None)  # no Retry-After: the provider's own backoff decides
    error = failure(make_provider(server.url, max_retries=1).stream(request()))
    assert type(error) is ProviderUnavailable
    assert "HTTP 500 after 2 attempts" in str(error) and "try again later" in str(error)
    assert len(server.chat_requests) == 2


def test_server_error_then_success(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("500", fail_times=1)
    stream = make_provider(server.url, max_retries=1).stream(request())
    assert drain(stream)
    assert len(server.chat_requests) == 2


def test_a_stream_that_stalls_mid_answer_times_out_keeping_the_partial_draft_without_retry(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("hang", chunks=("Hola", " Ana"))
    stream = make_provider(server.url, timeout=0.3, max_retries=3).stream(request())

    seen: list[str] = []
    with pytest.raises(Timeout) as caught:
        seen.extend(chunk.text for chunk in stream)
    assert seen == ["Hola", " Ana"]
    assert caught.value.partial_text == "Hola Ana"
    assert "mid-answer" in str(caught.value) and "partial draft was kept" in str(caught.value)
    assert stream.result is not None
    assert (stream.result.finish_reason, stream.result.text, stream.result.partial) == ("error", "Hola Ana", True)
    assert len(server.chat_requests) == 1  # text had arrived: no retry


def test_malformed_sse_is_a_bad_response_keeping_the_partial_draft(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("malformed", chunks=("Hola",))
    stream = make_provider(server.url).stream(request())
    error = failure(stream)
    assert type(error) is BadResponse and "malformed stream" in str(error)
    assert error.partial_text == "Hola"
    assert stream.result is not None and stream.result.finish_reason == "error"


def test_a_stream_cut_short_is_a_bad_response(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("truncated", chunks=("Hola", " Ana"))
    error = failure(make_provider(server.url).stream(request()))
    assert type(error) is BadResponse and "without finishing" in str(error)
    assert error.partial_text == "Hola Ana"


def test_an_error_event_mid_stream_is_reported_with_the_servers_reason(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("error_event", chunks=("Hola",))
    error = failure(make_provider(server.url).stream(request()))
    assert type(error) is BadResponse and "the model crashed while generating" in str(error)
    assert error.partial_text == "Hola"


# -- cancellation ---------------------------------------------------------------------------------


def test_cancel_wakes_a_read_blocked_on_a_hung_stream_and_keeps_the_partial_text(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("hang", chunks=("Hola", " Ana", ","))
    token = CancelToken()
    # A long timeout: only the cancel can end this stream.
    stream = make_provider(server.url, timeout=60).stream(request(cancel=token))
    all_seen = threading.Event()

    def cancel_while_blocked() -> None:
        server.stalled.wait(10)
        all_seen.wait(10)
        # Give the reader time to block in recv(): the cancel must wake it, not a flag checked between chunks.
        threading.Event().wait(0.2)
        token.cancel()

    canceller = threading.Thread(target=cancel_while_blocked)
    canceller.start()
    seen: list[str] = []
    for chunk in stream:
        seen.append(chunk.text)
        if len(seen) == 3:
            all_seen.set()
    canceller.join()
    assert seen == ["Hola", " Ana", ","]
    assert stream.result is not None
    assert (stream.result.finish_reason, stream.result.text) == ("cancelled", "Hola Ana,")
    assert server.client_closed.wait(5), "the server never saw the connection close"


def test_cancel_before_the_response_starts_closes_the_connection(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("stall")
    token = CancelToken()
    stream = make_provider(server.url, timeout=60).stream(request(cancel=token))

    def cancel_once_received() -> None:
        server.received.wait(10)
        token.cancel()

    canceller = threading.Thread(target=cancel_once_received)
    canceller.start()
    assert drain(stream) == []
    canceller.join()
    assert stream.result is not None and stream.result.finish_reason == "cancelled"
    assert server.client_closed.wait(5)


def test_a_cancelled_request_sends_nothing(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("ok")
    token = CancelToken()
    token.cancel()
    stream = make_provider(server.url).stream(request(cancel=token))
    assert drain(stream) == []
    assert stream.result is not None and stream.result.finish_reason == "cancelled"
    assert server.requests == []


def test_cancel_interrupts_the_wait_between_retries(fault_server: StartServer, make_provider: MakeProvider) -> None:
    server = fault_server("429", retry_after="15")
    token = CancelToken()
    stream = make_provider(server.url, max_retries=1).stream(request(cancel=token))

    def cancel_once_refused() -> None:
        server.received.wait(10)
        token.cancel()

    canceller = threading.Thread(target=cancel_once_refused)
    canceller.start()
    assert drain(stream) == []
    canceller.join()
    assert stream.result is not None and stream.result.finish_reason == "cancelled"
    assert len(server.chat_requests) == 1


def test_leaving_the_loop_early_records_a_cancelled_result(
    fault_server: StartServer, make_provider: MakeProvider
) -> None:
    server = fault_server("ok")
    stream = make_provider(server.url).stream(request())
    iterator = iter(stream)
    assert next(iterator) == Chunk("Hola")
    iterator.close()  # type: ignore[attr-defined]  # the stream's iterator is a generator
    assert stream.result is not None
    assert (stream.result.finish_reason, stream.result.text) == ("cancelled", "Hola")


# -- keys: explicit -> keyring -> OPENAI_API_KEY (for api.openai.com only) ----------------------


def test_an_explicit_key_wins_over_keyring_and_environment(
    fault_server: StartServer, make_provider: MakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    SecretStore().set("ai.api_key", "sk-from-keyring")
    server = fault_server("ok")
    drain(make_provider(server.url, api_key=SECRET).stream(request()))
    assert server.chat_requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_the_keyring_key_is_used_when_none_is_given(
    fault_server: StartServer, make_provider: MakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    SecretStore().set("ai.api_key", "sk-from-keyring")
    server = fault_server("ok")
    provider = make_provider(server.url)
    drain(provider.stream(request()))
    assert server.chat_requests[0].headers["authorization"] == "Bearer sk-from-keyring"
    assert provider.key_source == "keyring"


def test_the_environment_key_never_goes_to_a_custom_host(
    fault_server: StartServer, make_provider: MakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ENV_KEY)
    server = fault_server("ok")
    provider = make_provider(server.url)
    drain(provider.stream(request()))
    provider.list_models()

    assert provider.key_source == "none"
    assert len(server.requests) == 2
    for sent in server.requests:
        assert sent.headers["authorization"] == f"Bearer {PLACEHOLDER_KEY}"
        assert not any(ENV_KEY in value for value in sent.headers.values())


def test_the_environment_key_is_for_api_openai_com(
    make_provider: MakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    # Resolving the key builds the client but sends nothing.
    assert make_provider("https://api.openai.com/v1", "gpt-4o-mini").key_source == "environment"
    assert make_provider("https://api.openai.com.example.net/v1").key_source == "none"


def test_the_key_does_not_appear_in_the_providers_repr(make_provider: MakeProvider) -> None:
    provider = make_provider("http://127.0.0.1:9/v1", api_key=SECRET)
    assert SECRET not in repr(provider)


# -- configuration ----------------------------------------------------------------------------


def test_no_base_url_means_no_provider() -> None:
    assert provider_from_config() is None


def test_provider_from_config_reads_the_settings() -> None:
    config.set_value("ai.base_url", "http://127.0.0.1:8080/v1")
    config.set_value("ai.model", "qwen2.5")
    config.set_value("ai.timeout", "12.5")
    provider = provider_from_config()
    assert provider is not None
    assert (provider.base_url, provider.model, provider.timeout) == ("http://127.0.0.1:8080/v1", "qwen2.5", 12.5)
    override = provider_from_config(base_url="http://localhost:11434/v1", model="llama3.2")
    assert override is not None and (override.host, override.model) == ("localhost:11434", "llama3.2")


# -- the real model: llama.cpp on loopback ----------------------------------------------------


@pytest.mark.llm
def test_llama_streams_several_chunks_and_reports_usage(llama_server: LlamaServer, make_provider: MakeProvider) -> None:
    stream = make_provider(llama_server.url, llama_server.model).stream(request(max_tokens=24))
    chunks = drain(stream)
    result = stream.result
    assert result is not None
    assert len(chunks) >= 3 and result.text == "".join(chunks)
    assert result.finish_reason in ("stop", "length")
    assert result.usage.completion_tokens > 0 and result.usage.prompt_tokens > 0
    assert result.first_token_ms is not None


@pytest.mark.llm
def test_llama_stops_at_max_tokens(llama_server: LlamaServer, make_provider: MakeProvider) -> None:
    stream = make_provider(llama_server.url, llama_server.model).stream(request(max_tokens=4))
    drain(stream)
    assert stream.result is not None and stream.result.finish_reason == "length" and stream.result.partial


@pytest.mark.llm
def test_llama_cancel_mid_stream_keeps_the_partial_text(llama_server: LlamaServer, make_provider: MakeProvider) -> None:
    token = CancelToken()
    stream = make_provider(llama_server.url, llama_server.model).stream(request(max_tokens=400, cancel=token))
    seen = cancel_after(stream, token, chunks=3)
    assert stream.result is not None
    assert stream.result.finish_reason == "cancelled"
    assert stream.result.text == "".join(seen) and len(seen) >= 3 and len(seen) < 400


@pytest.mark.llm
def test_llama_lists_the_served_model(llama_server: LlamaServer, make_provider: MakeProvider) -> None:
    provider = make_provider(llama_server.url, llama_server.model)
    assert llama_server.model in provider.list_models()
    assert provider.check().startswith("connection OK: ")
