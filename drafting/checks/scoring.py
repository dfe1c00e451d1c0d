"""How well the checks do on a labelled set: per-code precision and recall.

A labelled case is one JSON object per line: the draft (`body`), `lang` (the
customer's language), `channel`, optionally `incoming`, `customer`
(`{"name", "facts": [...]}`), `recent_contact` (`{"channel", "relative"}`)
and `recent_openers`, then `expected` (the codes a careful reviewer would
raise) and `human_written`. A code counts once per case, whatever its span.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafting.checks.findings import CODES
from drafting.checks.recent_contact import RecentContact
from drafting.checks.run import CheckInput, check_draft


@dataclass(frozen=True)
class LabelledCase:
    id: str
    draft: CheckInput
    expected: frozenset[str]
    human_written: bool


def case_from_json(data: dict[str, Any]) -> LabelledCase:
    """One labelled case; raises KeyError or ValueError on a malformed one."""
    customer = data.get("customer") or {}
    contact = data.get("recent_contact")
    expected = frozenset(data["expected"])
    unknown = expected - set(CODES)
    if unknown:
        raise ValueError(f"case {data['id']}: unknown codes {sorted(unknown)}")
    draft = CheckInput(
        body=data["body"],
        channel=data["channel"],
        language=data["lang"],
        incoming=data.get("incoming", ""),
        customer_name=customer.get("name", ""),
        known_facts=tuple(customer.get("facts", ())),
        recent_contacts=(RecentContact(contact["channel"], contact.get("relative", "")),) if contact else (),
        recent_openers=tuple(data.get("recent_openers", ())),
    )
    return LabelledCase(str(data["id"]), draft, expected, bool(data["human_written"]))


def load_cases(path: Path) -> list[LabelledCase]:
    """Every case of a JSON Lines file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [case_from_json(json.loads(line)) for line in lines if line.strip()]


@dataclass
class Score:
    """Counts for one code over a labelled set."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


@dataclass
class Report:
    """Per-code scores, and how often robotic_phrase fires on human-written replies."""

    scores: dict[str, Score]
    human_cases: int
    human_robotic: list[str]

    @property
    def human_robotic_rate(self) -> float:
        return len(self.human_robotic) / self.human_cases if self.human_cases else 0.0


def evaluate(cases: Iterable[LabelledCase], codes: Sequence[str] = CODES) -> Report:
    """Run the checks on every case and count hits, misses and extras per code."""
    scores = {code: Score() for code in codes}
    human_cases = 0
    human_robotic: list[str] = []
    for case in cases:
        found = {f.code for f in check_draft(case.draft)}
        if case.human_written:
            human_cases += 1
            if "robotic_phrase" in found:
                human_robotic.append(case.id)
        for code, score in scores.items():
            if code in found and code in case.expected:
                score.true_pos += 1
            elif code in found:
                score.false_pos += 1
                score.extra.append(case.id)
            elif code in case.expected:
                score.false_neg += 1
                score.missed.append(case.id)
    return Report(scores, human_cases, human_robotic)


def table(report: Report) -> str:
    """The per-code table `make bench` prints."""
    rows = [f"{'code':<28} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for code, s in report.scores.items():
        if s.true_pos + s.false_pos + s.false_neg == 0:
            continue
        rows.append(
            f"{code:<28} {s.true_pos:>4} {s.false_pos:>4} {s.false_neg:>4} {s.precision:>10.2f} {s.recall:>8.2f}"
        )
    rows.append(
        f"robotic_phrase on human-written replies: {len(report.human_robotic)}/{report.human_cases}"
        f" ({report.human_robotic_rate:.1%})"
    )
    return "\n".join(rows)
