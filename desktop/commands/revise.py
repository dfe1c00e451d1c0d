"""`latido revise DRAFT_ID [--as USER]`: a person's new version from stdin; prints the new hash.

If the first line is `Subject: …` followed by a blank line, it sets the subject;
otherwise the subject stays as it was.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.commands.base import CliError, Context
from drafting.drafts import DraftError, revise_draft
from storage import config


def register(sub: Any) -> None:
    parser = sub.add_parser("revise", help="save a new human revision of a draft (text on stdin)")
    parser.add_argument("draft_id", type=int, metavar="DRAFT_ID")
    parser.add_argument("--as", dest="user", help="who is editing (default: the user.name setting)")
    parser.set_defaults(run=run)


def split_subject(text: str) -> tuple[str | None, str]:
    """`Subject: x\\n\\nbody` → ("x", "body"); anything else → (None, text)."""
    first, sep, rest = text.partition("\n")
    if first.lower().startswith("subject:") and sep and rest.startswith(("\n", "\r\n")):
        return first[len("subject:") :].strip(), rest.lstrip("\r\n")
    return None, text


def run(args: argparse.Namespace, ctx: Context) -> int:
    user = args.user or config.get("user.name")
    if not user:
        raise CliError("revise: who is editing? pass --as USER or run `latido config set user.name NAME`")
    subject, body = split_subject(sys.stdin.read())
    try:
        outcome = revise_draft(ctx.db, draft_id=args.draft_id, body=body, subject=subject, author=user)
    except DraftError as exc:
        raise CliError(f"revise: {exc}") from exc
    print(outcome.content_hash)
    return 0
