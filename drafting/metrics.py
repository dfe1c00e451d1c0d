"""Edit metrics: how much a person changed the AI's draft, and what they added or took out.

Words are the unit: a word is a run of letters and digits (with inner
apostrophes, hyphens, dots or commas, so "don't", "A-48213" and "39.00" stay
whole), or a single other visible character (punctuation, an emoji).
Whitespace and line breaks are not words, so re-wrapping a paragraph changes
nothing.

`edit_pct` is the share of word operations a person needed to turn the AI's
words into the final ones: the words of the AI draft they deleted or replaced
plus the words they inserted (a replacement counts its larger side), divided
by the larger of the two word counts, times 100. It is 0 for an untouched
draft, 100 for a rewrite that keeps no word, and never above 100; adding a
sentence to a long draft counts less than adding it to a short one. Two empty
texts are 0% apart; anything against an empty text is 100%.

`record_edit_metric` stores these per review (write-once), from the draft's
first AI revision to the revision the person decided on.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.context import commitment_pattern, first_name
from drafting.empathy import count_apologies, has_acknowledgement, has_personal_reference, mentions_name
from drafting.timeago import language_of
from drafting.triage import fold
from storage.models import AuthorKind, Customer, Draft, EditMetric, Review, Revision

_WORD = re.compile(r"[^\W_]+(?:['’.,\-/][^\W_]+)*|[^\w\s]", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

EMPATHY_KINDS = ("acknowledgement", "apology", "name", "personal_reference")


@dataclass(frozen=True)
class DiffOp:
    """One step from the AI's words to the final words."""

    op: str
    """`equal`, `insert`, `delete` or `replace`."""
    before: tuple[str, ...]
    """The AI draft's words in this step (empty for an insert)."""
    after: tuple[str, ...]
    """The final text's words in this step (empty for a delete)."""


def words(text: str) -> list[str]:
    """The words of `text` (see the module docstring)."""
    return _WORD.findall(text)


def word_diff(a: str, b: str) -> list[DiffOp]:
    """The word-level operations that turn `a` into `b`, in order."""
    before, after = words(a), words(b)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [DiffOp(tag, tuple(before[i1:i2]), tuple(after[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def edit_pct(ai_text: str, final_text: str) -> float:
    """How much of the AI draft a person changed, 0 to 100 (see the module docstring), rounded to 0.1."""
    ops = word_diff(ai_text, final_text)
    total = max(sum(len(op.before) for op in ops), sum(len(op.after) for op in ops))
    if total == 0:
        return 0.0
    changed = sum(max(len(op.before), len(op.after)) for op in ops if op.op != "equal")
    return round(min(100.0, 100.0 * changed / total), 1)


def empathy_added(ai_text: str, final_text: str, *, customer_first_name: str, lang: str) -> list[str]:
    """The kinds of empathy the person added that the AI draft lacked, from EMPATHY_KINDS.

    `acknowledgement` (how the customer feels, or that it happened before),
    `apology` (a new one: one more than the draft had), `name` (the customer's
    first name) and `personal_reference` (their call, order, earlier message).
    """
    added = []
    if has_acknowledgement(final_text, lang) and not has_acknowledgement(ai_text, lang):
        added.append("acknowledgement")
    if count_apologies(final_text, lang) > count_apologies(ai_text, lang):
        added.append("apology")
    if mentions_name(final_text, customer_first_name) and not mentions_name(ai_text, customer_first_name):
        added.append("name")
    if has_personal_reference(final_text, lang) and not has_personal_reference(ai_text, lang):
        added.append("personal_reference")
    return added


def _commitments(text: str) -> dict[str, str]:
    """The sentences of `text` that promise something, keyed by their folded, space-normalized form."""
    pattern = commitment_pattern()
    found: dict[str, str] = {}
    for sentence in _SENTENCE_END.split(text):
        clean = " ".join(sentence.split())
        if clean and pattern.search(clean):
            found.setdefault(fold(clean), clean)
    return found


def commitments_delta(ai_text: str, final_text: str, lang: str) -> tuple[list[str], list[str]]:
    """The promising sentences the person added and removed: (added, removed), each in text order.

    A sentence that promises the same thing in the same words in both texts is
    neither; an edited promise counts as one removed and one added. The
    commitment lexicon is searched in English and Spanish at once, whatever
    `lang` says, as a reply may mix them.
    """
    before, after = _commitments(ai_text), _commitments(final_text)
    added = [text for key, text in after.items() if key not in before]
    removed = [text for key, text in before.items() if key not in after]
    return added, removed


def _joined(values: Iterable[str]) -> str:
    return ",".join(sorted(dict.fromkeys(v.strip() for v in values if v.strip())))


def record_edit_metric(
    session: Session,
    *,
    review_id: int,
    findings_resolved: Sequence[str] = (),
    findings_overridden: Sequence[str] = (),
) -> EditMetric:
    """Compute and store the edit metrics of review `review_id` (the caller commits).

    Compares the draft's first AI revision (when it has one; else the first
    revision) with the revision the review decided on. `findings_resolved` and
    `findings_overridden` are finding codes, stored comma-separated. Raises
    LookupError when the review does not exist, and the database refuses a
    second metric for the same review.
    """
    review = session.get(Review, review_id)
    if review is None:
        raise LookupError(f"review {review_id} does not exist")
    final = session.get(Revision, review.revision_id)
    draft = session.get(Draft, review.draft_id)
    if final is None or final.id is None or draft is None:
        raise LookupError(f"review {review_id} points at a missing revision or draft")
    first_ai = session.execute(
        sa.select(Revision)
        .where(col(Revision.draft_id) == review.draft_id, col(Revision.author_kind) == AuthorKind.AI.value)
        .order_by(col(Revision.seq))
        .limit(1)
    ).scalar_one_or_none()
    base = first_ai
    if base is None:
        base = session.execute(
            sa.select(Revision).where(col(Revision.draft_id) == review.draft_id).order_by(col(Revision.seq)).limit(1)
        ).scalar_one()
    customer = session.get(Customer, draft.customer_id)
    lang = language_of(draft.language or (customer.language if customer is not None else "") or "en")
    name = first_name(customer.name) if customer is not None else ""
    ai_text, final_text = base.body, final.body
    added, removed = commitments_delta(ai_text, final_text, lang)
    metric = EditMetric(
        review_id=review_id,
        draft_id=review.draft_id,
        ai_revision_id=first_ai.id if first_ai is not None else None,
        final_revision_id=final.id,
        words_ai=len(words(ai_text)),
        words_final=len(words(final_text)),
        edit_pct=edit_pct(ai_text, final_text),
        empathy_added=_joined(empathy_added(ai_text, final_text, customer_first_name=name, lang=lang)),
        commitments_added=json.dumps(added, ensure_ascii=False),
        commitments_removed=json.dumps(removed, ensure_ascii=False),
        findings_resolved=_joined(findings_resolved),
        findings_overridden=_joined(findings_overridden),
    )
    session.add(metric)
    session.flush()
    return metric
