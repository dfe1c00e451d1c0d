"""The offline composer's outreach mode: a new message built from one customer's real history and a brief.

It writes what it can know from the data — their first name, their plan and how
long they have been a customer, what they mention most, their last contact, an
open issue or an earlier promise — then the purpose and the brief's own
statements, and leaves `[[to confirm: …]]` only for what a person must supply
(a renewal date, where an open issue stands, a brief written in another
language). It never promises anything and never claims to be an AI.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from drafting.context import DraftContext, Event, OpenIssue, Promise, lexicon_lines, summarize
from drafting.timeago import language_of

LANGUAGE_NAMES = {"en": {"en": "English", "es": "Spanish"}, "es": {"en": "inglés", "es": "español"}}
_QUOTE_CHARS = 90
_SECTION = re.compile(r"^\s*\[(?P<lang>[a-z]{2})\]\s*$", re.MULTILINE)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+|;\s*")
# Sentences of a brief that tell the writer what to do, rather than what to say.
_DIRECTIVE = re.compile(
    r"^(?:tell|mention|say|explain|remind|ask|keep|avoid|don'?t|do not|no|never|include|use|write|be|make sure|"
    r"focus|highlight|offer|thank|let them|cu[eé]ntale?s?|menciona|di|diles|dile|explica|recu[eé]rdale?s?|nada|sin|"
    r"pregunta|evita|nunca|incluye|usa|escribe|s[eé]|aseg[uú]rate|ofrece|agrad[eé]ce|habla|h[aá]blale?s?)\b",
    re.IGNORECASE,
)
_TERM = re.compile(r"(?<![\w-])(?:[A-ZÁÉÍÓÚÑ][^\W\d_]{2,}|[A-Za-z]+\d+[A-Za-z]*|\d+[A-Za-z]+)(?![\w-])")
_CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mondays",
        "tuesdays",
        "wednesdays",
        "thursdays",
        "fridays",
        "saturdays",
        "sundays",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ]
)
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡…:\n]\s*|\"\s*|«\s*)$")

TEXTS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "en": {
        "greet_email": "Hi {name},",
        "greet_short": "Hi {name}!",
        "greet_anon": "Hi,",
        "open_issue": "I haven't forgotten your message from {when} about “{text}”: [[to confirm: where it stands now]]",
        "promise": "{when} we wrote to you: “{text}” [[to confirm: where that stands now]]",
        "recent_in": "Thanks for your {channel} {when} about “{text}”.",
        "recent_out": "Following up on what we told you {when}: “{text}”.",
        "last_in": "The last time you wrote to us ({when}) it was about “{text}”.",
        "plan_tenure": (
            "You've been with us on the {plan} plan for {tenure}.",
            "It's been {tenure} since you joined us, now on the {plan} plan.",
            "You've had the {plan} plan with us for {tenure} now.",
        ),
        "plan": "You're on our {plan} plan.",
        "tenure": "You've been with us for {tenure}.",
        "usage": (
            "I noticed {terms} comes up most when you write to us.",
            "From your messages, {terms} is what you mention most.",
        ),
        "follow_up": ("I'm writing to pick up where we left off.", "I wanted to follow up with you myself."),
        "renewal": "Your {plan} plan is coming up for renewal [[to confirm: the renewal date]].",
        "renewal_noplan": "Your plan is coming up for renewal [[to confirm: the renewal date]].",
        "check_in": ("I wanted to check in and see how everything is going.", "How is everything going on your side?"),
        "apology": ("I owe you an apology.", "I'm writing to say sorry."),
        "announcement": ("I have some news I wanted to share with you.", "There's something new I wanted you to know."),
        "brief_gap": "[[to confirm: {text}]]",
        "brief_other": "[[to confirm: say this in English: “{text}”]]",
        "close": (
            "Just reply here if anything is unclear.",
            "If you have a question, reply to this and it comes straight to me.",
        ),
        "close_check_in": "Tell me how it's going: I read every reply.",
        "channel_email": "email",
        "channel_dm": "message",
        "channel_call": "call",
        "channel_comment": "comment",
        "channel_chat": "chat",
        "channel_ticket": "ticket",
    },
    "es": {
        "greet_email": "Hola, {name}:",
        "greet_short": "¡Hola, {name}!",
        "greet_anon": "Hola:",
        "open_issue": "No me olvido de tu mensaje de {when} sobre «{text}»: [[to confirm: cómo está ahora]]",
        "promise": "{when} te escribimos: «{text}» [[to confirm: cómo está eso ahora]]",
        "recent_in": "Gracias por tu {channel} de {when} sobre «{text}».",
        "recent_out": "Retomo lo que te contamos {when}: «{text}».",
        "last_in": "La última vez que nos escribiste ({when}) fue sobre «{text}».",
        "plan_tenure": (
            "Llevas {tenure} con nosotros en el plan {plan}.",
            "Ya son {tenure} desde que llegaste, ahora con el plan {plan}.",
            "Tienes el plan {plan} con nosotros desde hace {tenure}.",
        ),
        "plan": "Estás en nuestro plan {plan}.",
        "tenure": "Llevas {tenure} con nosotros.",
        "usage": (
            "He visto que {terms} es de lo que más nos hablas.",
            "Por lo que nos escribes, {terms} es lo que más mencionas.",
        ),
        "follow_up": ("Te escribo para retomar lo que hablamos.", "Quería hacerte un seguimiento en persona."),
        "renewal": "Se acerca la renovación de tu plan {plan} [[to confirm: la fecha de renovación]].",
        "renewal_noplan": "Se acerca la renovación de tu plan [[to confirm: la fecha de renovación]].",
        "check_in": ("Quería saber qué tal te va todo.", "¿Cómo va todo por tu lado?"),
        "apology": ("Te debo una disculpa.", "Te escribo para pedirte perdón."),
        "announcement": ("Tengo una novedad que quería contarte.", "Hay algo nuevo que quería que supieras."),
        "brief_gap": "[[to confirm: {text}]]",
        "brief_other": "[[to confirm: dilo en español: «{text}»]]",
        "close": (
            "Si algo no queda claro, respóndeme aquí mismo.",
            "Si tienes alguna duda, responde a este mensaje y me llega a mí.",
        ),
        "close_check_in": "Cuéntame qué tal: leo todas las respuestas.",
        "channel_email": "correo",
        "channel_dm": "mensaje",
        "channel_call": "llamada",
        "channel_comment": "comentario",
        "channel_chat": "mensaje por chat",
        "channel_ticket": "incidencia",
    },
}


@dataclass(frozen=True)
class OutreachFacts:
    """What an outreach draft adds to the customer's context: the purpose, the brief and their wider history."""

    purpose: str
    brief: str
    """The whole brief, possibly with `[en]` / `[es]` sections."""
    usage: tuple[str, ...] = ()
    """What they mention most in their own messages, most often first."""
    last_in: Event | None = None
    """Their newest message of the last year, whatever its age."""


@dataclass(frozen=True)
class OutreachRequest:
    """What the offline composer (or a prompt) is given for one outreach draft."""

    context: DraftContext
    facts: OutreachFacts


def brief_sections(text: str) -> dict[str, str]:
    """The brief split by `[en]` / `[es]` lines; text before any such line is under the key ""."""
    sections: dict[str, str] = {}
    matches = list(_SECTION.finditer(text))
    head = text[: matches[0].start()] if matches else text
    if head.strip():
        sections[""] = head.strip()
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end].strip()
        if body:
            sections[match.group("lang")] = body
    return sections


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(w.lower() for lang in ("en", "es") for w in lexicon_lines("stopwords", lang))


def _guess(text: str) -> str | None:
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    es = sum(w in _es_words() for w in words)
    en = sum(w in _en_words() for w in words)
    return None if es == en else ("es" if es > en else "en")


@cache
def _es_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon_lines("stopwords", "es"))


@cache
def _en_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon_lines("stopwords", "en"))


def brief_for(text: str, lang: str) -> tuple[str, str]:
    """(the brief in `lang`, or "" and the brief in another language when it has none in `lang`)."""
    sections = brief_sections(text)
    if lang in sections:
        return sections[lang], ""
    plain = sections.get("", "")
    if plain and _guess(plain) in (None, lang):
        return plain, ""
    other = plain or next((v for k, v in sections.items() if k), "")
    return "", other


def split_brief(text: str) -> tuple[list[str], list[str]]:
    """(statements to pass on, directives to the writer), each a list of sentences."""
    statements: list[str] = []
    directives: list[str] = []
    for raw in _SENTENCE.split(text):
        sentence = " ".join(raw.split()).strip(" -•*")
        if not sentence:
            continue
        (directives if _DIRECTIVE.match(sentence) else statements).append(sentence)
    return statements, directives


def usage_terms(texts: Iterable[str], *, exclude: Iterable[str] = (), limit: int = 1) -> tuple[str, ...]:
    """The names a customer uses most in their own messages (products, places, tools), most frequent first.

    A name is a capitalised word that does not start a sentence, or a word
    mixing letters and digits (V60); common words and the customer's own
    names are left out.
    """
    skip = {e.lower() for e in exclude} | _stopwords() | _CALENDAR
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for text in texts:
        for match in _TERM.finditer(text):
            term = match.group(0)
            if term.lower() in skip or _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                continue
            counts[term] += 1
            first_seen.setdefault(term, len(first_seen))
    ranked = sorted(counts, key=lambda t: (-counts[t], first_seen[t]))
    return tuple(ranked[:limit])


def _say(t: dict[str, str | tuple[str, ...]], key: str, seed: str) -> str:
    """The phrase for `key`; where there are variants, the same one every time for the same customer."""
    value = t[key]
    if isinstance(value, str):
        return value
    return value[zlib.crc32(f"{seed}:{key}".encode()) % len(value)]


def _quote(text: str) -> str:
    """A short quote of a message, without its greeting: the customer knows who they are."""
    line = " ".join(text.split())
    stripped = re.sub(r"^(?:hi|hello|hey|dear|hola|buenas)\b,?[^,:!.]{0,40}[,:!.]\s*", "", line, flags=re.I)
    head, sep, rest = stripped.partition(" — ")
    if sep:
        rest = re.sub(r"^(?:hi|hello|hey|dear|hola|buenas)\b,?[^,:!.]{0,40}[,:!.]\s*", "", rest, flags=re.I)
        stripped = f"{head} — {rest}"
    return summarize("", stripped or line, limit=_QUOTE_CHARS).strip('“”«»"')


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _opening(ctx: DraftContext, facts: OutreachFacts, t: dict[str, str | tuple[str, ...]]) -> list[str]:
    """At most two sentences about the customer's own recent history."""
    seed = ctx.customer.customer_id
    lines: list[str] = []
    issue: OpenIssue | None = next((i for i in ctx.open_issues if i.kind == "unanswered"), None)
    promise: Promise | None = ctx.promises[0] if ctx.promises else None
    quoted: set[int] = set()
    if issue is not None:
        lines.append(_say(t, "open_issue", seed).format(when=issue.relative, text=_quote(issue.summary)))
    elif promise is not None and promise.channel not in ("call", "note"):
        lines.append(_say(t, "promise", seed).format(when=_cap(promise.relative), text=promise.text))
        quoted.add(promise.interaction_id)
    recent = next((e for e in ctx.recent if e.channel != "note" and e.interaction_id not in quoted), None)
    if recent is not None:
        key = "recent_in" if recent.direction == "in" else "recent_out"
        channel = _say(t, f"channel_{recent.channel}", seed) if f"channel_{recent.channel}" in t else recent.channel
        lines.append(_say(t, key, seed).format(channel=channel, when=recent.relative, text=_quote(recent.summary)))
    elif facts.last_in is not None and issue is None and facts.last_in.interaction_id not in quoted:
        lines.append(_say(t, "last_in", seed).format(when=facts.last_in.relative, text=_quote(facts.last_in.summary)))
    return lines


def _about(ctx: DraftContext, facts: OutreachFacts, t: dict[str, str | tuple[str, ...]]) -> str:
    c = ctx.customer
    seed = c.customer_id
    if c.plan and c.tenure:
        about = _say(t, "plan_tenure", seed).format(plan=c.plan, tenure=c.tenure)
    elif c.plan:
        about = _say(t, "plan", seed).format(plan=c.plan)
    elif c.tenure:
        about = _say(t, "tenure", seed).format(tenure=c.tenure)
    else:
        about = ""
    if facts.usage:
        about = f"{about} {_say(t, 'usage', seed).format(terms=facts.usage[0])}".strip()
    return about


def _point(ctx: DraftContext, facts: OutreachFacts, t: dict[str, str | tuple[str, ...]]) -> str:
    """The brief's statements in the customer's language, or a gap for what a person must say."""
    lang = ctx.prompt_language
    seed = ctx.customer.customer_id
    mine, other = brief_for(facts.brief, lang)
    if other:
        return _say(t, "brief_other", seed).format(text=" ".join(other.split()))
    statements, directives = split_brief(mine)
    if statements:
        return " ".join(s if s[-1] in ".!?…" else s + "." for s in statements)
    asks = [d for d in directives if not _NEGATIVE.match(d)]
    return _say(t, "brief_gap", seed).format(text="; ".join(asks)) if asks else ""


_NEGATIVE = re.compile(r"^(?:no|never|don'?t|do not|avoid|nunca|evita|nada|sin)\b", re.IGNORECASE)


def compose_outreach(request: OutreachRequest) -> str:
    """A personal new message for one customer, in their language, from their history and the brief."""
    ctx, facts = request.context, request.facts
    t = TEXTS[ctx.prompt_language]
    seed = ctx.customer.customer_id
    name = ctx.customer.first_name
    short = not ctx.rules.needs_greeting
    greeting = _say(t, "greet_short" if short else "greet_email", seed).format(name=name) if name else t["greet_anon"]
    purpose = facts.purpose
    if purpose == "renewal":
        key = "renewal" if ctx.customer.plan else "renewal_noplan"
        purpose_line = _say(t, key, seed).format(plan=ctx.customer.plan)
    else:
        purpose_line = _say(t, purpose, seed) if purpose in t else ""
    opening = _opening(ctx, facts, t)
    about = _about(ctx, facts, t)
    point = _point(ctx, facts, t)
    close = _say(t, "close_check_in" if purpose == "check_in" else "close", seed)
    # The order of the personal paragraphs varies by customer, so a batch does not share one skeleton.
    personal = [" ".join(opening), about]
    if zlib.crc32(f"{seed}:order".encode()) % 2 and opening and about:
        personal.reverse()
    body = [p for p in (*personal, f"{purpose_line} {point}".strip(), close) if p]
    signature = [ctx.rules.signature] if ctx.rules.signature else []
    if short:
        return " ".join([str(greeting), *body, *signature])
    return "\n\n".join([str(greeting), *body, *signature])


def language_label(code: str, prompt_language: str) -> str:
    """`es` as "Spanish" (or "español"); other codes as themselves."""
    return LANGUAGE_NAMES.get(prompt_language, LANGUAGE_NAMES["en"]).get(language_of(code), code)
