"""`latido outreach new|show`: personalised new messages for chosen customers, each to be read and approved.

`outreach new --brief FILE (--customers ID[,ID…] | --filter EXPR) [--purpose P] [--channel email|dm]
[--provider offline|openai] [--as USER] [--json]` drafts one message per customer and prints the batch;
`outreach show BATCH_ID [--json]` lists its drafts with their hash, sameness and findings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from drafting.checks import CheckInput, check_draft
from drafting.context import build_customer_context
from drafting.outreach import (
    CHANNELS,
    PURPOSES,
    BatchDraft,
    BatchProgress,
    Brief,
    OutreachError,
    batch_drafts,
    batch_summary,
    create_batch,
    draft_batch,
    select_customers,
)
from drafting.providers.base import CancelToken, Provider
from drafting.providers.choice import ProviderChoiceError, choose_provider
from storage import config
from storage.models import Draft

DEFAULT_PURPOSE = "announcement"


def register(sub: Any) -> None:
    parser = sub.add_parser("outreach", help="personalised new messages for chosen customers")
    actions = parser.add_subparsers(dest="outreach_action", metavar="new|show", required=True)

    new = actions.add_parser("new", help="draft one message per customer from a brief")
    new.add_argument("--brief", required=True, metavar="FILE", help="the brief (plain text; `-` reads stdin)")
    chosen = new.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--customers", metavar="ID[,ID…]", help="customer ids, comma separated")
    chosen.add_argument("--filter", metavar="EXPR", help="e.g. 'plan=Pro language=es last_contact<2026-10-01'")
    new.add_argument("--purpose", choices=PURPOSES, default=DEFAULT_PURPOSE, help=f"default: {DEFAULT_PURPOSE}")
    new.add_argument("--channel", choices=CHANNELS, default="email")
    new.add_argument(
        "--provider", choices=["offline", "openai"], help="default: openai when ai.base_url is set, else offline"
    )
    new.add_argument("--base-url", help="OpenAI-compatible endpoint (overrides ai.base_url)")
    new.add_argument("--model", help="model name (overrides ai.model)")
    new.add_argument("--as", dest="user", help="who writes the brief (default: the user.name setting)")
    new.add_argument("--json", action="store_true", help="one JSON document on stdout")
    new.set_defaults(run=run_new)

    show = actions.add_parser("show", help="list a batch's drafts with hash, sameness and findings")
    show.add_argument("batch_id", type=int, metavar="BATCH_ID")
    show.add_argument("--json", action="store_true", help="one JSON document on stdout")
    show.set_defaults(run=run_show)


def _read_brief(path: str) -> str:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"outreach: cannot read the brief {path!r}: {exc}") from exc
    if not text.strip():
        raise CliError(f"outreach: the brief {path!r} is empty; write what the message should say")
    return text


def _findings(ctx: Context, drafts: list[BatchDraft]) -> dict[int, list[dict[str, Any]]]:
    """Every check's findings on each draft (as `check --json`), with the batch's own `mass_email` ones."""
    found: dict[int, list[dict[str, Any]]] = {}
    with ctx.db.session() as session:
        for item in drafts:
            draft = session.get(Draft, item.draft_id)
            if draft is None:
                continue
            context = build_customer_context(session, customer_id=draft.customer_id, channel=draft.channel)
            checks = check_draft(
                CheckInput(
                    body=item.text,
                    subject=item.subject,
                    channel=draft.channel,
                    language=draft.language,
                    context=context,
                )
            )
            found[item.draft_id] = [f.to_json() for f in [*checks, *item.findings]]
    return found


def _draft_json(item: BatchDraft, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "draft_id": item.draft_id,
        "customer_id": item.customer_id,
        "customer_name": item.customer_name,
        "language": item.language,
        "subject": item.subject,
        "text": item.text,
        "hash": item.hash,
        "sameness": item.sameness,
        "state": item.state,
        "findings": findings,
    }


def _print_drafts(drafts: list[BatchDraft], findings: dict[int, list[dict[str, Any]]]) -> None:
    for item in drafts:
        same = f"{item.sameness:.0%}" if item.sameness is not None else "-"
        codes = ", ".join(sorted({f["code"] for f in findings.get(item.draft_id, [])})) or "no findings"
        print(
            f"\ndraft {item.draft_id} · {item.customer_id} {item.customer_name} · {item.language} · {item.state} · "
            f"sameness {same} · {codes}\nhash {item.hash}"
        )
        if item.subject:
            print(f"Subject: {item.subject}")
        print(item.text)


def run_new(args: argparse.Namespace, ctx: Context) -> int:
    author = args.user or config.get("user.name")
    if not author:
        raise CliError("outreach: who writes the brief? pass --as USER or run `latido config set user.name NAME`")
    text = _read_brief(args.brief)
    try:
        provider: Provider = choose_provider(args.provider, base_url=args.base_url, model=args.model)
    except ProviderChoiceError as exc:
        raise CliError(f"outreach: {exc}") from exc
    cancel = CancelToken()
    try:
        with ctx.db.session() as session:
            if args.customers is not None:
                picks = select_customers(session, ids=[args.customers])
                if not picks:
                    raise CliError("outreach: --customers names no customer")
            else:
                picks = select_customers(session, filter_expr=args.filter)
                if not picks:
                    raise CliError(f"outreach: no customer matches the filter {args.filter!r}")
        batch_id = create_batch(
            ctx.db,
            author=author,
            brief=Brief(purpose=args.purpose, text=text, channel=args.channel),
            customers=[p.id for p in picks],
            provider=getattr(provider, "name", "offline"),
        )
        result: BatchProgress = draft_batch(ctx.db, batch_id=batch_id, provider=provider, cancel=cancel)
        with ctx.db.session() as session:
            drafts = batch_drafts(session, batch_id=batch_id)
    except KeyboardInterrupt:
        cancel.cancel()
        raise
    except OutreachError as exc:
        raise CliError(f"outreach: {exc}") from exc
    findings = _findings(ctx, drafts)
    failed = [{"customer": customer, "reason": reason} for customer, reason in result.failed]
    if args.json:
        print_json(
            {
                "batch_id": batch_id,
                "purpose": args.purpose,
                "channel": args.channel,
                "total": result.total,
                "drafted": result.done,
                "failed": failed,
                "drafts": [_draft_json(d, findings.get(d.draft_id, [])) for d in drafts],
            }
        )
    else:
        print(f"batch {batch_id}: {result.done} of {result.total} drafted")
        _print_drafts(drafts, findings)
    for customer, reason in result.failed:
        print(f"outreach: customer {customer} not drafted: {reason}", file=sys.stderr)
    return 1 if result.failed else 0


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    try:
        with ctx.db.session() as session:
            summary = batch_summary(session, batch_id=args.batch_id)
            drafts = batch_drafts(session, batch_id=args.batch_id)
    except OutreachError as exc:
        raise CliError(f"outreach: {exc}") from exc
    findings = _findings(ctx, drafts)
    if args.json:
        print_json(
            {
                "batch_id": summary.id,
                "author": summary.author,
                "purpose": summary.purpose,
                "channel": summary.channel,
                "total": summary.total,
                "drafts": [_draft_json(d, findings.get(d.draft_id, [])) for d in drafts],
            }
        )
        return 0
    print(
        f"batch {summary.id} by {summary.author} · {summary.purpose} · {summary.channel} · {summary.total} customers · "
        f"approved as drafted {summary.approved_as_drafted}, edited {summary.edited}, skipped {summary.skipped}, "
        f"rejected {summary.rejected}, pending {summary.pending}, sent {summary.sent}"
    )
    _print_drafts(drafts, findings)
    return 0
