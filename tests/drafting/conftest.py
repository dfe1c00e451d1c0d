"""Fixtures for drafting tests: a real llama.cpp server once per session, scripted fault servers per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from drafting.providers.openai_compat import OpenAIProvider
from tests.llama_server import LlamaServer, start_llama


@pytest.fixture(scope="session")
def llama_server() -> Iterator[LlamaServer]:
    """The llama.cpp server with the Gemma 3 270M model; tests using it are marked `llm`."""
    server = start_llama()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def llama_url(llama_server: LlamaServer) -> str:
    return llama_server.url


@pytest.fixture
def make_provider() -> Iterator[Callable[..., OpenAIProvider]]:
    """Build providers that are closed after the test, so no pooled socket outlives it."""
    made: list[OpenAIProvider] = []

    def make(base_url: str, model: str = "model-a", **options: object) -> OpenAIProvider:
        provider = OpenAIProvider(base_url, model, **options)  # type: ignore[arg-type]  # options are the constructor's
        made.append(provider)
        return provider

    yield make
    for provider in made:
        provider.close()
