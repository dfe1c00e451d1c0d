"""`commitment`: sentences that commit the team to money, a price, a date or an action, for a person to confirm.

What counts is what `assets/lexicons/{en,es}/commitments.txt` describes, the
same lexicon the drafting context reads earlier promises with: money back,
credits, discounts and free things; dates, deadlines and delivery times;
actions the team says it will take ("we'll", "te escribo"); guarantees.
A sentence that reports money already sent ("your refund went out on
Tuesday") counts too: a wrong statement about a refund costs as much as a
wrong promise, so a person confirms it. Sentences that only look back
("it arrived late", "siento que llegara así") do not.
"""

from __future__ import annotations

from bisect import bisect_right

from drafting.checks.findings import Finding, Severity
from drafting.checks.lexicons import Words, entries_of
from drafting.checks.sentences import sentence_spans

MESSAGES = {
    "en": ("Commitment: “{text}”", "Check the team can keep it (amount, date, who does it) before approving."),
    "es": (
        "Compromiso: «{text}»",
        "Comprueba que el equipo puede cumplirlo (importe, fecha, quién) antes de aprobar.",
    ),
}
_QUOTE = 80


def _short(sentence: str) -> str:
    line = " ".join(sentence.split())
    return line if len(line) <= _QUOTE else line[: _QUOTE - 1].rstrip() + "…"


def find_commitments(text: str, lang: str = "en", *, words: Words | None = None) -> list[Finding]:
    """One warning per sentence that commits the team to something, spanning the whole sentence.

    `words`: the text's words, when the caller already has them.
    """
    # The same lexicon as `drafting.context.commitment_pattern`, compiled for one fast pass over a long draft.
    pattern = entries_of("commitments").pattern_for(words if words is not None else Words.of(text))
    hits = [m.start() for m in pattern.finditer(text)]
    if not hits:  # most drafts promise nothing: skip splitting them
        return []
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    spans = sentence_spans(text)
    starts = [start for start, _ in spans]
    chosen: dict[int, tuple[int, int]] = {}
    for hit in hits:
        index = bisect_right(starts, hit) - 1
        if index >= 0 and hit < spans[index][1]:
            chosen[index] = spans[index]
    return [
        Finding("commitment", Severity.WARN, start, end, message.format(text=_short(text[start:end])), suggestion)
        for start, end in (chosen[i] for i in sorted(chosen))
    ]
