"""`latido demo [--reset] [--if-empty]`: seed the bilingual demo workspace."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.commands.base import CliError, Context
from storage.database import DatabaseError
from storage.demo import reset_workspace, seed_demo, workspace_has_data


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="seed the bilingual demo workspace")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--reset", action="store_true", help="empty the workspace first (SQLite: backed up next to it)")
    mode.add_argument("--if-empty", action="store_true", help="seed only an empty workspace; otherwise do nothing")
    parser.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db
    if args.reset:
        try:
            saved = reset_workspace(db)
        except DatabaseError as exc:
            raise CliError(str(exc)) from exc
        if saved is not None:
            print(f"demo: previous workspace backed up to {saved}")
        else:
            print(f"demo: emptied {db.display_url} (no file backup for PostgreSQL; use pg_dump)")
    elif workspace_has_data(db):
        if args.if_empty:
            print("demo: workspace already has data; nothing to do")
            return 0
        raise CliError(
            "demo: the workspace already has data; use `latido demo --reset` to replace it (a backup is made first)"
        )
    print(seed_demo(db).line())
    # The demo's past approvals get their edit figures, so a lead's insights have something to show at once.
    from drafting.insights import measure_unmeasured

    measure_unmeasured(db, actor="demo")
    return 0
