"""`latido history export [--format csv|json] [--since DATE] [--output FILE]`: every approved or rejected draft."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from desktop.commands.base import CliError, Context
from storage.history import EXPORT_FIELDS, export_rows


def register(sub: Any) -> None:
    parser = sub.add_parser("history", help="the approval history")
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="every approved or rejected draft, oldest first")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--since", help="only decisions at or after DATE (YYYY-MM-DD, or ISO 8601 with a time)")
    export.add_argument("--output", help="write to FILE instead of stdout")
    export.set_defaults(run=run_export)


def parse_since(value: str) -> datetime:
    """A date (midnight UTC) or an ISO 8601 instant (UTC when it names no offset)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise CliError(f"--since: {value!r} is not a date (use YYYY-MM-DD or ISO 8601)") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def csv_cell(value: Any) -> Any:
    """Lists become JSON arrays (unambiguous, whatever the text holds); None an empty cell."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    # A plain writer over the fields in order: no per-row dict, the cell rules inlined (see csv_cell).
    dumps = json.dumps
    for row in rows:
        writer.writerow(
            [
                ("[]" if not v else dumps(v, ensure_ascii=False)) if isinstance(v, list) else ("" if v is None else v)
                for v in map(row.__getitem__, EXPORT_FIELDS)
            ]
        )
        count += 1
    return count


def write_json(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """One JSON list, written row by row so memory stays flat."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


@contextmanager
def _target(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise CliError(f"--output: {path} is a directory")
    # Written next to the target and moved into place, so a failed export never leaves half a file.
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            yield out
        partial.replace(target)
    except OSError as exc:
        raise CliError(f"--output: cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    since = parse_since(args.since) if args.since is not None else None
    with ctx.db.session() as session, _target(args.output) as out:
        rows = export_rows(session, since=since)
        count = write_csv(rows, out) if args.format == "csv" else write_json(rows, out)
    if args.output is not None:
        print(f"history: {count} row(s) written to {args.output}", file=sys.stderr)
    return 0
