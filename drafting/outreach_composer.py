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

from drafting.context import DraftContext, Event, OpenIssue, Promise, lexicon_lines
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
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡…:>\n]\s*|\"\s*|«\s*)$")

TEXTS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "en": {
        "greet_email": ("Hi {name},", "Hello {name},", "Dear {name},"),
        "greet_short": ("Hi {name}!", "Hello {name}!", "Hey {name}!"),
        "greet_anon": "Hi,",
        "open_issue": (
            "I haven't forgotten your {channel} from {when} about {topic}: [[to confirm: where it stands now]]",
            "You wrote to us {when} about {topic}, and that is still open: [[to confirm: where it stands now]]",
            "Your {channel} from {when} about {topic} is still open on my side: [[to confirm: where it stands now]]",
        ),
        "promise": (
            "{When} we wrote to you: “{text}” [[to confirm: where that stands now]]",
            "We told you {when}: “{text}” [[to confirm: where that stands now]]",
        ),
        "recent_in": (
            "Thanks for your {channel} {when} about {topic}.",
            "I read your {channel} from {when} about {topic}.",
            "It was good to hear from you {when} about {topic}.",
        ),
        "recent_out": (
            "Following up on our {channel} {when} about {topic}.",
            "{When} we wrote to you about {topic}.",
            "This picks up from our {channel} {when} about {topic}.",
        ),
        "last_in": (
            "The last time you wrote to us ({when}) it was about {topic}.",
            "Your last message to us, {when}, was about {topic}.",
        ),
        "earlier_in": (
            "Before that, {when}, you wrote about {topic}.",
            "And {when} you asked us about {topic}.",
            "{When} you also wrote to us about {topic}.",
        ),
        "topic_order": "your order {code}",
        "topic_code": "{code}",
        "topic_with": "{topic} ({product})",
        "topic_subject": "“{subject}”",
        "topic_quote": "“{quote}”",
        "plan_tenure": (
            "You've been with us on the {plan} plan for {tenure}.",
            "Thank you for {tenure} with us on the {plan} plan.",
            "{tenure} with us now, on the {plan} plan.",
            "You've had the {plan} plan for {tenure} now.",
        ),
        "plan": ("You're on our {plan} plan.", "You have the {plan} plan with us."),
        "tenure": ("You've been with us for {tenure}.", "It's been {tenure} since you joined us."),
        "usage": (
            "I noticed {terms} comes up most when you write to us.",
            "From your messages, {terms} is what you mention most.",
            "{terms} is what you tell us about most often.",
        ),
        "follow_up": ("Picking up where we left off.", "A quick follow-up from me.", "I wanted to follow up myself."),
        "renewal": (
            "Your {plan} plan is coming up for renewal [[to confirm: the renewal date]].",
            "Your {plan} plan renews soon [[to confirm: the renewal date]].",
        ),
        "renewal_noplan": "Your plan is coming up for renewal [[to confirm: the renewal date]].",
        "check_in": ("How is everything going?", "How are things on your side?", "I wanted to see how you're doing."),
        "apology": ("I owe you an apology.", "First, I'm sorry.", "I'm writing to say sorry."),
        "announcement": ("Some news:", "And one piece of news:", "Something new from us:", "News from our side:"),
        "brief_gap": "[[to confirm: {text}]]",
        "brief_other": "[[to confirm: say this in English: “{text}”]]",
        "close": (
            "Any questions, just reply.",
            "Just reply here if anything is unclear.",
            "Questions? Reply and it comes to me.",
            "Write back anytime.",
        ),
        "close_check_in": (
            "Tell me how it's going: I read every reply.",
            "Let me know how it's going.",
            "How's it going?",
        ),
        "channel_email": "email",
        "channel_dm": "message",
        "channel_call": "call",
        "channel_comment": "comment",
        "channel_chat": "chat",
        "channel_ticket": "ticket",
    },
    "es": {
        "greet_email": ("Hola, {name}:", "Buenas, {name}:", "{name}, ¿qué tal?"),
        "greet_short": ("¡Hola, {name}!", "¡Buenas, {name}!", "¡Qué tal, {name}!"),
        "greet_anon": "Hola:",
        "open_issue": (
            "No me olvido de tu {channel} de {when} sobre {topic}: [[to confirm: cómo está ahora]]",
            "Nos escribiste {when} sobre {topic} y sigue pendiente: [[to confirm: cómo está ahora]]",
            "Lo de {topic}, de tu {channel} de {when}, sigue pendiente: [[to confirm: cómo está ahora]]",
        ),
        "promise": (
            "{When} te escribimos: «{text}» [[to confirm: cómo está eso ahora]]",
            "Te dijimos {when}: «{text}» [[to confirm: cómo está eso ahora]]",
        ),
        "recent_in": (
            "Gracias por tu {channel} de {when} sobre {topic}.",
            "Leí tu {channel} de {when} sobre {topic}.",
            "Me alegró saber de ti {when}, por lo de {topic}.",
        ),
        "recent_out": (
            "Retomo lo que te escribimos {when} sobre {topic}.",
            "{When} te escribimos sobre {topic}; sigo con ello.",
            "Sigo el hilo de lo que hablamos {when} sobre {topic}.",
        ),
        "last_in": (
            "La última vez que nos escribiste ({when}) fue sobre {topic}.",
            "Tu último mensaje, {when}, era sobre {topic}.",
        ),
        "earlier_in": (
            "Antes, {when}, nos escribiste sobre {topic}.",
            "Y {when} nos preguntaste por {topic}.",
            "{When} también nos escribiste sobre {topic}.",
        ),
        "topic_order": "tu pedido {code}",
        "topic_code": "{code}",
        "topic_with": "{topic} ({product})",
        "topic_subject": "«{subject}»",
        "topic_quote": "«{quote}»",
        "plan_tenure": (
            "Llevas {tenure} con nosotros en el plan {plan}.",
            "Gracias por {tenure} con nosotros en el plan {plan}.",
            "{tenure} ya con nosotros, en el plan {plan}.",
            "Tienes el plan {plan} desde hace {tenure}.",
        ),
        "plan": ("Estás en nuestro plan {plan}.", "Tienes con nosotros el plan {plan}."),
        "tenure": ("Llevas {tenure} con nosotros.", "Estás con nosotros desde hace {tenure}."),
        "usage": (
            "He visto que {terms} es de lo que más nos hablas.",
            "Por lo que nos escribes, {terms} es lo que más mencionas.",
            "De lo que más nos cuentas es de {terms}.",
        ),
        "follow_up": (
            "Retomo lo que hablamos.",
            "Un seguimiento rápido de mi parte.",
            "Quería hacerte yo el seguimiento.",
        ),
        "renewal": (
            "Se acerca la renovación de tu plan {plan} [[to confirm: la fecha de renovación]].",
            "Tu plan {plan} se renueva pronto [[to confirm: la fecha de renovación]].",
        ),
        "renewal_noplan": "Se acerca la renovación de tu plan [[to confirm: la fecha de renovación]].",
        "check_in": ("¿Qué tal va todo?", "¿Cómo va todo por tu lado?", "Quería saber qué tal estás."),
        "apology": ("Te debo una disculpa.", "Lo primero, perdona.", "Te escribo para pedirte perdón."),
        "announcement": ("Una novedad:", "Y una novedad:", "Te cuento algo nuevo:", "Novedades por nuestra parte:"),
        "brief_gap": "[[to confirm: {text}]]",
        "brief_other": "[[to confirm: dilo en español: «{text}»]]",
        "close": (
            "Cualquier duda, respóndeme aquí.",
            "Si algo no queda claro, respóndeme aquí mismo.",
            "¿Dudas? Responde y me llega a mí.",
            "Escríbeme cuando quieras.",
        ),
        "close_check_in": ("Cuéntame qué tal: leo todas las respuestas.", "Cuéntame cómo te va.", "¿Cómo lo llevas?"),
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
    """Their newest message, whatever its age."""
    earlier: tuple[Event, ...] = ()
    """Their messages before `last_in`, newest first."""
    ours: tuple[str, ...] = ()
    """Words of the team's and the company's own names: never what the customer uses."""


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
    """The names a customer uses most in their own messages (products, tools), most frequent first.

    A name is a capitalised word that does not start a sentence, or a word
    mixing letters and digits (V60). Left out: common words, the customer's
    own names, short acronyms (NIF, PDF), known places, and a capitalised word
    right after a place preposition ("to Canada", "en Andorra") or part of a
    longer name ("Las Palmas", "Gran Canaria"), which is a place far more often
    than something they use.
    """
    skip = {e.lower() for e in exclude} | _stopwords() | _CALENDAR | _places()
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for text in texts:
        for match in _TERM.finditer(text):
            term = match.group(0)
            if term.lower() in skip or _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                continue
            if term.isupper() and term.isalpha() and len(term) <= 4:
                continue
            before = _BEFORE.search(text, 0, match.start())
            if before is not None and (before["word"][:1].isupper() or before["word"].lower() in _PLACE_PREPOSITIONS):
                continue
            if _NAME_GOES_ON.match(text, match.end()):
                continue
            counts[term] += 1
            first_seen.setdefault(term, len(first_seen))
    ranked = sorted(counts, key=lambda t: (-counts[t], first_seen[t]))
    return tuple(ranked[:limit])


_BEFORE = re.compile(r"(?P<word>[^\W\d_]+) +$")
_NAME_GOES_ON = re.compile(r" +[A-ZÁÉÍÓÚÑ]")
_PLACE_PREPOSITIONS = frozenset(["in", "to", "from", "near", "en", "desde", "hasta", "hacia"])


@cache
def _places() -> frozenset[str]:
    return frozenset(w.lower() for lang in ("en", "es") for w in lexicon_lines("places", lang))


def _say(t: dict[str, str | tuple[str, ...]], key: str, seed: str) -> str:
    """The phrase for `key`; where there are variants, the same one every time for the same customer."""
    value = t[key]
    if isinstance(value, str):
        return value
    return value[zlib.crc32(f"{seed}:{key}".encode()) % len(value)]


_GREETING = re.compile(
    r"^[¡¿]?(?:hi|hello|hey|dear|thank you|thanks|hola|buenas|gracias)\b,?[^,:!.¡]{0,40}[,:!.]\s*", re.IGNORECASE
)
_CODE = re.compile(r"#?\b[A-Z]{1,4}-\d{3,}\b|#\d{3,}\b")
_ORDER_WORD = re.compile(r"\b(?:orders?|pedidos?|compras?)\b", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|rv)\s*:\s*)+", re.IGNORECASE)
_QUOTE_WORDS = 9


def _quote(text: str) -> str:
    """The first few words of a message, without its greeting: the customer knows who they are."""
    line = " ".join(text.split())
    stripped = _GREETING.sub("", line) or line
    sentences = re.split(r"(?<=[.!?…])\s+", stripped)
    first = sentences[0]
    # A bare "Of course." says nothing about what the message was about: take the next sentence along.
    if len(first.split()) < 4 and len(sentences) > 1:
        first = f"{first} {sentences[1]}"
    words = first.split()
    if len(words) > _QUOTE_WORDS:
        return " ".join(words[:_QUOTE_WORDS]).rstrip(",;:") + "…"
    return first.strip('“”«»"')


def _topic(summary: str, t: dict[str, str | tuple[str, ...]], *, exclude: Iterable[str], theirs: bool = True) -> str:
    """What a message was about, told from its facts: an order code, its subject, the product, else its first words.

    Products are looked for only in the customer's own messages (`theirs`):
    in ours, a capitalised word is as often the start of a line.
    """
    subject, sep, body = summary.partition(" — ")
    if not sep:
        subject, body = "", summary
    subject = _REPLY_PREFIX.sub("", subject).strip()
    text = f"{subject}\n{body}"
    code = next((m.group(0) for m in _CODE.finditer(text)), "")
    product = next(iter(usage_terms([body], exclude=exclude)), "") if theirs else ""
    if code:
        topic = str(t["topic_order" if _ORDER_WORD.search(text) else "topic_code"]).format(code=code)
    elif subject and not _CODE.fullmatch(subject):
        topic = str(t["topic_subject"]).format(subject=subject.rstrip(".…"))
    elif product:
        return product
    else:
        return str(t["topic_quote"]).format(quote=_quote(body))
    if product and product.lower() not in topic.lower():
        topic = str(t["topic_with"]).format(topic=topic, product=product)
    return topic


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _channel(t: dict[str, str | tuple[str, ...]], channel: str) -> str:
    key = f"channel_{channel}"
    return str(t[key]) if key in t else channel


def _opening(ctx: DraftContext, facts: OutreachFacts, t: dict[str, str | tuple[str, ...]]) -> list[str]:
    """At most two sentences about the customer's own recent history, each told from its facts."""
    seed = ctx.customer.customer_id
    exclude = [*ctx.customer.name.split(), ctx.customer.plan, *facts.ours]
    lines: list[str] = []
    issue: OpenIssue | None = next((i for i in ctx.open_issues if i.kind == "unanswered"), None)
    promise: Promise | None = ctx.promises[0] if ctx.promises else None
    quoted: set[int] = set()
    if issue is not None:
        lines.append(
            _say(t, "open_issue", seed).format(
                channel=_channel(t, issue.channel),
                when=issue.relative,
                topic=_topic(issue.summary, t, exclude=exclude),
            )
        )
    elif promise is not None and promise.channel not in ("call", "note"):
        lines.append(
            _say(t, "promise", seed).format(When=_cap(promise.relative), when=promise.relative, text=promise.text)
        )
        quoted.add(promise.interaction_id)
    recent = next((e for e in ctx.recent if e.channel != "note" and e.interaction_id not in quoted), None)
    if recent is not None:
        key = "recent_in" if recent.direction == "in" else "recent_out"
        lines.append(
            _say(t, key, seed).format(
                channel=_channel(t, recent.channel),
                when=recent.relative,
                When=_cap(recent.relative),
                topic=_topic(recent.summary, t, exclude=exclude, theirs=recent.direction == "in"),
            )
        )
        return lines
    # Nothing recent: the newest message of theirs that is not the open issue already mentioned.
    told = issue.summary if issue is not None else ""
    older = (
        e
        for e in (facts.last_in, *facts.earlier)
        if e is not None and e.interaction_id not in quoted and e.channel not in ("call", "note")
    )
    last = next((e for e in older if e.summary != told), None)
    if last is not None:
        lines.append(
            _say(t, "earlier_in" if lines else "last_in", seed).format(
                when=last.relative,
                When=_cap(last.relative),
                channel=_channel(t, last.channel),
                topic=_topic(last.summary, t, exclude=exclude),
            )
        )
    return lines


def _about(ctx: DraftContext, facts: OutreachFacts, t: dict[str, str | tuple[str, ...]], said: str) -> str:
    """Their plan and how long they have been with us, and what they mention most unless it was said already."""
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
    if facts.usage and facts.usage[0].lower() not in said.lower():
        about = f"{about} {_cap(_say(t, 'usage', seed).format(terms=facts.usage[0]))}".strip()
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
    """A personal new message for one customer, in their language, from their history and the brief.

    Most of it is the customer's own facts (their last contact and what it
    was about, an open issue or earlier promise, their plan and tenure, what
    they mention most); the brief's point is said once. Each framing sentence
    has a few phrasings, picked per customer, and the personal paragraphs come
    in an order that varies by customer, so a batch does not share a skeleton.
    """
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
    about = _about(ctx, facts, t, " ".join(opening))
    point = _point(ctx, facts, t)
    close = _say(t, "close_check_in" if purpose == "check_in" else "close", seed)
    personal = [" ".join(opening), about]
    if zlib.crc32(f"{seed}:order".encode()) % 2 and opening and about:
        personal.reverse()
    if purpose_line.endswith(":") and point.split(" ", 1)[0].lower() in _stopwords():
        point = point[:1].lower() + point[1:]  # "Some news: from January …", not "Some news: From January …"
    news = f"{purpose_line} {point}".strip()
    # Where the brief's point sits varies too: first for some customers, after their own facts for others.
    body = [news, *personal] if zlib.crc32(f"{seed}:lead".encode()) % 3 == 0 else [*personal, news]
    body = [p for p in (*body, close) if p]
    signature = [ctx.rules.signature] if ctx.rules.signature else []
    if short:
        return " ".join([str(greeting), *body, *signature])
    return "\n\n".join([str(greeting), *body, *signature])


def language_label(code: str, prompt_language: str) -> str:
    """`es` as "Spanish" (or "español"); other codes as themselves."""
    return LANGUAGE_NAMES.get(prompt_language, LANGUAGE_NAMES["en"]).get(language_of(code), code)
