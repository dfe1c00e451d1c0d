"""`latido outbox send [--once]`, `latido outbox list [--json]`, `latido outbox resolve ID --mark-sent|--send-again`.

`send` prints one line per message and a summary; it exits 1 when any message
failed, was refused or is uncertain, so scripts notice.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from desktop.transports import TransportSetupError, configured_transports
from drafting.delivery.base import Transport
from drafting.delivery.outbox import Line, OutboxError, list_outbox, resolve_uncertain, send_pending
from storage import config
from storage.models import OutboxMessage, OutboxState

EXIT_PROBLEMS = 1


def register(sub: Any) -> None:
    parser = sub.add_parser("outbox", help="send approved messages, list the outbox, settle uncertain sends")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="send what is queued")
    send.add_argument("--once", action="store_true", help="one pass: at most one try per message, then exit")
    send.set_defaults(run=run_send)
    listing = actions.add_parser("list", help="list outbox messages, newest first")
    listing.add_argument("--state", choices=[s.value for s in OutboxState])
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    listing.set_defaults(run=run_list)
    resolve = actions.add_parser("resolve", help="a person's decision on an uncertain send")
    resolve.add_argument("outbox_id", type=int, metavar="ID")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--mark-sent", dest="decision", action="store_const", const="mark_sent")
    choice.add_argument("--send-again", dest="decision", action="store_const", const="send_again")
    resolve.add_argument("--as", dest="user", help="who decides (default: the user.name setting)")
    resolve.set_defaults(run=run_resolve)


def _print_line(line: Line) -> None:
    detail = " ".join(line.detail.split())
    print(f"{line.outbox_id}\t{line.state}\t{line.recipients}\t{detail}".rstrip(), flush=True)


def run_send(args: argparse.Namespace, ctx: Context) -> int:
    transports = _configured_transports()
    # Manual posts are never sent by a worker: a person posts them and marks them (see drafting.delivery.manual).
    report = send_pending(ctx.db, transports, once=args.once, on_line=_print_line)
    counts = {state: report.count(state) for state in ("sent", "retry", "failed", "refused", "uncertain")}
    summary = ", ".join(f"{n} {state}" for state, n in counts.items())
    recovered = f"; {report.recovered} left uncertain by an interrupted send" if report.recovered else ""
    print(f"{summary}{recovered}")
    return 0 if report.ok else EXIT_PROBLEMS


def row_json(row: OutboxMessage) -> dict[str, Any]:
    return {
        "id": row.id,
        "draft_id": row.draft_id,
        "channel": row.channel,
        "transport": row.transport,
        "state": row.state,
        "recipients": row.recipients,
        "subject": row.subject,
        "hash": row.content_hash,
        "message_id": row.message_id,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
        "last_error": row.last_error,
        "refused": row.refused,
        "sent_by": row.sent_by,
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.db.session() as session:
        rows = list_outbox(session, states=[args.state] if args.state else None)
    if args.json:
        print_json({"outbox": [row_json(r) for r in rows]})
        return 0
    for r in rows:
        problem = f"\t{' '.join(r.last_error.split())}" if r.last_error and r.state != OutboxState.SENT else ""
        print(f"{r.id}\t{r.state}\t{r.transport}\t{r.recipients}\t{r.subject}{problem}")
    return 0


def run_resolve(args: argparse.Namespace, ctx: Context) -> int:
    user = args.user or config.get("user.name")
    if not user:
        raise CliError("outbox resolve: who decides? pass --as USER or run `latido config set user.name NAME`")
    try:
        row = resolve_uncertain(ctx.db, outbox_id=args.outbox_id, decision=args.decision, actor=user)
    except OutboxError as exc:
        raise CliError(f"outbox resolve: {exc}") from exc
    print(f"{row.id}\t{row.state}")
    return 0


def _configured_transports() -> list[Transport]:
    try:
        return configured_transports()
    except TransportSetupError as exc:
        raise CliError(f"outbox: {exc}") from exc
