"""`latido approve DRAFT_ID --hash SHA256 [--as USER] [--ack CODE_OR_SPAN …]`: approve one exact text; prints the outbox id.

When the approval policy wants a second approver, the approval is recorded and nothing is queued: stdout stays
empty and stderr says what it waits for."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.commands.base import CliError, Context
from drafting.approval import ApprovalRefused, approve
from storage import config


def register(sub: Any) -> None:
    parser = sub.add_parser("approve", help="approve a draft's current text, named by its hash, and queue it")
    parser.add_argument("draft_id", type=int, metavar="DRAFT_ID")
    parser.add_argument("--hash", required=True, metavar="SHA256", help="the hash `latido show --json` prints")
    parser.add_argument("--as", dest="user", help="who approves (default: the user.name setting)")
    parser.add_argument(
        "--ack",
        action="append",
        default=[],
        metavar="CODE_OR_SPAN",
        help="acknowledge a commitment: its code (all of them), its span (commitment@12-40) or its text",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    user = args.user or config.get("user.name")
    if not user:
        raise CliError("approve: who approves? pass --as USER or run `latido config set user.name NAME`")
    try:
        approval = approve(ctx.db, draft_id=args.draft_id, content_hash=args.hash, approver=user, acknowledged=args.ack)
    except ApprovalRefused as exc:
        raise CliError(f"approve: refused: {exc.reason}") from exc
    if approval.outbox_id is None:
        # Recorded, but the team's policy wants another approver before anything is queued.
        print(f"approve: recorded; not queued yet: it needs {approval.waiting_for}", file=sys.stderr)
        return 0
    print(approval.outbox_id)
    return 0
