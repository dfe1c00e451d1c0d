"""`latido audit verify`: walk every hash chain and name the first broken link."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.commands.base import Context
from storage.chain import verify


def register(sub: Any) -> None:
    parser = sub.add_parser("audit", help="check the history has not been rewritten")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    check = actions.add_parser("verify", help="verify every hash chain")
    check.set_defaults(run=run_verify)


def run_verify(_args: argparse.Namespace, ctx: Context) -> int:
    with ctx.db.session() as session:
        result = verify(session)
    counts = ", ".join(f"{n} {t}" for t, n in result.checked.items())
    if result.ok:
        print(f"audit: intact ({counts})")
        return 0
    first = result.first
    print(f"audit: broken link: {first}", file=sys.stderr)
    for extra in result.breaks[1:]:
        print(f"audit: also broken: {extra}", file=sys.stderr)
    print(f"audit: FAILED ({counts})")
    return 1
