"""The migrations build exactly the schema the models describe, undo it cleanly, and backups are real copies."""

from __future__ import annotations

import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from desktop.cli import main
from storage.chain import append_review, append_revision, record_event, verify
from storage.database import Database
from storage.models import APPEND_ONLY_TABLES, Customer, Draft

# What the migration adds that SQLModel.metadata cannot describe, and nothing else:
# FTS5 virtual tables with their shadow tables on SQLite, GIN expression indexes on PostgreSQL.
FTS_TABLE = re.compile(r"^(interaction|approvedreply)_fts(_(data|idx|docsize|config|content))?$")
EXPRESSION_INDEXES = {"ix_interaction_search", "ix_approvedreply_search"}


def _not_search_machinery(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    if type_ == "table" and reflected and name is not None and FTS_TABLE.match(name):
        return False
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def _schema_differences(db: Database) -> list[Any]:
    with db.engine.connect() as conn, warnings.catch_warnings():
        # Depending on the SQLAlchemy/Alembic versions, reflecting the GIN expression
        # indexes warns that they are skipped; they are left out of the comparison on
        # purpose (see EXPRESSION_INDEXES), so exactly that warning is expected. Any
        # other warning still fails the test (filterwarnings = error).
        warnings.filterwarnings("ignore", message=r".*(expression-based|functional) index", category=Warning)
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_search_machinery})
        return list(compare_metadata(context, SQLModel.metadata))


def _latido_objects(db: Database) -> dict[str, list[str]]:
    """Every table, trigger and function the migration could have left behind."""
    with db.engine.connect() as conn:
        tables = sorted(n for n in sa.inspect(conn).get_table_names() if n != "alembic_version")
        if db.dialect == "sqlite":
            triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
            functions: list[str] = []
        else:
            triggers = conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars().all()
            functions = list(
                conn.exec_driver_sql(
                    "SELECT proname FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace WHERE n.nspname = 'public'"
                ).scalars()
            )
            # Indexes and sequences outlive their table only if something went wrong; list them too.
            leftovers = (
                conn.exec_driver_sql(
                    "SELECT relkind::text || ' ' || relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace "
                    "WHERE n.nspname = 'public' AND relkind IN ('i', 'S') AND relname NOT LIKE 'alembic_version%%'"
                )
                .scalars()
                .all()
            )
            tables += sorted(leftovers)
    return {"tables": tables, "triggers": sorted(triggers), "functions": sorted(functions)}


def _seed_chain(db: Database) -> None:
    with db.write() as s:
        customer = Customer(customer_id="c-1", name="Ana Ruiz")
        s.add(customer)
        s.flush()
        draft = Draft(customer_id=int(customer.id or 0), channel="email")
        s.add(draft)
        s.flush()
        draft_id = int(draft.id or 0)
        first = append_revision(
            s, draft_id=draft_id, author_kind="ai", kind="ai_draft", author="", subject="", body="Hola"
        )
        append_revision(
            s, draft_id=draft_id, author_kind="human", kind="human_edit", author="marta", subject="", body="Hola, Ana"
        )
        append_review(
            s, draft_id=draft_id, revision_id=int(first.id or 0), reviewer="lucia", decision="request_changes"
        )
        record_event(s, action="draft.created", actor="marta", entity="draft", entity_id=draft_id)


def test_upgrade_matches_the_models_and_downgrade_leaves_nothing(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert db.current_revision() is None
        assert db.upgrade() is None  # an empty database has nothing to back up
        assert db.current_revision() == db.head_revision()
        assert _schema_differences(db) == []
        assert set(APPEND_ONLY_TABLES) <= set(_latido_objects(db)["tables"])

        db.downgrade_to_empty()
        assert db.current_revision() is None
        assert _latido_objects(db) == {"tables": [], "triggers": [], "functions": []}

        db.upgrade()
        assert _schema_differences(db) == []
        _seed_chain(db)
        with db.session() as s:
            assert verify(s).checked == {"revision": 2, "review": 1, "auditevent": 1}
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.write() as s:
            s.execute(sa.text("DELETE FROM auditevent"))
    finally:
        db.dispose()


def test_the_comparison_notices_a_schema_drift(db: Database) -> None:
    """The schema test above can fail: a column the models do not know is reported."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE customer ADD COLUMN nickname VARCHAR(40)")
    differences = _schema_differences(db)
    assert [(d[0], d[2], d[3].name) for d in differences] == [("remove_column", "customer", "nickname")]


def test_upgrading_a_current_database_makes_no_backup(sqlite_url: str, tmp_path: Path) -> None:
    db = Database(sqlite_url)
    try:
        assert db.upgrade() is None
        _seed_chain(db)
        assert db.upgrade() is None
        assert db.path is not None
        assert sorted(p.name for p in db.path.parent.iterdir() if "before" in p.name) == []
    finally:
        db.dispose()


def test_cli_upgrade_reports_the_revision(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    head = Database(sqlite_url).head_revision()
    assert main(["--database-url", sqlite_url, "db", "upgrade"]) == 0
    assert f"upgraded empty -> {head}" in capsys.readouterr().out
    assert main(["--database-url", sqlite_url, "db", "upgrade"]) == 0
    assert f"already at {head}" in capsys.readouterr().out


def test_upgrading_an_older_database_backs_it_up_and_keeps_the_history(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        assert db.upgrade(revision="0001") is None  # from empty: nothing to back up
        with db.write() as s:  # rows as revision 0001 knew them (the draft still had context_snapshot)
            s.execute(
                sa.text(
                    "INSERT INTO customer (id, customer_id, name, email, phone, language, plan, owner, tags, imported_at) VALUES (1, 'c-1', 'Ana', '', '', 'es', '', '', '', '2026-11-01 09:00:00.000000')"
                )
            )
            s.execute(
                sa.text(
                    "INSERT INTO draft (id, customer_id, channel, language, status, provider, model, context_snapshot, created_at, updated_at) VALUES (1, 1, 'email', 'es', 'drafting', '', '', '{}', '2026-11-01 09:00:00.000000', '2026-11-01 09:00:00.000000')"
                )
            )
            for n in range(3):
                append_revision(
                    s, draft_id=1, author_kind="human", kind="human_edit", author="marta", subject="", body=f"v{n}"
                )
            record_event(s, action="draft.edited", actor="marta", entity="draft", entity_id=1)
        saved = db.upgrade()
        assert saved is not None and saved.exists()
        assert db.current_revision() == db.head_revision() != "0001"
        assert _row_counts(saved)["revision"] == _row_counts(db.path)["revision"] > 0  # type: ignore[arg-type]
        with db.session() as session:
            assert verify(session).ok
    finally:
        db.dispose()


def _row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def test_cli_backup_writes_a_valid_copy(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(sqlite_url)
    db.upgrade()
    _seed_chain(db)
    db.dispose()
    assert db.path is not None
    target = tmp_path / "backups" / "copy.sqlite3"

    assert main(["--database-url", sqlite_url, "db", "backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    counts = _row_counts(target)
    assert counts == _row_counts(db.path)
    assert counts["revision"] == 2
    assert counts["auditevent"] == 1
    assert not target.with_name(target.name + ".partial").exists()

    restored = Database(f"sqlite:///{target}")
    try:
        assert not restored.needs_upgrade()
        with restored.session() as s:
            assert verify(s).ok
    finally:
        restored.dispose()


def test_cli_backup_refuses_an_existing_path(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken.sqlite3"
    target.write_bytes(b"precious")
    assert main(["--database-url", sqlite_url, "db", "backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == b"precious"


@pytest.mark.postgres
def test_cli_backup_on_postgresql_points_to_pg_dump(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.dump"
    assert main(["--database-url", pg_url, "db", "backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert "pg_dump" in err
    assert not target.exists()
