"""Comment themes over 10,000 incoming messages in two languages, against tokenising the same messages.

The messages mix eight topics (each written a few ways in English and
Spanish) with noise words, names, order numbers and one-off messages, spread
over twelve weeks. The baseline is the plainest pass over the same text:
lowercasing and splitting into words with one regex. The ratio says what
n-grams, TF-IDF and grouping cost on top of reading the words at all.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from bench.harness import Figure, timed
from drafting.themes import Message, find_themes

MESSAGES = 10_000
REPEAT = 3
UNTIL = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SINCE = UNTIL - timedelta(weeks=12)
TOPICS = [
    [
        "¿el precio nuevo es por bolsa o por mes?",
        "the new price per bag is confusing",
        "los precios nuevos no salen en la app",
    ],
    [
        "no puedo iniciar sesión desde la actualización",
        "logged out of the app since the update",
        "login broken after the update",
    ],
    [
        "el envío a Canarias tarda muchísimo",
        "shipping to the Canary Islands is so slow",
        "mi pedido a Canarias sigue en tránsito",
    ],
    ["el código de bienvenida ha caducado", "the welcome code says it expired at checkout"],
    ["¿el descafeinado es con agua?", "is your decaf made with water or chemicals?"],
    ["me habéis cobrado dos veces", "you charged me twice this month"],
    ["¿puedo pausar la suscripción?", "can I pause my subscription for a month?"],
    ["necesito la factura con mi NIF", "please send an invoice with our VAT number"],
]
NOISE = [
    "hola",
    "gracias",
    "please",
    "thanks",
    "urgent",
    "today",
    "yesterday",
    "friend",
    "coffee",
    "café",
    "morning",
    "again",
    "really",
    "Ana",
    "Ben",
    "Carmen",
    "Diego",
    "Grace",
    "Leo",
    "Marta",
    "Priya",
    "Leith",
    "Madrid",
    "Sevilla",
    "Chemex",
    "V60",
    "espresso",
]
WORD = re.compile(r"\w+")


def _messages(rng: random.Random) -> list[Message]:
    out = []
    for i in range(MESSAGES):
        if rng.random() < 0.15:
            text = " ".join(rng.choices(NOISE, k=rng.randint(4, 12)))
        else:
            text = rng.choice(rng.choice(TOPICS))
            text = f"{rng.choice(NOISE)} {text} {' '.join(rng.choices(NOISE, k=rng.randint(0, 6)))} A-{rng.randint(10000, 99999)}"
        when = SINCE + timedelta(seconds=rng.uniform(0, (UNTIL - SINCE).total_seconds()))
        out.append(Message(i + 1, rng.choice(("comment", "dm", "email", "chat", "ticket")), when, text))
    return out


def run() -> list[Figure]:
    messages = _messages(random.Random(8))

    def baseline() -> None:
        for m in messages:
            WORD.findall(m.text.lower())

    report = find_themes(messages, since=SINCE, until=UNTIL)
    ours = timed(lambda: find_themes(messages, since=SINCE, until=UNTIL), repeat=REPEAT)
    plain = timed(baseline, repeat=REPEAT)
    covered = sum(t.volume for t in report.themes) / MESSAGES
    return [
        Figure(f"find_themes, {MESSAGES:,} messages (best of {REPEAT})", ours, "s", "<=5 s", ours <= 5.0),
        Figure("  plain tokenising of the same messages", plain, "s", "informative", True),
        Figure("  ratio to plain tokenising", ours / plain, "x", "informative", True),
        Figure("  themes found (8 topics planted)", len(report.themes), "", ">=8", len(report.themes) >= 8),
        Figure("  share of messages in a theme (85% on topic)", covered, "", "informative", True),
    ]
