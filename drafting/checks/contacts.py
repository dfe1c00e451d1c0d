"""`unknown_contact`: a name, email, phone, handle or order number in the draft that the customer's context lacks.

Models invent plausible details: another customer's order number, a phone
number, a name. A detail counts as known when it appears anywhere in what the
context holds (the customer's record and handles, the message being answered,
recent history, promises, notes, the team's signature) or in facts given
explicitly. Names are only looked for where a reply names someone for sure:
in its greeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from drafting.checks.findings import Finding, Severity
from drafting.checks.sentences import GREETING_WORD

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d .-]{6,}\d(?![\w-])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Order, invoice and ticket references: A-48213, INV-20418, ALB-M-0412, #E-22071, #4471.
# Every one starts with "#" or a capital: the lookahead lets the scan skip the other positions cheaply.
_REFERENCE = re.compile(r"(?=[#A-Z])(?:(?<![\w-])#?[A-Z]{1,4}(?:-[A-Z]{1,4})?-\d{3,}\b|(?<![\w#])#\d{3,}\b)")
_GREETED = re.compile(
    rf"^[ \t]*[¡]?(?i:{GREETING_WORD})[ \t]*,?[ \t]+(?P<name>[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’-]+)(?=[\s,:!.])", re.MULTILINE
)
_NOT_NAMES = frozenset(
    [
        "there",
        "all",
        "everyone",
        "everybody",
        "team",
        "folks",
        "friend",
        "friends",
        "customer",
        "client",
        "user",
        "sir",
        "madam",
        "equipo",
        "todos",
        "todas",
        "amigo",
        "amiga",
        "amigos",
        "cliente",
        "clienta",
        "usuario",
        "usuaria",
        "señor",
        "señora",
        "buenas",
    ]
)
_LETTERS = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
MIN_PHONE_DIGITS = 9

MESSAGES = {
    "en": (
        "“{text}” is not in this customer's record or history: is it invented?",
        "Check it against the customer's details, or remove it.",
    ),
    "es": (
        "«{text}» no aparece en la ficha ni en el historial del cliente: ¿es inventado?",
        "Compruébalo con los datos del cliente, o quítalo.",
    ),
}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class KnownFacts:
    """What the context knows, prepared for quick lookups (the phone digits only when a draft has a phone)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._joined = "\n".join(texts)
        self.text = self._joined.casefold()
        self.empty = not self._joined.strip()

    @cached_property
    def digit_runs(self) -> str:
        """The digits of every phone number known, run together."""
        return _digits(" ".join(m.group(0) for m in _PHONE.finditer(self._joined)))

    @cached_property
    def _all_digits(self) -> str:
        return _digits(self.text)

    def has(self, token: str) -> bool:
        return token.casefold().lstrip("#") in self.text

    def has_phone(self, phone: str) -> bool:
        digits = _digits(phone)
        # Compare the last nine digits: "+34 600 000 101" and "600000101" are the same phone.
        return digits[-MIN_PHONE_DIGITS:] in self.digit_runs or digits in self._all_digits

    def has_name(self, name: str) -> bool:
        """Whether the name is a whole word (a run of letters) of what is known."""
        key = name.casefold()
        if _LETTERS.fullmatch(key) is None:
            return False
        start = self.text.find(key)
        while start >= 0:
            end = start + len(key)
            before = start > 0 and _LETTER.match(self.text, start - 1) is not None
            if not before and _LETTER.match(self.text, end) is None:
                return True
            start = self.text.find(key, start + 1)
        return False


def find_unknown_contacts(text: str, known: KnownFacts, lang: str = "en") -> list[Finding]:
    """Details in the draft that nothing known about the customer mentions; nothing when nothing is known."""
    if known.empty:
        return []
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    spans: list[tuple[int, int]] = []
    if "@" in text:  # emails and handles both have one; most drafts have neither
        emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
        spans += [(s, e) for s, e in emails if not known.has(text[s:e])]
        for m in _HANDLE.finditer(text):
            if not any(s <= m.start() < e for s, e in emails) and not known.has(m.group(0)):
                spans.append((m.start(), m.end()))
    for m in _REFERENCE.finditer(text):
        if not known.has(m.group(0)):
            spans.append((m.start(), m.end()))
    for m in _PHONE.finditer(text):
        value = m.group(0)
        if len(_digits(value)) >= MIN_PHONE_DIGITS and not _ISO_DATE.search(value) and not known.has_phone(value):
            spans.append((m.start(), m.end()))
    for m in _GREETED.finditer(text):
        name = m.group("name")
        if name.casefold() not in _NOT_NAMES and not known.has_name(name):
            spans.append((m.start("name"), m.end("name")))
    return [
        Finding("unknown_contact", Severity.WARN, s, e, message.format(text=text[s:e]), suggestion)
        for s, e in sorted(set(spans))
    ]
