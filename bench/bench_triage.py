"""Triage speed on a typical message, and its precision and recall on the labelled set.

`triage()` is timed on a 300-character email (median of warm runs; the
language model and lexicons are loaded before timing). The baseline is one
pass of a single compiled regular expression over the same text: the ratio
says what the lexicons, the shouting and exclamation cues, the scoring and the
language detection cost on top of the cheapest possible scan.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.harness import Figure
from drafting.triage import REASONS, triage

REPEAT = 2000
LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_labelled.jsonl"

MESSAGE = (
    "Hi,\n\nI just got off the phone with Leo about being charged twice for my subscription this month "
    "(INV-20418 and INV-20419). He said the duplicate would be refunded. Could you confirm that in writing, "
    "and roughly when I'll see the money back on my card? This is getting ridiculous.\n\nThanks,\nDaniel"
)
BASELINE = re.compile(r"(?<!\w)(?:refund\w*|charged|ridiculous|lawyer|cancel\w*)(?!\w)", re.IGNORECASE)


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _quality() -> tuple[dict[str, Counter[str]], Counter[str], int]:
    cases = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    per: dict[str, Counter[str]] = {r: Counter() for r in REASONS}
    esc: Counter[str] = Counter()
    for case in cases:
        result = triage(case["text"], history=case["history"])
        for reason in REASONS:
            got, want = reason in result.reasons, reason in case["reasons"]
            per[reason]["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1
        got, want = result.escalate, case["escalate"]
        esc["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1
    return per, esc, len(cases)


def _pr(c: Counter[str]) -> tuple[float, float]:
    return c["tp"] / max(c["tp"] + c["fp"], 1), c["tp"] / max(c["tp"] + c["fn"], 1)


def run() -> list[Figure]:
    """Time triage against one regex pass, then score the labelled set."""
    triage(MESSAGE)  # warm: the language model, the lexicons
    ours = _median(lambda: triage(MESSAGE), REPEAT)
    baseline = _median(lambda: BASELINE.findall(MESSAGE), REPEAT)
    per, esc, count = _quality()
    precision, recall = _pr(esc)
    figures = [
        Figure(f"triage(), {len(MESSAGE)}-char email (median)", ours * 1000, "ms", "<=2 ms", ours <= 0.002),
        Figure("  one compiled regex pass over it (median)", baseline * 1000, "ms", "informative", True),
        Figure("  ratio to the regex pass", ours / baseline, "x", "informative", True),
        Figure(f"escalation precision ({count} labelled cases)", precision, "", ">=0.8", precision >= 0.8),
        Figure("escalation recall", recall, "", ">=0.9", recall >= 0.9),
    ]
    for reason in REASONS:
        p, r = _pr(per[reason])
        support = per[reason]["tp"] + per[reason]["fn"]
        figures.append(Figure(f"  {reason} precision (n={support})", p, "", "informative", True))
        figures.append(Figure(f"  {reason} recall", r, "", "informative", True))
    return figures
