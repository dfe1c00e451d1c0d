"""`latido items [--status S] [--escalated] [--json]`: list work items."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import Context
from storage.models import ItemStatus
from storage.timeline import ItemRow, items_page

PAGE = 1000


def register(sub: Any) -> None:
    parser = sub.add_parser("items", help="list work items (escalated first, newest first)")
    parser.add_argument("--status", choices=[s.value for s in ItemStatus])
    parser.add_argument("--escalated", action="store_true", help="only items escalated to a human")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=run)


def item_json(row: ItemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "customer_id": row.customer_id,
        "customer": row.customer_name,
        "channel": row.channel,
        "status": row.status,
        "escalated": row.escalated,
        "frustration": round(row.frustration, 3),
        "language": row.language,
        "received_at": row.received_at.isoformat(),
        "snippet": row.snippet,
    }


def run(args: argparse.Namespace, ctx: Context) -> int:
    rows: list[ItemRow] = []
    with ctx.db.session() as session:
        after = None
        while True:
            page = items_page(
                session, status=args.status, escalated=True if args.escalated else None, after=after, limit=PAGE
            )
            rows.extend(page)
            if len(page) < PAGE:
                break
            after = page[-1].cursor
    if args.json:
        print_json({"items": [item_json(r) for r in rows], "count": len(rows)})
        return 0
    for r in rows:
        flag = "!" if r.escalated else " "
        snippet = r.snippet.replace("\n", " ")[:70]
        print(f"{r.id:>6} {flag} {r.status:<17} {r.channel:<8} {r.customer_name[:24]:<24} {snippet}")
    print(f"{len(rows)} item(s)")
    return 0
