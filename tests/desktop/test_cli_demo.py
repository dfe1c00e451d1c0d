"""`latido demo [--reset] [--if-empty]`: exit codes and the lines a person reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from desktop.cli import main
from storage.database import Database
from storage.models import Customer, EditMetric, Review, User

SUMMARY = re.compile(r"^demo: 40 customers, \d{3} interactions, \d+ open items, 3 users \(marta, leo, lucia\)$")


def _demo(url: str, *flags: str) -> int:
    return main(["--database-url", url, "demo", *flags])


def _lines(text: str) -> list[str]:
    return text.strip().splitlines()


def _customers(url: str) -> int:
    db = Database(url)
    try:
        with db.session() as s:
            return len(s.exec(select(Customer)).all())
    finally:
        db.dispose()


def test_seeds_an_empty_workspace(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(db_url) == 0
    out, err = capsys.readouterr()
    assert err == ""
    [line] = _lines(out)
    assert SUMMARY.match(line), line
    assert _customers(db_url) == 40
    db = Database(db_url)
    try:
        with db.session() as s:
            approvals = s.exec(select(Review.id).where(Review.decision == "approve")).all()
            measured = s.exec(select(EditMetric.review_id)).all()
    finally:
        db.dispose()
    # The past approvals carry their edit figures, so the lead's insights are not empty on the demo.
    assert approvals and sorted(measured) == sorted(approvals)


def test_refuses_a_workspace_with_data(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(db_url) == 0
    capsys.readouterr()
    assert _demo(db_url) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [reason] = _lines(err)
    assert reason.startswith("latido: ")
    assert "already has data" in reason
    assert "--reset" in reason
    assert _customers(db_url) == 40


def test_if_empty_seeds_once_then_does_nothing(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(db_url, "--if-empty") == 0
    assert SUMMARY.match(_lines(capsys.readouterr().out)[0])
    assert _demo(db_url, "--if-empty") == 0
    out, err = capsys.readouterr()
    assert _lines(out) == ["demo: workspace already has data; nothing to do"]
    assert err == ""
    assert _customers(db_url) == 40


def test_reset_backs_up_sqlite_and_seeds_again(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(sqlite_url) == 0
    db = Database(sqlite_url)
    with db.write() as s:  # something of the user's own, to find in the backup
        s.add(User(name="ana", display_name="Ana"))
    db.dispose()
    capsys.readouterr()
    assert _demo(sqlite_url, "--reset") == 0
    out, err = capsys.readouterr()
    assert err == ""
    backup_line, summary = _lines(out)
    assert SUMMARY.match(summary)
    assert backup_line.startswith("demo: previous workspace backed up to ")
    backup = Path(backup_line.removeprefix("demo: previous workspace backed up to "))
    assert backup.exists()
    saved = Database(f"sqlite:///{backup}")
    live = Database(sqlite_url)
    try:
        with saved.session() as s:
            assert s.exec(select(User).where(User.name == "ana")).first() is not None
        with live.session() as s:
            assert s.exec(select(User).where(User.name == "ana")).first() is None
            assert len(s.exec(select(Customer)).all()) == 40
    finally:
        saved.dispose()
        live.dispose()


@pytest.mark.postgres
def test_reset_on_postgresql(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(pg_url) == 0
    assert _demo(pg_url, "--reset") == 0
    lines = _lines(capsys.readouterr().out)
    assert "pg_dump" in lines[1]
    assert SUMMARY.match(lines[2])
    assert _customers(pg_url) == 40


def test_reset_and_if_empty_do_not_mix(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _demo(sqlite_url, "--reset", "--if-empty") == 2
    [reason] = _lines(capsys.readouterr().err)
    assert "not allowed with" in reason
