"""Unfilled templates: `[Name]`, `[order number]`, `{first_name}`, `{{nombre}}`, `<NAME>`, `%NAME%`, `XXX`, `[[to confirm: …]]`, `[insert …]`."""

from __future__ import annotations

import re

from drafting.checks.findings import Finding, Severity

_PATTERNS = (
    r"\[\[\s*to confirm\b[^\]]*\]\]",  # the marker drafts use for what a person must fill in
    r"\[\s*(?:insert|insertar|añadir|add|your|tu|su)\b[^\]\n]{0,60}\]",
    r"\[\s*[A-ZÁÉÍÓÚÑa-záéíóúñ][\w ÁÉÍÓÚÑáéíóúñ]{0,30}\](?!\()",  # [Name], [Nombre], [order number]; not a [link](url)
    r"\{\{\s*\w+\s*\}\}",
    r"\{\s*[a-z_][a-z0-9_]*\s*\}",
    r"<\s*[A-Z][A-Z_ ]{1,30}\s*>",
    r"%[A-Z][A-Z_]{1,30}%",
    r"\bX{3,}\b",
)
# Every placeholder starts with one of these: the lookahead lets the scan skip other positions cheaply.
PLACEHOLDER = re.compile(r"(?=[\[{<%X])(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + ")")

MESSAGES = {
    "en": ("Unfilled placeholder {text}: a customer would see it as is.", "Replace it with the real detail."),
    "es": ("Marcador sin rellenar {text}: el cliente lo vería tal cual.", "Sustitúyelo por el dato real."),
}


def find_placeholders(text: str, lang: str = "en") -> list[Finding]:
    """Every unfilled template in `text`; each blocks approval."""
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    return [
        Finding("placeholder", Severity.BLOCK, m.start(), m.end(), message.format(text=m.group(0)), suggestion)
        for m in PLACEHOLDER.finditer(text)
    ]
