"""The offline composer: a starting point built from real facts, without any model.

It writes from what the context holds — the customer's name, the contact they
just had, what the team promised before, how the team answered a similar
message — and leaves `[[to confirm: …]]` wherever only a person knows the
answer. It never promises anything on its own and never claims to be an AI:
the interface labels its text as composed offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from drafting.context import DraftContext, Event, Promise, SimilarReply, lexicon_lines
from drafting.outreach_composer import OutreachRequest, compose_outreach
from drafting.providers.base import (
    Chunk,
    GenerationRequest,
    GenerationResult,
    ProviderUnavailable,
    Timer,
    Usage,
)

# Words shorter than this, and these, say nothing about what a message is about.
_MIN_WORD = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Facts that belong to another customer's reply: order, invoice and ticket numbers, amounts, phone numbers.
_FOREIGN_FACT = re.compile(
    r"(?:#?\b[A-Z]{1,4}(?:-[A-Z]{1,4})?-\d{3,}\b|#\d{3,}\b|\b\d+(?:[.,]\d+)?\s?(?:€|EUR|USD|\$)|[$€]\s?\d+(?:[.,]\d+)?|\+?\d[\d ]{7,}\d)"
)
_SIMILAR_ENOUGH = 0.2
_SAME_TOPIC_WORDS = 3
# A promise made this recently is what the customer is waiting on, whatever words they use now.
FRESH_PROMISE = timedelta(days=2)

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "greet_email": "Hi {name},",
        "greet_short": "Hi {name}!",
        "greet_anon_email": "Hi,",
        "greet_anon_short": "Hi!",
        "contact_out": "Following up on what we told you {when}:",
        "repeat": "I know this isn't the first time you've had to raise this, and I'm sorry it's still not sorted.",
        "promise": "{when} we wrote to you: “{text}” [[to confirm: where that stands now]]",
        "promise_spoken": "[[to confirm: what we agreed on the phone {when}: {text}]]",
        "core": "[[to confirm: the answer to “{topic}”]]",
        "core_short": "[[to confirm: your answer]]",
        "thanks": "Thanks for telling us.",
        "outreach": "[[to confirm: why you are writing to {name}]]",
    },
    "es": {
        "greet_email": "Hola, {name}:",
        "greet_short": "¡Hola, {name}!",
        "greet_anon_email": "Hola:",
        "greet_anon_short": "¡Hola!",
        "contact_out": "Sobre lo que te contamos {when}:",
        "repeat": "Sé que no es la primera vez que nos escribes por esto y siento de verdad que siga sin resolverse.",
        "promise": "{when} te escribimos: «{text}» [[to confirm: cómo está eso ahora]]",
        "promise_spoken": "[[to confirm: lo que acordamos por teléfono {when}: {text}]]",
        "core": "[[to confirm: la respuesta a «{topic}»]]",
        "core_short": "[[to confirm: tu respuesta]]",
        "thanks": "Gracias por contárnoslo.",
        "outreach": "[[to confirm: el motivo del mensaje a {name}]]",
    },
}


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(w.lower() for lang in ("en", "es") for w in lexicon_lines("stopwords", lang))


# How to acknowledge the customer's own recent contact, by the channel it came through.
CONTACT_IN: dict[str, dict[str, str]] = {
    "en": {
        "call": "I can see you called us {when}, so you don't need to explain it all again.",
        "email": "I can see you also emailed us {when}.",
        "comment": "I saw your comment {when} too.",
        "dm": "I saw your message {when} too.",
        "chat": "I saw you also wrote to us on chat {when}.",
        "ticket": "I can see the ticket you opened {when}.",
    },
    "es": {
        "call": "Veo que nos llamaste {when}, así que no hace falta que nos lo vuelvas a contar.",
        "email": "Veo que también nos escribiste un correo {when}.",
        "comment": "También he visto tu comentario de {when}.",
        "dm": "También he visto tu mensaje de {when}.",
        "chat": "Veo que también nos escribiste por el chat {when}.",
        "ticket": "Veo la incidencia que abriste {when}.",
    },
}


def _words(text: str) -> set[str]:
    """The content words of a text: lowercased, not too short, not a stopword in either language."""
    stop = _stopwords()
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) >= _MIN_WORD and w not in stop}


def similarity(a: str, b: str) -> float:
    """Share of content words two texts have in common (Jaccard), 0..1."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _capitalized_relative(relative: str) -> str:
    return relative[:1].upper() + relative[1:]


def _recent_contact(ctx: DraftContext) -> Event | None:
    """The newest contact from the last day that is not the message being answered."""
    incoming_id = ctx.incoming.interaction_id if ctx.incoming else None
    for event in ctx.recent:
        if event.very_recent and event.interaction_id != incoming_id and event.channel != "note":
            return event
    return None


def _raised_before(ctx: DraftContext) -> bool:
    """Whether this customer has written about the same thing before."""
    if ctx.incoming is None:
        return False
    incoming_id = ctx.incoming.interaction_id
    earlier_in = [e for e in ctx.older_history if e.direction == "in" and e.interaction_id != incoming_id]
    earlier_in += [
        e for e in ctx.recent if e.direction == "in" and e.interaction_id != incoming_id and not e.very_recent
    ]
    # Shared content words, not a ratio: a long email and a one-line subject about the same problem
    # overlap in a few words, which a ratio over both vocabularies would drown.
    topic = _words(ctx.incoming.text) - _words(ctx.customer.name)
    return any(len(_words(e.summary) & topic) >= _SAME_TOPIC_WORDS for e in earlier_in)


def _related_promise(ctx: DraftContext) -> Promise | None:
    """The newest earlier promise about what the customer is writing about now (old, unrelated ones are noise)."""
    if ctx.incoming is None:
        return ctx.promises[0] if ctx.promises else None
    for promise in ctx.promises:
        fresh = ctx.now - promise.occurred_at <= FRESH_PROMISE
        if fresh or _words(promise.text) & _words(ctx.incoming.text):
            return promise
    return None


def _strip_frame(body: str, signature: str) -> list[str]:
    """A past reply's paragraphs without its greeting and sign-off."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    if paragraphs and re.match(r"^(hi|hello|hey|dear|hola|buenas|buenos días|estimad[oa])\b", paragraphs[0], re.I):
        first, _, rest = paragraphs[0].partition("\n")
        paragraphs[0] = rest.strip()
        if len(first) > 60:  # the greeting ran into the text: keep the text after it
            paragraphs[0] = re.sub(r"^[^,:!]*[,:!]\s*", "", first) + ("\n" + rest if rest else "")
    sign_off = signature.strip().splitlines()[0] if signature.strip() else ""
    kept = [p for p in paragraphs if p and not (sign_off and p.startswith(sign_off))]
    return kept[:-1] if kept and len(kept[-1]) < 40 and len(kept) > 1 else kept


def _borrowed_answer(ctx: DraftContext) -> str | None:
    """How the team answered a similar message before, with that customer's facts taken out."""
    if ctx.incoming is None:
        return None
    best: SimilarReply | None = None
    best_score = 0.0
    for reply in ctx.similar_replies:
        if reply.language and reply.language != ctx.language:
            continue
        score = similarity(reply.incoming, ctx.incoming.text)
        if score > best_score:
            best, best_score = reply, score
    if best is None or best_score < _SIMILAR_ENOUGH:
        return None
    paragraphs = _strip_frame(best.body, ctx.rules.signature)
    if not paragraphs:
        return None
    text = "\n\n".join(paragraphs)
    return _FOREIGN_FACT.sub("[[to confirm: this customer's detail]]", text)


def _topic(ctx: DraftContext) -> str:
    text = ctx.incoming.text if ctx.incoming else ""
    line = " ".join(text.split())
    return line if len(line) <= 80 else line[:79].rstrip() + "…"


@dataclass(frozen=True)
class Composition:
    """The parts of a composed reply, kept apart so a comment can be cut to its limit."""

    greeting: str
    acknowledgements: tuple[str, ...]
    core: str
    closing: str
    signature: str

    def text(self, *, short: bool) -> str:
        body = [*self.acknowledgements, self.core, self.closing]
        if short:
            return " ".join(part for part in (self.greeting, *body) if part)
        paragraphs = [self.greeting, *(p for p in body if p)]
        if self.signature:
            paragraphs.append(self.signature)
        return "\n\n".join(p for p in paragraphs if p)


def compose_parts(ctx: DraftContext) -> Composition:
    """Choose what the reply says, in the customer's language."""
    t = TEXTS[ctx.prompt_language]
    short = ctx.rules.max_chars is not None or not ctx.rules.needs_greeting
    name = ctx.customer.first_name
    if name:
        greeting = (t["greet_short"] if short else t["greet_email"]).format(name=name)
    else:
        greeting = t["greet_anon_short"] if short else t["greet_anon_email"]
    acks: list[str] = []
    contact = _recent_contact(ctx)
    if contact is not None:
        if contact.direction == "in":
            phrases = CONTACT_IN[ctx.prompt_language]
            acks.append(phrases.get(contact.channel, phrases["email"]).format(when=contact.relative))
        else:
            acks.append(t["contact_out"].format(when=contact.relative))
    if _raised_before(ctx):
        acks.append(t["repeat"])
    promise = _related_promise(ctx)
    if promise is not None:
        if promise.channel in ("call", "note"):
            # A call summary is the team's own note, not words the customer read: it is for the person to restate.
            acks.append(t["promise_spoken"].format(when=promise.relative, text=promise.text))
        else:
            acks.append(t["promise"].format(when=_capitalized_relative(promise.relative), text=promise.text))
    if ctx.incoming is None:
        core = t["outreach"].format(name=name or ctx.customer.name)
    else:
        core = _borrowed_answer(ctx) or (t["core_short"] if short else t["core"].format(topic=_topic(ctx)))
    closing = t["thanks"] if ctx.incoming is not None else ""
    return Composition(greeting, tuple(acks), core, closing, ctx.rules.signature)


def compose(ctx: DraftContext) -> str:
    """A reply built only from the context, fitted to the channel's length limit."""
    parts = compose_parts(ctx)
    short = ctx.rules.max_chars is not None or not ctx.rules.needs_greeting
    limit = ctx.rules.max_chars
    text = parts.text(short=short)
    if limit is None or len(text) <= limit:
        return text
    # Drop what matters least first: the thanks, then older acknowledgements, keeping the newest contact.
    trimmed = Composition(parts.greeting, parts.acknowledgements, parts.core, "", "")
    while len(trimmed.text(short=True)) > limit and len(trimmed.acknowledgements) > 1:
        trimmed = Composition(trimmed.greeting, trimmed.acknowledgements[:-1], trimmed.core, "", "")
    text = trimmed.text(short=True)
    if len(text) > limit:
        text = Composition(parts.greeting, (), parts.core, "", "").text(short=True)
    return text if len(text) <= limit else _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    """Cut at the last sentence end that fits, never inside a `[[…]]` placeholder."""
    head = text[: limit - 1]
    open_at = head.rfind("[[")
    if open_at > head.rfind("]]"):
        head = head[:open_at]
    ends = [m.end() for m in re.finditer(r"[.!?»”](?=\s)", head)]
    return head[: ends[-1]].rstrip() if ends else head.rstrip() + "…"


# -- offline rewrites -----------------------------------------------------------------

_CONTRACTIONS = {
    "I'm": "I am",
    "you're": "you are",
    "we're": "we are",
    "it's": "it is",
    "don't": "do not",
    "doesn't": "does not",
    "can't": "cannot",
    "won't": "will not",
    "isn't": "is not",
    "we'll": "we will",
    "I'll": "I will",
    "that's": "that is",
    "let's": "let us",
}
_WARM_OPENERS = {
    "en": "Thank you for your patience with this.",
    "es": "Gracias por tu paciencia con esto.",
}


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s]


def _shorter(paragraphs: list[str]) -> str:
    """Keep the greeting, the sign-off, every gap a person must fill, and the first other paragraph."""
    first, middle, last = paragraphs[0], paragraphs[1:-1], paragraphs[-1]
    kept: list[str] = []
    spare = True
    for paragraph in middle:
        if "[[" in paragraph:
            kept.append(paragraph)
        elif spare:
            kept.append(paragraph)
            spare = False
    return "\n\n".join([first, *kept, last])


def _shorter_sentences(text: str) -> str:
    """Drop the last sentence that holds no gap to fill."""
    sentences = _sentences(text)
    for index in range(len(sentences) - 1, 0, -1):
        if "[[" not in sentences[index]:
            return " ".join(sentences[:index] + sentences[index + 1 :])
    return text.strip()


def rewrite_offline(text: str, operation: str, lang: str) -> str:
    """Simple, predictable rewrites that need no model; translation does need one."""
    if operation == "translate":
        raise ProviderUnavailable("translation needs an AI endpoint: set one with `latido config set ai.base_url URL`")
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if operation == "shorter":
        return _shorter(paragraphs) if len(paragraphs) > 2 else _shorter_sentences(text)
    if operation == "warmer":
        opener = _WARM_OPENERS.get(lang, _WARM_OPENERS["en"])
        if opener in text:
            return text
        if len(paragraphs) > 1:
            return "\n\n".join([paragraphs[0], opener, *paragraphs[1:]])
        return f"{opener} {text.strip()}"
    if operation == "formal":
        out = text
        for short, full in _CONTRACTIONS.items():
            out = re.sub(rf"\b{re.escape(short)}\b", full, out)
            out = re.sub(rf"\b{re.escape(short.capitalize())}\b", full.capitalize(), out)
        return re.sub(r"^(Hi|Hey)\b", "Hello", out)
    raise ValueError(f"unknown rewrite {operation!r}")


# -- the provider -------------------------------------------------------------------


class _ComposedStream:
    """Hands out the composed text word by word, like a model would, and honours cancel."""

    def __init__(self, text: str, request: GenerationRequest, timer: Timer) -> None:
        self._text = text
        self._request = request
        self._timer = timer
        self.result: GenerationResult | None = None

    def __iter__(self) -> Iterator[Chunk]:
        sent: list[str] = []
        finish = "stop"
        for piece in re.findall(r"\S+\s*|\s+", self._text):
            if self._request.cancel.cancelled:
                finish = "cancelled"
                break
            self._timer.mark_first()
            sent.append(piece)
            yield Chunk(piece)
        text = "".join(sent)
        self.result = GenerationResult(
            text=text,
            finish_reason="stop" if finish == "stop" else "cancelled",
            usage=Usage(completion_tokens=len(text.split()), estimated=True),
            provider=OfflineComposer.name,
            model=OfflineComposer.model,
            base_url_host="",
            latency_ms=self._timer.latency_ms,
            first_token_ms=self._timer.first_token_ms,
        )


class OfflineComposer:
    """The provider used when no AI endpoint is configured: no network, no AI claims."""

    name = "offline"
    model = "composer"
    label = "offline composer (no AI)"
    base_url = ""

    def stream(self, request: GenerationRequest) -> _ComposedStream:
        timer = Timer()
        ctx = request.context
        if isinstance(ctx, OutreachRequest):
            return _ComposedStream(compose_outreach(ctx), request, timer)
        if not isinstance(ctx, DraftContext):
            raise ValueError("the offline composer needs the DraftContext in the request")
        if request.purpose.startswith("rewrite:"):
            text = rewrite_offline(request.source_text, request.purpose.split(":", 1)[1], ctx.prompt_language)
        else:
            text = compose(ctx)
        return _ComposedStream(text, request, timer)
