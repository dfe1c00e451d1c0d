"""`latido show ITEM_ID [--json]`: an item, its customer, the current draft, its revision and hash."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from desktop.commands.items import item_json
from drafting.approval import waiting_for
from storage.timeline import CustomerInfo, DraftInfo, InteractionRow, item_detail


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help="show one work item with its customer and current draft")
    parser.add_argument("item_id", type=int, metavar="ITEM_ID")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=run)


def _customer_json(c: CustomerInfo) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "language": c.language,
        "plan": c.plan,
        "owner": c.owner,
        "tags": c.tags,
        "created_at": c.created_at.isoformat() if c.created_at else None,
        "handles": [f"{network}:{handle}" for network, handle in c.handles],
    }


def _incoming_json(i: InteractionRow) -> dict[str, Any]:
    return {
        "interaction_id": i.source_id,
        "channel": i.channel,
        "direction": i.direction,
        "occurred_at": i.occurred_at.isoformat(),
        "subject": i.subject,
        "body": i.body,
        "url": i.url,
    }


def _draft_json(d: DraftInfo | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    if d is None:
        return None, None
    draft = {
        "id": d.id,
        "status": d.status,
        "channel": d.channel,
        "language": d.language,
        "updated_at": d.updated_at.isoformat(),
    }
    r = d.revision
    if r is None:
        return draft, None
    revision = {
        "id": r.id,
        "seq": r.seq,
        "kind": r.kind,
        "author_kind": r.author_kind,
        "author": r.author,
        "created_at": r.created_at.isoformat(),
        "subject": r.subject,
        "body": r.body,
    }
    return draft, revision


def run(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.db.session() as session:
        detail = item_detail(session, item_id=args.item_id)
        if detail is None:
            raise CliError(f"show: no work item {args.item_id}")
        waiting = waiting_for(session, draft_id=detail.draft.id) if detail.draft is not None else ""
    draft, revision = _draft_json(detail.draft)
    if draft is not None:
        # What the approval policy still needs before the current text is queued ("" when nothing).
        draft["waiting_for"] = waiting
    content = detail.draft.revision.content_hash if detail.draft and detail.draft.revision else None
    if args.json:
        print_json(
            {
                "item": {
                    **item_json(detail.item),
                    "escalation_reasons": [r for r in detail.escalation_reasons.split(",") if r],
                },
                "customer": _customer_json(detail.customer),
                "incoming": _incoming_json(detail.incoming),
                "draft": draft,
                "revision": revision,
                "hash": content,
            }
        )
        return 0
    item, c = detail.item, detail.customer
    print(f"Item {item.id} · {item.channel} · {item.status}{' · ESCALATED' if item.escalated else ''}")
    print(f"Customer: {c.name} ({c.customer_id}) {c.plan} {c.language}".rstrip())
    print(f"Received {detail.incoming.occurred_at:%Y-%m-%d %H:%M} UTC:")
    print(detail.incoming.body)
    if revision is None:
        print("\nNo draft yet.")
    else:
        print(
            f"\nDraft {draft['id'] if draft else ''} revision {revision['seq']} ({revision['kind']}, {revision['author'] or revision['author_kind']}):"
        )
        if revision["subject"]:
            print(f"Subject: {revision['subject']}")
        print(revision["body"])
        print(f"\nhash {content}")
        if waiting:
            print(f"Approved, not queued yet: it needs {waiting}")
    return 0
