"""Importing customers, interactions and email: every format, every refusal, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import mailbox
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import func, select

from storage import importers
from storage.chain import verify
from storage.database import Database
from storage.importers import ImportRefused, import_customers, import_interactions, import_mbox
from storage.mailparse import html_to_text, parse_message
from storage.models import AuditEvent, Customer, CustomerHandle, Interaction, WorkItem

CUSTOMER_ROWS: list[dict[str, str]] = [
    {
        "customer_id": "c-1",
        "name": "Ana López",
        "email": "Ana@Example.com",
        "phone": "+34 600 000 001",
        "handles": "instagram:@ana_lopez; x:@ana",
        "language": "es",
        "plan": "pro",
        "owner": "marta",
        "created_at": "2024-03-01",
    },
    {"customer_id": "c-2", "name": "Bob Stone", "email": "bob@example.com", "language": "en"},
]

INTERACTION_ROWS: list[dict[str, str]] = [
    {
        "interaction_id": "i-1",
        "customer_id": "c-1",
        "channel": "email",
        "direction": "in",
        "occurred_at": "2026-11-01T09:00:00",
        "subject": "Pedido 1042",
        "body": "Hola, mi pedido no llegó.",
    },
    {
        "interaction_id": "i-2",
        "customer_id": "c-1",
        "channel": "email",
        "direction": "out",
        "occurred_at": "2026-11-01T11:30:00+01:00",
        "body": "Lo siento, Ana: sale hoy.",
    },
    {
        "interaction_id": "i-3",
        "customer_id": "c-2",
        "channel": "comment",
        "direction": "in",
        "occurred_at": "2026-11-02T08:00:00Z",
        "body": "Still waiting for my refund",
        "url": "https://social.example/p/1",
    },
]


def write_csv(path: Path, rows: Sequence[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_json(path: Path, rows: Sequence[object]) -> Path:
    path.write_text(json.dumps(list(rows), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


WRITERS = {
    "customers.csv": write_csv,
    "customers.json": write_json,
    "customers.jsonl": write_jsonl,
}


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            model.__name__: int(s.exec(select(func.count()).select_from(model)).one())
            for model in (Customer, CustomerHandle, Interaction, WorkItem, AuditEvent)
        }


def refused(call: Any, *args: Any, **kwargs: Any) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        call(*args, **kwargs)
    return info.value


@pytest.fixture
def customers(db: Database, tmp_path: Path) -> Database:
    """The database with the two customers imported."""
    import_customers(db, write_csv(tmp_path / "customers.csv", CUSTOMER_ROWS))
    return db


# -- customers -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_customers_every_format(db: Database, tmp_path: Path, name: str) -> None:
    report = import_customers(db, WRITERS[name](tmp_path / name, CUSTOMER_ROWS))
    assert (report.added, report.already_imported, report.handles_added) == (2, 0, 5)
    assert report.warnings == []
    with db.session() as s:
        ana = s.exec(select(Customer).where(Customer.customer_id == "c-1")).one()
        handles = s.exec(
            select(CustomerHandle.network, CustomerHandle.handle).where(CustomerHandle.customer_id == ana.id)
        ).all()
    assert (ana.name, ana.email, ana.language, ana.plan, ana.owner) == (
        "Ana López",
        "ana@example.com",
        "es",
        "pro",
        "marta",
    )
    assert ana.created_at == datetime(2024, 3, 1, tzinfo=UTC)
    assert sorted(handles) == [
        ("email", "ana@example.com"),
        ("instagram", "@ana_lopez"),
        ("phone", "+34 600 000 001"),
        ("x", "@ana"),
    ]


def test_json_file_holding_json_lines_is_sniffed(db: Database, tmp_path: Path) -> None:
    report = import_customers(db, write_jsonl(tmp_path / "customers.json", CUSTOMER_ROWS))
    assert report.added == 2


def test_bom_is_dropped(db: Database, tmp_path: Path) -> None:
    report = import_customers(db, write_csv(tmp_path / "customers.csv", CUSTOMER_ROWS, encoding="utf-8-sig"))
    assert report.added == 2
    assert report.warnings == []


def test_latin1_file_is_read_with_a_warning(db: Database, tmp_path: Path) -> None:
    rows = [{"customer_id": "c-9", "name": "José Núñez – «Pepe»"}]
    report = import_customers(db, write_csv(tmp_path / "customers.csv", rows, encoding="cp1252"))
    assert report.added == 1
    assert len(report.warnings) == 1
    assert "not valid UTF-8" in report.warnings[0]
    assert "Latin-1" in report.warnings[0]
    with db.session() as s:
        assert s.exec(select(Customer.name)).one() == "José Núñez – «Pepe»"


def test_semicolon_separated_csv(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("customer_id;name;email\nc-1;Ana;ana@example.com\n", encoding="utf-8")
    assert import_customers(db, path).added == 1


def test_unknown_columns_warn_once(db: Database, tmp_path: Path) -> None:
    rows = [dict(r, colour="blue", shoe_size="42") for r in CUSTOMER_ROWS]
    report = import_customers(db, write_csv(tmp_path / "customers.csv", rows))
    assert report.added == 2
    assert report.warnings == ["customers.csv: unknown column(s) 'colour', 'shoe_size' ignored"]
    report = import_customers(
        db, write_jsonl(tmp_path / "more.jsonl", [{"customer_id": "c-3", "name": "C", "colour": "red"}])
    )
    assert report.warnings == ["more.jsonl: unknown field(s) 'colour' ignored"]


def test_missing_required_columns_are_named(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "customers.csv", [{"email": "a@example.com"}])
    error = refused(import_customers, db, path)
    assert error.errors == ["customers.csv: missing required column(s) 'customer_id', 'name'"]
    path = write_json(tmp_path / "customers.json", [{"customer_id": "c-1"}])
    assert refused(import_customers, db, path).errors == [
        "customers.json: item 1: field 'name': is required but missing"
    ]


def test_duplicate_customer_ids_name_both_rows(db: Database, tmp_path: Path) -> None:
    rows = [*CUSTOMER_ROWS, {"customer_id": "c-1", "name": "Ana again"}]
    error = refused(import_customers, db, write_csv(tmp_path / "customers.csv", rows))
    assert error.errors == ["customers.csv: row 4: field 'customer_id': 'c-1' is a duplicate of row 2"]
    assert counts(db)["Customer"] == 0


def test_an_email_names_one_customer(customers: Database, tmp_path: Path) -> None:
    rows = [{"customer_id": "c-7", "name": "Impostor", "email": "ANA@example.com"}]
    error = refused(import_customers, customers, write_csv(tmp_path / "more.csv", rows))
    assert error.errors == ["more.csv: row 2: field 'email': email 'ana@example.com' already belongs to customer 'c-1'"]
    rows = [
        {"customer_id": "c-7", "name": "A", "handles": "tiktok:@same"},
        {"customer_id": "c-8", "name": "B", "handles": "tiktok:@same"},
    ]
    error = refused(import_customers, customers, write_csv(tmp_path / "twins.csv", rows))
    assert error.errors == [
        "twins.csv: row 3: field 'handles': tiktok '@same' is also given for customer 'c-7' in row 2"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"email": "not-an-address"}, "field 'email': 'not-an-address' is not an email address"),
        ({"handles": "instagram"}, "field 'handles': 'instagram' is not network:@handle (e.g. instagram:@ana)"),
        ({"language": "Spanish!"}, "field 'language': 'spanish!' is not a language code such as es or en"),
        (
            {"created_at": "last tuesday"},
            "field 'created_at': 'last tuesday' is not an ISO 8601 date and time (e.g. 2026-11-01T09:30:00Z)",
        ),
        ({"name": "   "}, "field 'name': is required but empty"),
        ({"customer_id": "x" * 121}, "field 'customer_id': is longer than 120 characters"),
    ],
)
def test_bad_customer_fields(db: Database, tmp_path: Path, row: dict[str, str], message: str) -> None:
    rows = [CUSTOMER_ROWS[1], {"customer_id": "c-5", "name": "Eve", **row}]
    error = refused(import_customers, db, write_csv(tmp_path / "customers.csv", rows))
    assert error.errors == [f"customers.csv: row 3: {message}"]


def test_reimport_is_idempotent(customers: Database, tmp_path: Path) -> None:
    before = counts(customers)
    report = import_customers(customers, write_json(tmp_path / "again.json", CUSTOMER_ROWS))
    assert (report.added, report.already_imported) == (0, 2)
    after = counts(customers)
    assert after == {**before, "AuditEvent": before["AuditEvent"] + 1}


# -- interactions ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl"])
def test_interactions_every_format(customers: Database, tmp_path: Path, suffix: str) -> None:
    writer = {".csv": write_csv, ".json": write_json, ".jsonl": write_jsonl}[suffix]
    report = import_interactions(customers, writer(tmp_path / f"interactions{suffix}", INTERACTION_ROWS))
    assert (report.added, report.already_imported, report.work_items_created) == (3, 0, 1)
    with customers.session() as s:
        stored = {i.source_id: i for i in s.exec(select(Interaction)).all()}
        items = s.exec(select(WorkItem)).all()
    assert stored["i-1"].occurred_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # no offset: UTC
    assert stored["i-2"].occurred_at == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
    assert stored["i-1"].subject == "Pedido 1042"
    assert stored["i-3"].url == "https://social.example/p/1"
    assert (stored["i-3"].channel, stored["i-3"].direction) == ("comment", "in")
    # i-1 was answered by i-2 on its channel; only the comment still waits.
    assert [i.interaction_id for i in items] == [stored["i-3"].id]


def test_interaction_import_is_audited_and_reimport_changes_nothing(customers: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "interactions.csv", INTERACTION_ROWS)
    import_interactions(customers, path)
    before = counts(customers)
    report = import_interactions(customers, path)
    assert (report.added, report.already_imported, report.work_items_created) == (0, 3, 0)
    assert counts(customers) == {**before, "AuditEvent": before["AuditEvent"] + 1}
    with customers.session() as s:
        events = s.exec(
            select(AuditEvent).where(AuditEvent.action == "import.interactions").order_by(AuditEvent.id)
        ).all()  # type: ignore[arg-type]
        assert verify(s).ok
    assert json.loads(events[0].details) == {
        "added": 3,
        "already_imported": 0,
        "file": "interactions.csv",
        "rows": 3,
        "work_items_created": 1,
    }
    assert json.loads(events[1].details)["already_imported"] == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": "fax"}, "field 'channel': 'fax' is not one of email, comment, dm, call, ticket, chat, note"),
        ({"direction": "sideways"}, "field 'direction': 'sideways' is not one of in, out"),
        (
            {"occurred_at": "01/11/2026"},
            "field 'occurred_at': '01/11/2026' is not an ISO 8601 date and time (e.g. 2026-11-01T09:30:00Z)",
        ),
        ({"occurred_at": ""}, "field 'occurred_at': is required but empty"),
        ({"body": "  "}, "field 'body': is required but empty"),
        ({"customer_id": "c-404"}, "field 'customer_id': no customer 'c-404' (import the customers first)"),
        ({"body": "nul \x00 byte"}, "field 'body': contains a NUL character"),
    ],
)
def test_bad_interaction_fields(customers: Database, tmp_path: Path, change: dict[str, str], message: str) -> None:
    rows = [INTERACTION_ROWS[0], {**INTERACTION_ROWS[1], **change}, INTERACTION_ROWS[2]]
    before = counts(customers)
    error = refused(import_interactions, customers, write_csv(tmp_path / "interactions.csv", rows))
    assert error.errors == [f"interactions.csv: row 3: {message}"]
    assert counts(customers) == before


def test_duplicate_interaction_ids_name_both_rows(customers: Database, tmp_path: Path) -> None:
    rows = [*INTERACTION_ROWS, {**INTERACTION_ROWS[2], "body": "again"}]
    error = refused(import_interactions, customers, write_jsonl(tmp_path / "interactions.jsonl", rows))
    assert error.errors == ["interactions.jsonl: line 4: field 'interaction_id': 'i-3' is a duplicate of line 3"]


def test_json_values_of_the_wrong_type(customers: Database, tmp_path: Path) -> None:
    rows: list[object] = [
        {**INTERACTION_ROWS[0], "interaction_id": 1042},
        {**INTERACTION_ROWS[1], "body": ["a", "list"]},
        "text",
    ]
    error = refused(import_interactions, customers, write_json(tmp_path / "interactions.json", rows))
    assert error.errors == [
        "interactions.json: item 2: field 'body': expected text, got an array",
        "interactions.json: item 3: expected an object with named fields, got a string",
    ]


def test_numeric_json_ids_are_text(customers: Database, tmp_path: Path) -> None:
    rows = [{**INTERACTION_ROWS[0], "interaction_id": 1042}]
    assert import_interactions(customers, write_json(tmp_path / "interactions.json", rows)).added == 1
    with customers.session() as s:
        assert s.exec(select(Interaction.source_id)).one() == "1042"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.csv",
            'interaction_id,customer_id,channel,direction,occurred_at,body\ni-1,c-1,email,in,2026-11-01,"unclosed\n',
            "bad.csv: row 2: not valid CSV",
        ),
        (
            "bad.csv",
            "interaction_id,customer_id,channel,direction,occurred_at,body\ni-1,c-1,email,in\n",
            "bad.csv: row 2: 4 values where the header has 6 columns",
        ),
        (
            "bad.json",
            '[{"interaction_id": "i-1",}]',
            "bad.json: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 27",
        ),
        (
            "bad.json",
            '"just text"',
            "bad.json: expected a JSON array ('[' …) or JSON Lines (one '{' … object per line)",
        ),
        ("bad.jsonl", json.dumps(INTERACTION_ROWS[0]) + "\n{oops\n", "bad.jsonl: line 2: not valid JSON"),
        ("bad.txt", "hello", "bad.txt: cannot import a '.txt' file: use .csv, .json or .jsonl"),
        ("empty.csv", "", "empty.csv: the file is empty (expected a header row)"),
        (
            "header.csv",
            "interaction_id,customer_id,channel,direction,occurred_at,body\n",
            "header.csv: no rows to import",
        ),
        ("empty.json", "  \n", "empty.json: the file is empty"),
        ("nothing.json", "[]", "nothing.json: no rows to import"),
    ],
)
def test_malformed_and_empty_files(customers: Database, tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    error = refused(import_interactions, customers, path)
    assert error.errors[0].startswith(message), error.errors


def test_missing_file(customers: Database, tmp_path: Path) -> None:
    error = refused(import_interactions, customers, tmp_path / "nowhere.csv")
    assert error.errors == ["nowhere.csv: no such file"]
    assert error.reason == "nowhere.csv: no such file; nothing was imported"


def test_errors_stop_at_twenty(customers: Database, tmp_path: Path) -> None:
    rows = [{**INTERACTION_ROWS[0], "interaction_id": f"i-{n}", "channel": "fax"} for n in range(50)]
    error = refused(import_interactions, customers, write_csv(tmp_path / "interactions.csv", rows))
    assert len(error.errors) == importers.MAX_ERRORS
    assert error.reason == "interactions.csv: refused, 20+ errors; nothing was imported"


def test_all_or_nothing_across_chunks(customers: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows written from earlier chunks are rolled back when a later row is bad."""
    monkeypatch.setattr(importers, "CHUNK_ROWS", 2)
    rows = [{**INTERACTION_ROWS[0], "interaction_id": f"i-{n}"} for n in range(7)]
    rows.append({**INTERACTION_ROWS[0], "interaction_id": "i-late", "occurred_at": "soon"})
    before = counts(customers)
    error = refused(import_interactions, customers, write_csv(tmp_path / "interactions.csv", rows))
    assert error.errors == [
        "interactions.csv: row 9: field 'occurred_at': 'soon' is not an ISO 8601 date and time"
        " (e.g. 2026-11-01T09:30:00Z)"
    ]
    assert counts(customers) == before
    if customers.dialect == "sqlite":  # the search triggers set aside for the bulk insert are back
        with customers.session() as s:
            triggers = s.execute(
                sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'interaction_fts_%'")
            )
            assert triggers.scalar_one() == 3


def test_all_or_nothing_inside_a_callers_session(customers: Database, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", [{**INTERACTION_ROWS[0], "channel": "fax"}])
    good = write_csv(tmp_path / "good.csv", INTERACTION_ROWS)
    with customers.write() as session:
        with pytest.raises(ImportRefused):
            import_interactions(session, bad)
        assert import_interactions(session, good).added == 3
    assert counts(customers)["Interaction"] == 3


def test_dry_run_writes_nothing(customers: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "interactions.csv", INTERACTION_ROWS)
    before = counts(customers)
    report = import_interactions(customers, path, dry_run=True)
    assert (report.dry_run, report.added, report.already_imported) == (True, 3, 0)
    assert counts(customers) == before
    bad = write_csv(tmp_path / "bad.csv", [{**INTERACTION_ROWS[0], "direction": "up"}])
    assert (
        refused(import_interactions, customers, bad, dry_run=True)
        .errors[0]
        .startswith("bad.csv: row 2: field 'direction'")
    )
    customer_report = import_customers(
        customers, write_csv(tmp_path / "new.csv", [{"customer_id": "c-3", "name": "C"}]), dry_run=True
    )
    assert customer_report.added == 1
    assert counts(customers) == before


def test_progress_is_reported(customers: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(importers, "CHUNK_ROWS", 2)
    rows = [{**INTERACTION_ROWS[0], "interaction_id": f"i-{n}"} for n in range(5)]
    seen: list[int] = []
    import_interactions(customers, write_csv(tmp_path / "interactions.csv", rows), progress=seen.append)
    assert seen == [2, 4]


def test_imported_text_is_searchable(customers: Database, tmp_path: Path) -> None:
    if customers.dialect != "sqlite":
        pytest.skip("the FTS5 index exists on SQLite; PostgreSQL searches with an expression index")
    import_interactions(customers, write_csv(tmp_path / "interactions.csv", INTERACTION_ROWS))
    with customers.write() as s:
        hits = (
            s.execute(sa.text("SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'refund'")).scalars().all()
        )
        assert hits == [s.exec(select(Interaction.id).where(Interaction.source_id == "i-3")).one()]
        # The triggers are back: a later single insert is indexed too.
        s.add(
            Interaction(
                source_id="later",
                customer_id=1,
                channel="note",
                direction="in",
                occurred_at=datetime.now(UTC),
                body="zanahoria",
            )
        )
        s.flush()
        assert (
            s.execute(
                sa.text("SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH 'zanahoria'")
            ).scalar_one()
            == 1
        )


_body_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=200
).filter(str.strip)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=_body_text, subject=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
)
def test_any_text_round_trips_through_csv(customers: Database, tmp_path: Path, body: str, subject: str) -> None:
    source_id = f"prop-{abs(hash((body, subject)))}"
    path = write_csv(
        tmp_path / "prop.csv", [{**INTERACTION_ROWS[0], "interaction_id": source_id, "body": body, "subject": subject}]
    )
    import_interactions(customers, path)
    with customers.session() as s:
        stored = s.exec(select(Interaction).where(Interaction.source_id == source_id)).one()
    assert stored.body == body
    assert stored.subject == subject.strip()


_field_values = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "i-1",
            "c-1",
            "EMAIL",
            " in ",
            "out",
            "fax",
            "2026-11-01T09:00:00Z",
            "2026-11-01 09:00:00.123456+00:00",
            "2026-11-01T09:00:00+02:00",
            "2026-02-30T10:00:00Z",
            "2026-11-01T09:00:00." + "1" * 60,
            "2026-13-01",
            "x" * 300,
            "a\x00b",
            "https://x",
        ]
    ),
    st.text(max_size=8),
    st.integers(),
    st.none(),
    st.lists(st.integers(), max_size=1),
)


# These check values, not speed: on a busy shared machine slow generation is no failure.
_NOT_TIMED = settings(suppress_health_check=[HealthCheck.too_slow])
SQLITE_MOMENTS = importers._stored_moments(importers._stored_time(sqlite_dialect.dialect()))


@_NOT_TIMED
@given(st.dictionaries(st.sampled_from(importers.INTERACTION_FIELDS), _field_values), st.booleans())
def test_quick_row_check_never_accepts_what_the_careful_one_refuses(values: dict[str, object], csv_like: bool) -> None:
    # JSON records hold every field in order; a CSV file's hold its header's columns, in its order.
    optional = [f for f in importers.INTERACTION_FIELDS if f not in importers.INTERACTION_REQUIRED and f in values]
    fields = [*reversed(optional), *importers.INTERACTION_REQUIRED] if csv_like else importers.INTERACTION_FIELDS
    record = [values.get(name) for name in fields]
    quick = importers._interaction_quick(record, importers._Columns.of(fields), SQLITE_MOMENTS)
    if quick is None:
        return
    assert importers._interaction_checked(values, SQLITE_MOMENTS) == quick


_offsets = st.sampled_from([None, UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30))])


@_NOT_TIMED
@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(None)),
    _offsets,
    st.sampled_from(["T", " "]),
    st.sampled_from(["auto", "seconds", "milliseconds", "microseconds", "date"]),
    st.booleans(),
)
def test_stored_moments_equal_the_column_types_binding(
    moment: datetime, offset: timezone | None, sep: str, timespec: str, zulu: bool
) -> None:
    """The sliced fast path writes exactly the text SQLAlchemy's UTCDateTime would bind on SQLite."""
    moment = moment.replace(tzinfo=offset)
    text = moment.date().isoformat() if timespec == "date" else moment.isoformat(sep, timespec)
    if zulu and text.endswith("+00:00"):
        text = text.removesuffix("+00:00") + "Z"
    stored = importers._stored_time(sqlite_dialect.dialect())
    assert SQLITE_MOMENTS(text) == stored(importers.parse_moment(text))


@pytest.mark.parametrize(
    "text", ["2026-02-30T10:00:00Z", "2026-11-01T24:00:00", "2026-11-01T09:60:00+00:00", "0000-01-01T00:00:00Z", "soon"]
)
def test_stored_moments_refuse_what_is_not_a_date_and_time(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        SQLITE_MOMENTS(text)


ROUND_TRIP_ROWS: list[dict[str, str]] = [
    {**INTERACTION_ROWS[0], "occurred_at": "2026-11-01T09:00:00"},
    {**INTERACTION_ROWS[1], "occurred_at": "2026-11-01T11:30:00.250000+01:00"},
    {**INTERACTION_ROWS[2], "occurred_at": "2026-11-02T08:00:00.123456Z"},
    {
        "interaction_id": "i-4",
        "customer_id": "c-2",
        "channel": "NOTE",
        "direction": " Out ",
        "occurred_at": "2026-11-03",
        "subject": "  tabs\tand \\N  ",
        "body": "tab\there\nnew line, a backslash \\ and \\N; «ñandú» 🙂",
        "url": "",
    },
]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_bulk_rows_read_back_like_orm_rows(customers: Database, tmp_path: Path, suffix: str) -> None:
    """Rows written by the bulk path (executemany / COPY) read back through the ORM as ORM-written rows do."""
    rows = ROUND_TRIP_ROWS
    writer = write_csv if suffix == ".csv" else write_jsonl
    assert import_interactions(customers, writer(tmp_path / f"interactions{suffix}", rows)).added == len(rows)
    with customers.write() as s:
        pks = {c.customer_id: c.id for c in s.exec(select(Customer)).all() if c.id is not None}
        for row in rows:
            s.add(
                Interaction(
                    source_id=f"orm-{row['interaction_id']}",
                    customer_id=pks[row["customer_id"]],
                    channel=row["channel"].strip().lower(),
                    direction=row["direction"].strip().lower(),
                    occurred_at=importers.parse_moment(row["occurred_at"]),
                    subject=row.get("subject", "").strip(),
                    body=row["body"],
                    url=row.get("url", "").strip(),
                )
            )
    with customers.session() as s:
        stored = {i.source_id: i for i in s.exec(select(Interaction)).all()}
        raw_times = dict(s.execute(sa.text("SELECT source_id, CAST(occurred_at AS TEXT) FROM interaction")).all())
    compared = ("customer_id", "channel", "direction", "occurred_at", "subject", "body", "url", "author")
    for row in rows:
        bulk, orm = stored[row["interaction_id"]], stored[f"orm-{row['interaction_id']}"]
        assert {k: getattr(bulk, k) for k in compared} == {k: getattr(orm, k) for k in compared}
        assert (bulk.message_id, bulk.in_reply_to) == (orm.message_id, orm.in_reply_to) == ("", "")
        assert raw_times[bulk.source_id] == raw_times[orm.source_id]  # the same stored text, not just equal values
        assert bulk.created_at.tzinfo is UTC
    assert stored["i-2"].occurred_at == datetime(2026, 11, 1, 10, 30, 0, 250000, tzinfo=UTC)
    assert stored["i-4"].body == rows[3]["body"]


# -- email -----------------------------------------------------------------------------------


def _mail(
    sender: str,
    subject: str,
    body: str,
    *,
    msg_id: str | None,
    date: str | None = "Sun, 01 Nov 2026 10:00:00 +0100",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "soporte@latido.example"
    message["Subject"] = subject
    if date:
        message["Date"] = date
    if msg_id:
        message["Message-ID"] = msg_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def _mbox(path: Path, messages: Sequence[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path


def test_mbox_import_matches_and_creates_customers(customers: Database, tmp_path: Path) -> None:
    html = _mail(
        "Carla Ruiz <carla@example.org>", "Factura", "x", msg_id="<m3@example.org>", In_Reply_To="<m2@latido.example>"
    )
    html.set_content(
        "<html><head><style>p{}</style></head><body><p>Hola &amp; gracias</p><p>Carla</p></body></html>", subtype="html"
    )
    messages = [
        _mail("Ana <ANA@example.com>", "Pedido 1042", "¿Dónde está mi pedido?\n", msg_id="<m1@example.com>"),
        _mail("Carla Ruiz <carla@example.org>", "Hola", "Primera vez que escribo", msg_id="<m2@example.org>"),
        html,
        _mail("carla@example.org", "Sin id", "Mensaje sin Message-ID", msg_id=None),
    ]
    path = _mbox(tmp_path / "inbox.mbox", messages)
    report = import_mbox(customers, path)
    assert (report.added, report.already_imported, report.customers_created, report.work_items_created) == (4, 0, 1, 4)
    with customers.session() as s:
        rows = {i.subject: i for i in s.exec(select(Interaction)).all()}
        carla = s.exec(select(Customer).where(Customer.customer_id == "email:carla@example.org")).one()
        handle = s.exec(select(CustomerHandle).where(CustomerHandle.handle == "carla@example.org")).one()
        ana_id = s.exec(select(Customer.id).where(Customer.customer_id == "c-1")).one()
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "import.mbox")).one()
    assert (carla.name, carla.email, handle.network, handle.customer_id) == (
        "Carla Ruiz",
        "carla@example.org",
        "email",
        carla.id,
    )
    assert rows["Pedido 1042"].customer_id == ana_id
    assert rows["Pedido 1042"].body == "¿Dónde está mi pedido?"
    assert rows["Pedido 1042"].occurred_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert (rows["Pedido 1042"].channel, rows["Pedido 1042"].direction) == ("email", "in")
    assert rows["Factura"].body == "Hola & gracias\n\nCarla"
    assert (rows["Factura"].message_id, rows["Factura"].in_reply_to) == ("<m3@example.org>", "<m2@latido.example>")
    assert rows["Factura"].source_id == "<m3@example.org>"
    assert rows["Sin id"].source_id.startswith("sha256:")
    assert json.loads(event.details)["customers_created"] == 1

    again = import_mbox(customers, path)
    assert (again.added, again.already_imported, again.customers_created) == (0, 4, 0)


def test_eml_import_and_refusals(customers: Database, tmp_path: Path) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(
        _mail(
            "bob@example.com",
            "Re: refund",
            "Any news?",
            msg_id="<r1@example.com>",
            References="<a@x> <b@y>",
            In_Reply_To="<b@y>",
        ).as_bytes()
    )
    report = import_mbox(customers, eml, dry_run=True)
    assert (report.added, report.customers_created) == (1, 0)
    assert counts(customers)["Interaction"] == 0
    assert import_mbox(customers, eml).added == 1
    with customers.session() as s:
        row = s.exec(select(Interaction)).one()
    assert (row.in_reply_to, row.author, row.subject) == ("<b@y>", "bob@example.com", "Re: refund")

    before = counts(customers)
    box = _mbox(
        tmp_path / "bad.mbox",
        [
            _mail("x@example.com", "ok", "ok", msg_id="<ok@x>"),
            _mail("no-date@example.com", "?", "?", msg_id="<nd@x>", date=None),
        ],
    )
    # mailbox writes the "From " line date, which stands in for a missing Date header.
    assert import_mbox(customers, box, dry_run=True).added == 2
    not_mail = tmp_path / "notes.mbox"
    not_mail.write_text("just some notes\n", encoding="utf-8")
    assert refused(import_mbox, customers, not_mail).errors[0].startswith("notes.mbox: no messages found")
    assert refused(import_mbox, customers, tmp_path / "gone.eml").errors == ["gone.eml: no such file"]
    nobody = tmp_path / "nobody.eml"
    nobody.write_bytes(b"Subject: hi\r\nDate: Sun, 01 Nov 2026 10:00:00 +0000\r\n\r\nbody\r\n")
    assert refused(import_mbox, customers, nobody).errors == ["nobody.eml: message 1: field 'From': no sender address"]
    assert counts(customers) == before


def test_parse_message_reads_threading_and_dates() -> None:
    raw = (
        b"From: =?utf-8?q?Jos=C3=A9?= <Jose@Example.com>\r\nTo: a@b.c\r\nSubject: =?utf-8?q?Cancelaci=C3=B3n?=\r\n"
        b"Date: Sun, 01 Nov 2026 10:00:00 -0000\r\nMessage-ID: <x1@example.com>\r\n"
        b"In-Reply-To: <p1@latido.example> (sent earlier)\r\n"
        b"References: <p0@latido.example>\r\n <p1@latido.example>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nQuiero cancelar.\r\n"
    )
    message = BytesParser(policy=default_policy).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    fields = parse_message(message)
    assert (fields.sender_address, fields.sender_name, fields.subject) == ("jose@example.com", "José", "Cancelación")
    assert fields.occurred_at == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    assert (fields.message_id, fields.in_reply_to) == ("<x1@example.com>", "<p1@latido.example>")
    assert fields.references == ("<p0@latido.example>", "<p1@latido.example>")
    assert fields.body == "Quiero cancelar."
    assert fields.recipients == ("a@b.c",)


def test_html_to_text_keeps_only_visible_text() -> None:
    html = (
        "<html><head><title>t</title><script>alert(1)</script></head>"
        "<body><h1>Hola</h1><div>uno &lt;dos&gt;<br>tres</div></body></html>"
    )
    assert html_to_text(html) == "Hola\n\nuno <dos>\ntres"
