"""Which provider writes: the configured AI endpoint, or the offline composer."""

from __future__ import annotations

from drafting.providers.base import Provider
from storage import config


class ProviderChoiceError(ValueError):
    """The requested provider cannot be used as configured; the message says what to set."""


def choose_provider(kind: str | None = None, *, base_url: str | None = None, model: str | None = None) -> Provider:
    """`openai` when asked for or when an endpoint is configured; otherwise the offline composer."""
    from drafting.composer import OfflineComposer

    url = base_url or config.get("ai.base_url")
    if kind == "offline" or (kind is None and not url):
        return OfflineComposer()
    if not url:
        raise ProviderChoiceError(
            "no AI endpoint is configured: run `latido config set ai.base_url URL` or pass --base-url"
        )
    chosen_model = model or config.get("ai.model")
    if not chosen_model:
        raise ProviderChoiceError("no model is configured: run `latido config set ai.model NAME` or pass --model")
    # Imported here: the SDK costs noticeable start-up time and the offline path never needs it.
    from drafting.providers.openai_compat import OpenAIProvider

    return OpenAIProvider(url, chosen_model, timeout=float(config.get("ai.timeout")))
