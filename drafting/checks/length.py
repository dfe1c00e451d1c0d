"""`too_long`: a reply over its channel's limit, with the count."""

from __future__ import annotations

from drafting.checks.findings import Finding, Severity
from drafting.context import DEFAULT_COMMENT_LIMIT

EMAIL_LIMIT = 2000
"""Beyond this an email stops being read: customers skim, and the facts that matter get lost."""
LIMITS: dict[str, int] = {"comment": DEFAULT_COMMENT_LIMIT, "email": EMAIL_LIMIT, "ticket": EMAIL_LIMIT}
"""Limits by channel when the context does not give one (the voice guide sets the comment limit)."""

MESSAGES = {
    "en": (
        "{count} characters: {over} over the {limit}-character limit for {channel}.",
        "Cut it to {limit} characters: keep the answer, drop the rest.",
    ),
    "es": (
        "{count} caracteres: {over} más del límite de {limit} para {channel}.",
        "Déjalo en {limit} caracteres: quédate con la respuesta y quita el resto.",
    ),
}
_CHANNEL_NAMES = {
    "en": {"comment": "a comment", "email": "an email", "ticket": "a ticket", "dm": "a message"},
    "es": {"comment": "un comentario", "email": "un correo", "ticket": "una incidencia", "dm": "un mensaje"},
}


def limit_for(channel: str, max_chars: int | None) -> int | None:
    """The channel's limit: the context's own (`ChannelRules.max_chars`) when it has one."""
    return max_chars if max_chars is not None else LIMITS.get(channel)


def find_too_long(text: str, *, channel: str, limit: int | None, lang: str = "en") -> list[Finding]:
    """A warning spanning what goes over the limit; trailing whitespace does not count."""
    count = len(text.rstrip())
    if limit is None or count <= limit:
        return []
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    name = _CHANNEL_NAMES.get(lang, _CHANNEL_NAMES["en"]).get(channel, channel)
    return [
        Finding(
            "too_long",
            Severity.WARN,
            limit,
            count,
            message.format(count=count, over=count - limit, limit=limit, channel=name),
            suggestion.format(limit=limit),
        )
    ]
