"""`latido db upgrade` and `latido db backup PATH`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.commands.base import CliError, Context
from storage.database import Database, DatabaseError


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="database schema and backups")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="apply pending schema migrations").set_defaults(run=run_upgrade)
    backup = actions.add_parser("backup", help="copy the SQLite database to PATH")
    backup.add_argument("path", type=Path)
    backup.set_defaults(run=run_backup)


def run_upgrade(_args: argparse.Namespace, ctx: Context) -> int:
    try:
        db = Database(ctx.database_url)
        before = db.current_revision()
        saved = db.upgrade()
        after = db.current_revision()
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    if before == after:
        print(f"db: already at {after} ({db.display_url})")
    else:
        print(f"db: upgraded {before or 'empty'} -> {after} ({db.display_url})")
    if saved:
        print(f"db: backup of the previous file: {saved}")
    db.dispose()
    return 0


def run_backup(args: argparse.Namespace, ctx: Context) -> int:
    try:
        target = ctx.db.backup(args.path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    print(f"db: backup written to {target}")
    return 0
