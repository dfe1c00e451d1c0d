"""`ignores_recent_contact`: the customer called (or wrote) minutes ago and the reply reads as if they had not.

A reply reflects a contact when it mentions it the way people do, per channel
(`assets/lexicons/{lang}/recent_contact.txt`: "your call", "llamaste",
"your comment"), or with words that fit any channel ("no need to explain").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drafting.checks.findings import Finding, Severity
from drafting.checks.lexicons import keyed_patterns
from drafting.checks.sentences import opening_span
from drafting.composer import CONTACT_IN

_ANY = "any"
_RECENTLY = {"en": "recently", "es": "hace poco"}
_CHANNEL_NAMES = {
    "en": {"call": "call", "email": "email", "comment": "comment", "dm": "message", "chat": "chat", "ticket": "ticket"},
    "es": {
        "call": "llamada",
        "email": "correo",
        "comment": "comentario",
        "dm": "mensaje",
        "chat": "chat",
        "ticket": "incidencia",
    },
}
MESSAGES = {
    "en": "The customer's {channel} {when} is not mentioned: they will feel they have to start over.",
    "es": "No se menciona su {channel} de {when}: sentirá que tiene que empezar de cero.",
}


@dataclass(frozen=True)
class RecentContact:
    """Another contact from the customer in the last day: how it came, and how long ago in words."""

    channel: str
    relative: str = ""
    """As people say it: "5 minutes ago", "hace 5 minutos"."""


def reflects(text: str, channel: str) -> bool:
    """Whether a reply mentions a contact through `channel`, or any contact at all."""
    patterns = keyed_patterns("recent_contact")
    for key in (channel, _ANY):
        pattern = patterns.get(key)
        if pattern is not None and pattern.search(text) is not None:
            return True
    return False


def find_ignored_recent_contact(text: str, contacts: Sequence[RecentContact], lang: str = "en") -> list[Finding]:
    """A warning on the reply's opening for the newest recent contact it does not reflect."""
    if not text.strip():
        return []
    for contact in contacts:
        if reflects(text, contact.channel):
            continue
        span = opening_span(text)
        start, end = span if span is not None else (0, len(text))
        language = lang if lang in CONTACT_IN else "en"
        when = contact.relative or _RECENTLY[language]
        phrases = CONTACT_IN[language]
        suggestion = phrases.get(contact.channel, phrases["email"]).format(when=when)
        name = _CHANNEL_NAMES[language].get(contact.channel, contact.channel)
        message = MESSAGES[language].format(channel=name, when=when)
        return [Finding("ignores_recent_contact", Severity.WARN, start, end, message, suggestion)]
    return []
