"""`latido triage [--customer ID] [--json]`: triage the incoming message read from stdin."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from drafting.triage import Triage, triage, triage_for_customer


def register(sub: Any) -> None:
    parser = sub.add_parser("triage", help="frustration, escalation and language of a message (read from stdin)")
    parser.add_argument("--customer", metavar="ID", help="the customer's imported id: their history reveals repeats")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=run)


def _read_message() -> str:
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise CliError(f"triage: the message on stdin is not valid text ({exc.reason})") from exc
    if not text.strip():
        raise CliError("triage: no message on stdin")
    return text


def run(args: argparse.Namespace, ctx: Context) -> int:
    text = _read_message()
    result: Triage
    if args.customer is not None:
        with ctx.db.session() as session:
            try:
                result = triage_for_customer(session, text, customer_id=args.customer)
            except LookupError as exc:
                raise CliError(f"triage: {exc}") from exc
    else:
        result = triage(text)
    if args.json:
        print_json(result.to_json())
        return 0
    verdict = "escalate" if result.escalate else "no escalation"
    reasons = f" ({', '.join(result.reasons)})" if result.reasons else ""
    print(f"frustration {result.frustration:.2f}, {verdict}{reasons}, language {result.language}")
    for cue in result.cues:
        print(f"  {cue.kind}: {cue.text!r}")
    return 0
