"""`latido check [--channel CH] [--lang es|en] [--customer ID] [--incoming FILE] [--json]`: the human check.

The draft is read from stdin; spans are character offsets into exactly that
text. Exit 1 when any finding is a block or a warning, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from drafting.checks import CheckInput, Finding, Severity, check_draft
from drafting.checks.run import customer_context, recent_openers

CHANNELS = ("email", "comment", "dm", "chat", "ticket")
EXIT_OK, EXIT_FINDINGS = 0, 1


def register(sub: Any) -> None:
    parser = sub.add_parser("check", help="check a draft (text on stdin): does it sound human, is it safe to send?")
    parser.add_argument("--channel", choices=CHANNELS, default="email", help="where the reply goes (default: email)")
    parser.add_argument(
        "--lang", dest="reply_lang", choices=["en", "es"], help="the customer's language (default: their record's)"
    )
    parser.add_argument("--customer", metavar="ID", help="the customer_id the customer was imported with")
    parser.add_argument("--incoming", type=Path, metavar="FILE", help="the message being answered")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=run)


def _read_incoming(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise CliError(f"check: cannot read --incoming {path}: {reason}") from exc


def line(finding: Finding) -> str:
    """`severity code start-end: message — suggestion`."""
    text = f"{finding.severity.value} {finding.code} {finding.start}-{finding.end}: {finding.message}"
    return f"{text} — {finding.suggestion}" if finding.suggestion else text


def run(args: argparse.Namespace, ctx: Context) -> int:
    incoming = _read_incoming(args.incoming)
    body = sys.stdin.read()
    if not body.strip():
        raise CliError("check: no draft on stdin")
    draft = CheckInput(body=body, channel=args.channel, language=args.reply_lang or "", incoming=incoming)
    if args.customer:
        with ctx.db.session() as session:
            try:
                context = customer_context(session, customer_id=args.customer, channel=args.channel)
            except LookupError as exc:
                raise CliError(f"check: {exc}") from exc
            openers = recent_openers(session, channel=args.channel)
        draft = CheckInput(
            body=body,
            channel=args.channel,
            language=args.reply_lang or "",
            incoming=incoming,
            context=context,
            recent_openers=openers,
        )
    findings = check_draft(draft)
    if args.json:
        print_json({"findings": [f.to_json() for f in findings]})
    else:
        for finding in findings:
            print(line(finding))
    return EXIT_FINDINGS if any(f.severity in (Severity.BLOCK, Severity.WARN) for f in findings) else EXIT_OK
