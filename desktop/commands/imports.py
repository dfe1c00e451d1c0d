"""`latido import customers|interactions FILE [--dry-run]` and `latido import mbox FILE`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.commands.base import Context
from drafting.triage import last_item_id, triage_items
from storage.importers import ImportRefused, ImportReport, import_customers, import_interactions, import_mbox

Importer = Callable[..., ImportReport]

EXIT_REFUSED = 2


def register(sub: Any) -> None:
    parser = sub.add_parser("import", help="import customers, interactions or email")
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    for kind, importer, help_text in (
        ("customers", import_customers, "customers from a .csv, .json or .jsonl file"),
        ("interactions", import_interactions, "messages, calls and notes from a .csv, .json or .jsonl file"),
        ("mbox", import_mbox, "incoming email from an mbox or .eml file"),
    ):
        command = kinds.add_parser(kind, help=help_text)
        command.add_argument("file", type=Path, metavar="FILE")
        command.add_argument("--dry-run", action="store_true", help="check the file and report, without writing")
        command.set_defaults(run=_runner(importer))


def _runner(importer: Importer) -> Callable[[argparse.Namespace, Context], int]:
    def run(args: argparse.Namespace, ctx: Context) -> int:
        return run_import(importer, args, ctx)

    return run


def _actor() -> str:
    """Who ran the import, for the audit log: the login name (empty when the OS cannot tell)."""
    try:
        return getpass.getuser()
    except OSError:  # no login name in this environment (e.g. a container without a passwd entry)
        return ""


def _progress(rows: int) -> None:
    print(f"import: {rows:,} rows read", file=sys.stderr, flush=True)


def run_import(importer: Importer, args: argparse.Namespace, ctx: Context) -> int:
    """Run one importer; refusals exit 2 with the reason on stderr's first line."""
    path: Path = args.file
    triage_after = None
    if not args.dry_run and importer is not import_customers:
        with ctx.db.session() as session:
            triage_after = last_item_id(session)
    try:
        report = importer(ctx.db, path, dry_run=args.dry_run, progress=_progress, actor=_actor())
    except ImportRefused as refused:
        print(f"latido: import: {refused.reason}", file=sys.stderr)
        if len(refused.errors) > 1:
            for line in refused.errors:
                print(line, file=sys.stderr)
        for line in refused.warnings:
            print(f"warning: {line}", file=sys.stderr)
        return EXIT_REFUSED
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    if triage_after is not None and report.work_items_created:
        # The new items reach the inbox triaged: escalated ones go to the human queue.
        with ctx.db.write() as session:
            triage_items(session, after_id=triage_after)
    print(summary(report))
    return 0


def summary(report: ImportReport) -> str:
    """The one-line result, e.g. `import: 40 customers added, 0 already imported (customers.csv)`."""
    noun = {"customers": "customers", "interactions": "interactions", "mbox": "messages"}[report.kind]
    verb = "would be added" if report.dry_run else "added"
    parts = [f"{report.added} {noun} {verb}", f"{report.already_imported} already imported"]
    if report.kind == "mbox":
        parts.append(f"{report.customers_created} new customers")
    if report.kind != "customers" and not report.dry_run:
        parts.append(f"{report.work_items_created} work items created")
    head = "import (dry run)" if report.dry_run else "import"
    return f"{head}: {', '.join(parts)} ({report.file})"
