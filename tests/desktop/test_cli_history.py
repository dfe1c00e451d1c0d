"""`latido history export`: CSV and JSON of every approved or rejected draft, on both backends."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from desktop.cli import main
from storage.database import Database
from storage.demo import seed_demo
from storage.history import EXPORT_FIELDS, history_count
from tests.history_fixtures import FINAL_TEXT, PROMISE, Seeded, seed_history


@pytest.fixture
def seeded(db: Database) -> Seeded:
    seed_demo(db)
    return seed_history(db)


def _count(db: Database) -> int:
    with db.session() as s:
        return history_count(s)


def test_csv_export_has_the_design_fields_and_the_approved_values(
    db: Database, seeded: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database-url", db.url, "history", "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    reader = csv.DictReader(io.StringIO(out, newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == EXPORT_FIELDS
    assert len(rows) == _count(db)
    by_draft = {int(r["draft_id"]): r for r in rows}
    row = by_draft[seeded.escalated_draft]
    assert (row["author"], row["approver"], row["channel"]) == ("marta", "lucia", "email")
    assert row["final_text"] == FINAL_TEXT  # line breaks survive the CSV round trip
    assert json.loads(row["commitments"]) == [PROMISE]
    assert json.loads(row["findings_overridden"]) == ["commitment"]
    assert row["delivery_state"] == "queued" and row["sent_at"] == ""
    assert row["approved_at"] == seeded.approved_at.isoformat()
    assert by_draft[seeded.rejected_draft]["edit_pct"] == ""
    times = [r["approved_at"] for r in rows]
    assert times == sorted(times)


def test_json_export_since_a_date(db: Database, seeded: Seeded, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", db.url, "history", "export", "--format", "json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert isinstance(everything, list) and len(everything) == _count(db)
    assert all(tuple(r) == EXPORT_FIELDS for r in everything)
    since = seeded.approved_at.isoformat()
    assert main(["--database-url", db.url, "history", "export", "--format", "json", "--since", since]) == 0
    recent = json.loads(capsys.readouterr().out)
    assert {r["draft_id"] for r in recent} == {seeded.escalated_draft, seeded.plain_draft, seeded.rejected_draft}
    assert main(["--database-url", db.url, "history", "export", "--format", "json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_output_file_and_bad_input(
    db: Database, seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "history.csv"
    assert main(["--database-url", db.url, "history", "export", "--output", str(target)]) == 0
    assert f"{_count(db)} row(s) written" in capsys.readouterr().err
    with target.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == _count(db)

    assert main(["--database-url", db.url, "history", "export", "--since", "last tuesday"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--since" in err and "last tuesday" in err
    assert main(["--database-url", db.url, "history", "export", "--format", "xml"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--database-url", db.url, "history", "export", "--output", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert target.exists() and not list(tmp_path.glob("*.partial"))
