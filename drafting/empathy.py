"""Empathy suggestions: concrete, context-aware ways to make a draft sound like a person who knows the customer.

`suggest` reads the draft, the drafting context and the incoming message's
triage, and offers what the draft does not do yet: use the customer's name,
acknowledge a repeat problem ("the 4th late delivery"), mention a very recent
call or message, acknowledge how they feel, apologise once. Each suggestion
carries the text to insert, in the draft's language, and the reason shown to
the person. Nothing is inserted here: the person clicks to accept.

The phrase detectors (`has_apology`, `has_acknowledgement`, `has_personal_reference`,
`mentions_name`) are shared with the edit metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.context import DraftContext, Event
from drafting.timeago import language_of
from drafting.triage import REPEAT_MIN_GAP, Triage, fold, phrase_pattern, triage

FRUSTRATED = 0.5
"""From this frustration on, a reply should say it understands how the customer feels."""
COMPLAINT = 0.25
"""From this frustration on (or with any escalation reason), a reply should apologise."""

_ORDINALS = {
    "en": ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
    "es": ("", "primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno", "décimo"),
}
_ORDINAL_FEMININE = {"primer": "primera", "tercer": "tercera"}
_ORDINAL_WORDS = {
    **{fold(w): n for n, w in enumerate(_ORDINALS["en"]) if w},
    **{fold(w): n for n, w in enumerate(_ORDINALS["es"]) if w},
    "tercero": 3,
    "primera": 1,
    "segunda": 2,
    "tercera": 3,
    "cuarta": 4,
    "quinta": 5,
    "sexta": 6,
}
_NUMBERED = re.compile(r"\b(\d+)(?:st|nd|rd|th|º|ª)\b")

# What a repeated problem is about, from the words of the incoming message: (pattern, en, es).
_TOPICS = (
    (
        r"\b(?:late|delay\w*|arriv\w*|deliver\w*|tarde|retras\w*|lleg\w*|tr[aá]nsito|seguimiento|tracking)\b",
        "late delivery",
        "pedido que llega tarde",
    ),
    (r"\b(?:charg\w*|bill\w*|invoice\w*|cobr\w*|cargo\w*|factur\w*)\b", "billing problem", "problema con el cobro"),
    (
        r"\b(?:broken|crushed|damaged|smashed|rot[oa]s?|aplastad\w*|dañad\w*|golpead\w*)\b",
        "damaged order",
        "pedido que llega dañado",
    ),
    (r"\b(?:app|log\w* (?:in|out)|login|sesi[oó]n|echa)\b", "problem with the app", "problema con la app"),
)

_CHANNEL_NOUNS = {
    "en": {"comment": "comment", "email": "email", "dm": "message", "chat": "chat", "ticket": "ticket"},
    "es": {"comment": "comentario", "email": "correo", "dm": "mensaje", "chat": "chat", "ticket": "incidencia"},
}
_CALL_WORDS = re.compile(r"\b(?:call\w*|phone\w*|spoke|talked|llamad\w*|llamaste|tel[eé]fono|hablamos|hablaste)\b")


@dataclass(frozen=True)
class Suggestion:
    """Something the person may add to the draft with one click."""

    kind: str
    """`name`, `repeat`, `recent_contact`, `feelings` or `apology`."""
    text: str
    """What would be inserted, in the draft's language."""
    reason: str
    """Why, for the person: "Use their name", "Acknowledge this is the 4th late delivery"."""
    where: str = "opening"
    """`greeting` (replaces or starts the greeting line) or `opening` (the first sentence after it)."""


# -- detectors shared with the edit metrics ----------------------------------------------


def has_apology(text: str, lang: str) -> bool:
    """Whether `text` apologises."""
    return phrase_pattern("apology", (language_of(lang),)).search(fold(text)) is not None


def count_apologies(text: str, lang: str) -> int:
    return len(phrase_pattern("apology", (language_of(lang),)).findall(fold(text)))


def has_acknowledgement(text: str, lang: str) -> bool:
    """Whether `text` acknowledges how the customer feels or that the problem happened before."""
    return phrase_pattern("acknowledgement", (language_of(lang),)).search(fold(text)) is not None


def has_personal_reference(text: str, lang: str) -> bool:
    """Whether `text` refers to the customer's own history: a call, an earlier message, an order."""
    return phrase_pattern("personal", (language_of(lang),)).search(fold(text)) is not None


def mentions_name(text: str, first_name: str) -> bool:
    """Whether `text` uses the customer's first name (case and accents aside)."""
    name = fold(first_name.strip())
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", fold(text)) is not None


# -- the suggestions -------------------------------------------------------------------


def _ordinal(n: int, lang: str, *, feminine: bool = False) -> str:
    words = _ORDINALS[lang]
    if n < len(words):
        word = words[n]
        return _ORDINAL_FEMININE.get(word, word[:-1] + "a" if word.endswith("o") else word) if feminine else word
    return f"{n}ª" if lang == "es" and feminine else f"{n}º" if lang == "es" else f"{n}th"


def _short_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _repeat_count(result: Triage) -> int:
    """How many times the customer has raised this problem, counting this message (0: not a repeat)."""
    if "repeat_issue" not in result.reasons:
        return 0
    count = len(result.history_matches) + 1
    for cue in result.cues:
        if cue.kind != "repeat_issue":
            continue
        for word in re.findall(r"\w+", fold(cue.text)):
            count = max(count, _ORDINAL_WORDS.get(word, 0))
        for number in _NUMBERED.findall(cue.text):
            count = max(count, int(number))
    return max(count, 2)


def _topic(text: str) -> tuple[str, str] | None:
    folded = fold(text)
    for pattern, en, es in _TOPICS:
        if re.search(pattern, folded):
            return en, es
    return None


def _triage_for(ctx: DraftContext) -> Triage | None:
    """Triage the incoming message from what the context knows of the customer's earlier messages."""
    if ctx.incoming is None:
        return None
    limit = ctx.incoming.occurred_at - REPEAT_MIN_GAP
    history = [
        e.summary
        for e in (*ctx.recent, *ctx.older_history)
        if e.direction == "in" and e.channel != "call" and e.occurred_at <= limit
    ]
    return triage(
        f"{ctx.incoming.subject}\n{ctx.incoming.text}".strip(),
        history=history,
        names=[ctx.customer.name],
        default_language=ctx.prompt_language,
    )


def _greeting(ctx: DraftContext, lang: str) -> str:
    name = ctx.customer.first_name
    if lang == "es":
        return f"Hola, {name}:" if ctx.channel == "email" else f"¡Hola, {name}!"
    return f"Hi {name},"


def _recent_contacts(ctx: DraftContext) -> list[Event]:
    """Very recent calls, and very recent messages on another channel, newest first."""
    incoming_channel = ctx.incoming.channel if ctx.incoming is not None else ctx.channel
    found = []
    for event in ctx.recent:
        if not event.very_recent or event.channel == "note":
            continue
        if event.channel == "call" or (event.direction == "in" and event.channel != incoming_channel):
            found.append(event)
    return found


def _name(draft: str, ctx: DraftContext, lang: str) -> Suggestion | None:
    if not ctx.customer.first_name or mentions_name(draft, ctx.customer.first_name):
        return None
    reason = "Usa su nombre" if lang == "es" else "Use their name"
    return Suggestion("name", _greeting(ctx, lang), reason, where="greeting")


def _repeat(draft: str, ctx: DraftContext, result: Triage | None, lang: str) -> Suggestion | None:
    repeats = _repeat_count(result) if result is not None else 0
    if repeats < 2 or has_acknowledgement(draft, lang):
        return None
    topic = _topic(ctx.incoming.text if ctx.incoming is not None else "")
    if lang == "es":
        if topic is not None:
            nth = _ordinal(repeats, "es")
            return Suggestion(
                "repeat", f"Sé que es el {nth} {topic[1]}, y así no puede ser.", f"Reconoce que es el {nth} {topic[1]}"
            )
        nth = _ordinal(repeats, "es", feminine=True)
        return Suggestion(
            "repeat", f"Sé que es la {nth} vez que te pasa, y así no puede ser.", "Reconoce que no es la primera vez"
        )
    nth = _ordinal(repeats, "en")
    if topic is not None:
        return Suggestion(
            "repeat",
            f"I know this is the {nth} {topic[0]}, and that's not good enough.",
            f"Acknowledge this is the {_short_ordinal(repeats)} {topic[0]}",
        )
    return Suggestion(
        "repeat",
        f"I know this is the {nth} time this has happened, and that's not good enough.",
        "Acknowledge this is not the first time",
    )


def _recent_contact(draft: str, ctx: DraftContext, lang: str) -> Suggestion | None:  # noqa: PLR0911  # one return per channel and language reads plainest
    """The newest very recent contact the draft does not mention; one is enough (more reads like a log)."""
    events = _recent_contacts(ctx)
    if not events:
        return None
    event = events[0]
    if event.channel == "call":
        if _CALL_WORDS.search(fold(draft)):
            return None
        if lang == "es":
            return Suggestion(
                "recent_contact", f"Sobre tu llamada de {event.relative}:", f"Menciona la llamada de {event.relative}"
            )
        return Suggestion(
            "recent_contact", f"Following up on your call {event.relative}:", f"Mention the call {event.relative}"
        )
    noun = _CHANNEL_NOUNS[lang].get(event.channel, _CHANNEL_NOUNS[lang]["dm"])
    if re.search(rf"\b{noun}", fold(draft)):
        return None
    if lang == "es":
        return Suggestion(
            "recent_contact",
            f"También he visto tu {noun} de {event.relative}.",
            f"Menciona su {noun} de {event.relative}",
        )
    return Suggestion(
        "recent_contact", f"I saw your {noun} {event.relative} too.", f"Mention their {noun} {event.relative}"
    )


def _feelings(draft: str, result: Triage | None, lang: str) -> Suggestion | None:
    if result is None or result.frustration < FRUSTRATED or has_acknowledgement(draft, lang):
        return None
    if lang == "es":
        return Suggestion("feelings", "Entiendo perfectamente tu enfado.", "Reconoce cómo se siente")
    return Suggestion("feelings", "You're right to be frustrated.", "Acknowledge how they feel")


def _apology(draft: str, result: Triage | None, lang: str) -> Suggestion | None:
    complaint = result is not None and (result.frustration >= COMPLAINT or bool(result.reasons))
    if not complaint or has_apology(draft, lang):
        return None
    if lang == "es":
        return Suggestion("apology", "Lo siento de verdad.", "Pide perdón una vez, sin rodeos")
    return Suggestion("apology", "I'm really sorry about this.", "Apologise once, plainly")


def suggest(draft: str, ctx: DraftContext, *, triage: Triage | None = None) -> list[Suggestion]:
    """What would make `draft` warmer and more specific, given the customer and what they wrote.

    Only suggestions the draft does not already satisfy are offered, in the
    order a person would apply them (greeting first). `triage` is the incoming
    message's triage; without it, it is computed from the context.
    """
    lang = ctx.prompt_language
    result = triage if triage is not None else _triage_for(ctx)
    candidates = (
        _name(draft, ctx, lang),
        _repeat(draft, ctx, result, lang),
        _recent_contact(draft, ctx, lang),
        _feelings(draft, result, lang),
        _apology(draft, result, lang),
    )
    return [s for s in candidates if s is not None]


_GREETING_LINE = re.compile(
    r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|hola|buen[oa]s|estimad[oa]|querid[oa])\b", re.I
)


def insert_suggestion(draft: str, suggestion: Suggestion) -> str:
    """The draft with `suggestion` applied where it belongs; the person still sees and edits the result.

    A `greeting` replaces the first line when that line is a greeting, else it
    goes first. An `opening` goes right after the greeting (as its own
    paragraph in a multi-paragraph draft, as a sentence in a one-line comment).
    """
    text = draft.strip("\n")
    first, sep, rest = text.partition("\n")
    has_greeting = bool(_GREETING_LINE.match(first))
    if suggestion.where == "greeting":
        if has_greeting and "\n" in text:
            return f"{suggestion.text}{sep}{rest}"
        return f"{suggestion.text}\n\n{text}" if text else suggestion.text
    if not has_greeting:
        return f"{suggestion.text} {text}".strip()
    if not sep:  # a one-line comment: "Hi Ana! …" → "Hi Ana! <suggestion> …"
        match = re.match(r"^(.*?[,:!.])\s+(.*)$", first)
        if match:
            return f"{match.group(1)} {suggestion.text} {match.group(2)}"
        return f"{first} {suggestion.text}"
    return f"{first}\n\n{suggestion.text}\n\n{rest.lstrip(chr(10))}"
