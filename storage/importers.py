"""Customers and interactions from CSV, JSON or JSON Lines, and email from mbox or .eml: all or nothing.

A file is read, checked and written in one transaction. Any error refuses the whole file
(`ImportRefused`) and nothing is kept; rows whose ids are already in the database are skipped, so
importing the same file again changes nothing. Rows go in with SQLAlchemy Core in chunks, because
a million ORM objects would take minutes.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import mailbox
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import IO, Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from storage.chain import record_event
from storage.database import Database
from storage.mailparse import MailFields, parse_message
from storage.models import Channel, Customer, CustomerHandle, Direction, Interaction, utcnow
from storage.workitems import refresh_work_items

MAX_ERRORS = 20
CHUNK_ROWS = 5_000
PROGRESS_EVERY = 50_000

CUSTOMER_FIELDS = ("customer_id", "name", "email", "phone", "handles", "language", "plan", "owner", "created_at")
CUSTOMER_REQUIRED = ("customer_id", "name")
INTERACTION_FIELDS = ("interaction_id", "customer_id", "channel", "direction", "occurred_at", "body", "subject", "url")
INTERACTION_REQUIRED = ("interaction_id", "customer_id", "channel", "direction", "occurred_at", "body")

CHANNELS = tuple(c.value for c in Channel)
DIRECTIONS = tuple(d.value for d in Direction)

_CUSTOMER = Customer.__table__  # type: ignore[attr-defined]  # SQLModel table
_HANDLE = CustomerHandle.__table__  # type: ignore[attr-defined]  # SQLModel table
_INTERACTION = Interaction.__table__  # type: ignore[attr-defined]  # SQLModel table
# The same table with untyped columns: bulk rows arrive already in the form the driver binds (see
# `_stored_time`), which saves SQLAlchemy a per-value type conversion on a million rows.
_INTERACTION_BULK = sa.table("interaction", *(sa.column(c.name) for c in _INTERACTION.columns if c.name != "id"))

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,4})?")
_NETWORK = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_LATIN1_FALLBACK = "latido-cp1252-latin1"
_FTS_TRIGGERS = ("interaction_fts_insert", "interaction_fts_delete", "interaction_fts_update")

Progress = Callable[[int], None]
T = TypeVar("T")


def _cp1252_gaps(exc: UnicodeError) -> tuple[str, int]:
    """Bytes cp1252 leaves undefined (0x81, 0x8D, …) read as their Latin-1 characters instead of failing."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_LATIN1_FALLBACK, _cp1252_gaps)


class ImportRefused(Exception):  # noqa: N818  an expected outcome a person acts on, named for what happened to the file
    """The file was refused and nothing was written; `errors` says why, one line each."""

    def __init__(self, file: str, errors: list[str], warnings: list[str] | None = None) -> None:
        self.file = file
        self.errors = errors
        self.warnings = warnings or []
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        """One line for a person: the only error, or how many there were."""
        if len(self.errors) == 1:
            return f"{self.errors[0]}; nothing was imported"
        more = "+" if len(self.errors) >= MAX_ERRORS else ""
        return f"{self.file}: refused, {len(self.errors)}{more} errors; nothing was imported"


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    file: str
    rows: int = 0
    added: int = 0
    already_imported: int = 0
    customers_created: int = 0
    handles_added: int = 0
    work_items_created: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)


# -- reading files -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One record of the file: its values by column, or why it could not be read."""

    number: int
    values: Mapping[str, object] | None
    problem: str = ""


@dataclass
class _Spec:
    kind: str
    fields: tuple[str, ...]
    required: tuple[str, ...]


CUSTOMERS = _Spec("customers", CUSTOMER_FIELDS, CUSTOMER_REQUIRED)
INTERACTIONS = _Spec("interactions", INTERACTION_FIELDS, INTERACTION_REQUIRED)


class _Run:
    """The bookkeeping of one import: errors (capped), warnings, counts and progress."""

    def __init__(self, kind: str, path: Path, *, dry_run: bool, progress: Progress | None) -> None:
        self.file = path.name
        self.label = "row"
        self.errors: list[str] = []
        self.report = ImportReport(kind=kind, file=path.name, dry_run=dry_run)
        self._progress = progress

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def warn(self, message: str) -> None:
        self.report.warnings.append(f"{self.file}: {message}")

    def error(self, number: int, message: str, field_name: str = "") -> None:
        if self.full:
            return
        where = f"{self.label} {number}: field '{field_name}'" if field_name else f"{self.label} {number}"
        self.errors.append(f"{self.file}: {where}: {message}")

    def refuse(self, message: str) -> ImportRefused:
        return ImportRefused(self.file, [f"{self.file}: {message}"], self.report.warnings)

    def counted(self, rows: int = 1) -> None:
        """More rows read; tell the caller each time another PROGRESS_EVERY rows are done."""
        before, self.report.rows = self.report.rows, self.report.rows + rows
        if self._progress is not None and before // PROGRESS_EVERY != self.report.rows // PROGRESS_EVERY:
            self._progress(self.report.rows // PROGRESS_EVERY * PROGRESS_EVERY)

    def check(self) -> None:
        """Refuse the file if anything was wrong with it."""
        if self.errors:
            raise ImportRefused(self.file, self.errors, self.report.warnings)


def _encoding(path: Path, run: _Run) -> str:
    """UTF-8 (a BOM is dropped); a file that is not valid UTF-8 is read as Windows-1252, with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        run.warn("not valid UTF-8; read as Latin-1 (Windows-1252): check accented letters")
        return "cp1252"
    return "utf-8-sig"


def _clean_header(name: str) -> str:
    # A UTF-8 BOM read as Windows-1252 shows up as "ï»¿"; spreadsheets also pad names with spaces.
    return name.strip().removeprefix("\ufeff").removeprefix("ï»¿").strip().lower()


def _delimiter(first_line: str) -> str:
    """Spreadsheets in Spanish locales write `;`; tabs come from copy and paste."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(stream: IO[str], spec: _Spec, run: _Run) -> Iterator[_Row]:
    first = stream.readline()
    if not first.strip():
        raise run.refuse("the file is empty (expected a header row)")
    reader = csv.reader(itertools.chain([first], stream), delimiter=_delimiter(first), strict=True)
    try:
        header = [_clean_header(h) for h in next(reader)]
    except csv.Error as exc:
        raise run.refuse(f"row 1: the header is not valid CSV: {exc}") from exc
    repeated = sorted({h for h in header if header.count(h) > 1 and h})
    if repeated:
        raise run.refuse(f"column(s) {_names(repeated)} appear more than once in the header")
    missing = [name for name in spec.required if name not in header]
    if missing:
        raise run.refuse(f"missing required column(s) {_names(missing)}")
    unknown = [h for h in header if h not in spec.fields]
    if unknown:
        run.warn(f"unknown column(s) {_names(unknown)} ignored")
    return _csv_records(reader, header)


def _csv_records(reader: Iterator[list[str]], header: list[str]) -> Iterator[_Row]:
    """Data rows numbered as a spreadsheet shows them: the header is row 1, blank lines count."""
    width = len(header)
    number = 1
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _Row(number, None, f"not valid CSV: {exc}")
            return  # the reader cannot resynchronise after a quoting error
        if not record:
            continue
        if len(record) != width and not (len(record) > width and not any(v.strip() for v in record[width:])):
            yield _Row(number, None, f"{len(record)} values where the header has {width} columns")
            continue
        yield _Row(number, dict(zip(header, record, strict=False)))


def _json_objects(items: Iterable[tuple[int, object]], spec: _Spec, run: _Run) -> Iterator[_Row]:
    known = set(spec.fields)
    unknown: set[str] = set()
    for number, item in items:
        if isinstance(item, _BadJson):
            yield _Row(number, None, item.message)
            continue
        if not isinstance(item, dict):
            yield _Row(number, None, f"expected an object with named fields, got {_json_type(item)}")
            continue
        values = {str(k).strip().lower(): v for k, v in item.items()}
        if not values.keys() <= known:
            unknown.update(values.keys() - known)
        yield _Row(number, values)
    if unknown:
        run.warn(f"unknown field(s) {_names(sorted(unknown))} ignored")


@dataclass(frozen=True)
class _BadJson:
    """A JSON Lines line that does not parse, carried to where rows are reported."""

    message: str


def _json_lines(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, start=1):
        text = line.strip().removeprefix("\ufeff")
        if not text:
            continue
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, _BadJson(f"not valid JSON: {exc.msg} at column {exc.colno}")


def _json_rows(stream: IO[str], suffix: str, spec: _Spec, run: _Run) -> Iterator[_Row]:
    """A JSON array is read whole; JSON Lines are streamed. For .json the first character decides."""
    head = stream.read(4096) + stream.readline()
    start = head.lstrip().removeprefix("\ufeff").lstrip()[:1]
    if not start:
        raise run.refuse("the file is empty")
    if suffix != ".json":
        run.label = "line"
        return _json_objects(_json_lines(itertools.chain(io.StringIO(head, newline=""), stream)), spec, run)
    if start not in "[{":
        raise run.refuse("expected a JSON array ('[' …) or JSON Lines (one '{' … object per line)")
    text = head + stream.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if start == "{":  # several objects, one per line
            run.label = "line"
            return _json_objects(_json_lines(io.StringIO(text, newline="")), spec, run)
        raise run.refuse(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if isinstance(document, dict):  # a single object is a file of one row
        document = [document]
    run.label = "item"
    return _json_objects(enumerate(document, start=1), spec, run)


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


@contextmanager
def _read_rows(path: Path, spec: _Spec, run: _Run) -> Iterator[Iterator[_Row]]:
    """The file's rows, by its extension (and, for .json, its first character)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".jsonl", ".ndjson"):
        raise run.refuse(f"cannot import a '{suffix or path.name}' file: use .csv, .json or .jsonl")
    if not path.is_file():
        raise run.refuse("no such file" if not path.exists() else "not a file")
    encoding = _encoding(path, run)
    with path.open(encoding=encoding, errors=_LATIN1_FALLBACK, newline="") as stream:
        rows = _csv_rows(stream, spec, run) if suffix == ".csv" else _json_rows(stream, suffix, spec, run)
        yield _nonempty(rows, run)


def _nonempty(rows: Iterator[_Row], run: _Run) -> Iterator[_Row]:
    any_row = False
    for row in rows:
        any_row = True
        yield row
    if not any_row:
        raise run.refuse("no rows to import")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# -- checking fields ---------------------------------------------------------------------------


class _FieldError(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _text(values: Mapping[str, object], name: str) -> str:
    """A value as text; JSON numbers are accepted (ids are often numeric), other JSON types are not."""
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        if "\x00" in value:
            raise _FieldError(name, "contains a NUL character")
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _FieldError(name, f"expected text, got {_json_type(value)}")


def _required(values: Mapping[str, object], name: str, limit: int) -> str:
    text = _text(values, name).strip()
    if not text:
        raise _FieldError(name, "is required but missing" if values.get(name) is None else "is required but empty")
    if len(text) > limit:
        raise _FieldError(name, f"is longer than {limit} characters")
    return text


def _optional(values: Mapping[str, object], name: str, limit: int | None = None) -> str:
    text = _text(values, name).strip()
    if limit is not None and len(text) > limit:
        raise _FieldError(name, f"is longer than {limit} characters")
    return text


def _choice(values: Mapping[str, object], name: str, allowed: tuple[str, ...]) -> str:
    given = _required(values, name, 40)
    value = given.lower()
    if value not in allowed:
        raise _FieldError(name, f"{given!r} is not one of {', '.join(allowed)}")
    return value


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date-time as aware UTC; a time without an offset is taken to be UTC."""
    moment = datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _as_moment(name: str, text: str) -> datetime:
    try:
        return parse_moment(text)
    except ValueError:
        raise _FieldError(name, f"{text!r} is not an ISO 8601 date and time (e.g. 2026-11-01T09:30:00Z)") from None


def _required_moment(values: Mapping[str, object], name: str) -> datetime:
    return _as_moment(name, _required(values, name, 64))


def _optional_moment(values: Mapping[str, object], name: str) -> datetime | None:
    text = _optional(values, name, 64)
    return _as_moment(name, text) if text else None


# -- customers ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _CustomerRow:
    number: int
    values: dict[str, Any]
    handles: list[tuple[str, str]]


def _handles(values: Mapping[str, object], email: str, phone: str) -> list[tuple[str, str]]:
    """The customer's (network, handle) pairs: email and phone first, then `network:@handle;…`."""
    found: list[tuple[str, str]] = []
    if email:
        found.append(("email", email))
    if phone:
        found.append(("phone", phone))
    for piece in _optional(values, "handles").split(";"):
        item = piece.strip()
        if not item:
            continue
        network, sep, handle = item.partition(":")
        network, handle = network.strip().lower(), handle.strip()
        if not sep or not handle or not _NETWORK.fullmatch(network) or len(network) > 40:
            raise _FieldError("handles", f"{item!r} is not network:@handle (e.g. instagram:@ana)")
        if len(handle) > 320:
            raise _FieldError("handles", f"{item!r} is longer than 320 characters")
        if network == "email":
            handle = handle.lower()
        if (network, handle) not in found:
            found.append((network, handle))
    return found


def _customer_row(number: int, values: Mapping[str, object], now: datetime) -> _CustomerRow:
    email = _optional(values, "email", 320).lower()
    if email and not _EMAIL.fullmatch(email):
        raise _FieldError("email", f"{email!r} is not an email address")
    phone = _optional(values, "phone", 64)
    language = _optional(values, "language").lower().replace("_", "-")
    if language and not _LANGUAGE.fullmatch(language):
        raise _FieldError("language", f"{language!r} is not a language code such as es or en")
    row = {
        "customer_id": _required(values, "customer_id", 120),
        "name": _required(values, "name", 200),
        "email": email,
        "phone": phone,
        "language": language,
        "plan": _optional(values, "plan", 80),
        "owner": _optional(values, "owner", 80),
        "tags": "",
        "created_at": _optional_moment(values, "created_at"),
        "imported_at": now,
    }
    return _CustomerRow(number, row, _handles(values, email, phone))


class _CustomerImport:
    """Checks customer rows chunk by chunk and writes the new ones with their handles."""

    def __init__(self, session: Session, run: _Run) -> None:
        self.session = session
        self.run = run
        self.now = utcnow()
        self.seen: dict[str, int] = {}
        self.seen_handles: dict[tuple[str, str], tuple[int, str]] = {}

    def parse(self, rows: list[_Row]) -> list[_CustomerRow]:
        parsed: list[_CustomerRow] = []
        self.run.counted(len(rows))
        for row in rows:
            if row.values is None:
                self.run.error(row.number, row.problem)
                continue
            try:
                customer = _customer_row(row.number, row.values, self.now)
            except _FieldError as exc:
                self.run.error(row.number, exc.message, exc.field_name)
                continue
            if self._duplicated(customer):
                continue
            parsed.append(customer)
        return parsed

    def _duplicated(self, customer: _CustomerRow) -> bool:
        cid = customer.values["customer_id"]
        first = self.seen.setdefault(cid, customer.number)
        if first != customer.number:
            self.run.error(customer.number, f"{cid!r} is a duplicate of {self.run.label} {first}", "customer_id")
            return True
        for network, handle in customer.handles:
            owner_row, owner = self.seen_handles.setdefault((network, handle), (customer.number, cid))
            if owner != cid:
                self.run.error(
                    customer.number,
                    f"{network} {handle!r} is also given for customer {owner!r} in {self.run.label} {owner_row}",
                    _handle_field(network),
                )
                return True
        return False

    def write(self, parsed: list[_CustomerRow]) -> None:
        existing = _existing(self.session, _CUSTOMER.c.customer_id, [c.values["customer_id"] for c in parsed])
        new = [c for c in parsed if c.values["customer_id"] not in existing]
        self.run.report.already_imported += len(parsed) - len(new)
        self._check_handles(new)
        if self.run.errors or not new:
            return
        self.run.report.added += len(new)
        self.run.report.handles_added += sum(len(c.handles) for c in new)
        if self.run.report.dry_run:
            return
        self.session.execute(sa.insert(_CUSTOMER), [c.values for c in new])
        ids = _ids_by_external(self.session, [c.values["customer_id"] for c in new])
        handles = [
            {"customer_id": ids[c.values["customer_id"]], "network": network, "handle": handle}
            for c in new
            for network, handle in c.handles
        ]
        if handles:
            self.session.execute(sa.insert(_HANDLE), handles)

    def _check_handles(self, new: list[_CustomerRow]) -> None:
        """A handle names one customer: one already taken in the database is an error."""
        wanted = {pair: c for c in new for pair in c.handles}
        if not wanted:
            return
        stmt = (
            sa.select(_HANDLE.c.network, _HANDLE.c.handle, _CUSTOMER.c.customer_id)
            .join(_CUSTOMER, _CUSTOMER.c.id == _HANDLE.c.customer_id)
            .where(_HANDLE.c.handle.in_(sorted({h for _, h in wanted})))
        )
        for network, handle, owner in self.session.execute(stmt):
            customer = wanted.get((network, handle))
            if customer is not None:
                self.run.error(
                    customer.number,
                    f"{network} {handle!r} already belongs to customer {owner!r}",
                    _handle_field(network),
                )


def _handle_field(network: str) -> str:
    return network if network in ("email", "phone") else "handles"


def _existing(session: Session, column: sa.Column[str], keys: list[str]) -> set[str]:
    """Which of these keys the column already holds."""
    if not keys:
        return set()
    return set(session.execute(sa.select(column).where(column.in_(keys))).scalars())


def _ids_by_external(session: Session, customer_ids: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(customer_ids))
    if not wanted:
        return {}
    stmt = sa.select(_CUSTOMER.c.customer_id, _CUSTOMER.c.id).where(_CUSTOMER.c.customer_id.in_(wanted))
    return {str(external): int(pk) for external, pk in session.execute(stmt)}


# -- interactions ------------------------------------------------------------------------------


def _stored_time(session: Session) -> Callable[[datetime], object]:
    """How this database's driver receives a UTC timestamp, exactly as the model's column type binds it."""
    dialect = session.get_bind().dialect
    process = _INTERACTION.c.occurred_at.type.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else _unchanged


def _unchanged(value: datetime) -> object:
    return value


def _interaction_row(values: Mapping[str, object], now: object, stored: Callable[[datetime], object]) -> dict[str, Any]:
    """The row to insert; raises _FieldError naming the first field that is wrong."""
    quick = _interaction_quick(values, now, stored)
    return quick if quick is not None else _interaction_checked(values, now, stored)


def _interaction_quick(
    values: Mapping[str, Any], now: object, stored: Callable[[datetime], object]
) -> dict[str, Any] | None:
    """A clean row in a few operations (a million rows make every call count); None sends it to the careful checks.

    It must never accept what `_interaction_checked` refuses; a property test holds the two together.
    """
    try:
        source_id = values["interaction_id"].strip()
        customer_id = values["customer_id"].strip()
        channel = values["channel"].strip().lower()
        direction = values["direction"].strip().lower()
        occurred_at = parse_moment(values["occurred_at"])
        body = values["body"]
        subject = values.get("subject", "").strip()
        url = values.get("url", "").strip()
        clean = (
            0 < len(source_id) <= 255
            and 0 < len(customer_id) <= 120
            and channel in CHANNELS
            and direction in DIRECTIONS
            and len(url) <= 2000
            and body.strip() != ""
            and "\x00" not in f"{source_id}{customer_id}{body}{subject}{url}"
        )
    except (KeyError, AttributeError, TypeError, ValueError):
        return None
    if not clean:
        return None
    return {
        "source_id": source_id,
        "customer_id": customer_id,
        "channel": channel,
        "direction": direction,
        "occurred_at": stored(occurred_at),
        "subject": subject,
        "body": body,
        "url": url,
        "author": "",
        "message_id": "",
        "in_reply_to": "",
        "created_at": now,
    }


def _interaction_checked(
    values: Mapping[str, object], now: object, stored: Callable[[datetime], object]
) -> dict[str, Any]:
    body = _text(values, "body")
    if not body.strip():
        raise _FieldError("body", "is required but missing" if values.get("body") is None else "is required but empty")
    return {
        "source_id": _required(values, "interaction_id", 255),
        "customer_id": _required(values, "customer_id", 120),
        "channel": _choice(values, "channel", CHANNELS),
        "direction": _choice(values, "direction", DIRECTIONS),
        "occurred_at": stored(_required_moment(values, "occurred_at")),
        "subject": _optional(values, "subject"),
        "body": body,
        "url": _optional(values, "url", 2000),
        "author": "",
        "message_id": "",
        "in_reply_to": "",
        "created_at": now,
    }


class _InteractionImport:
    """Checks interaction rows chunk by chunk and writes the new ones."""

    def __init__(self, session: Session, run: _Run) -> None:
        self.session = session
        self.run = run
        self.stored = _stored_time(session)
        self.now = self.stored(utcnow())
        self.seen: dict[str, int] = {}
        self.customers: dict[str, int | None] = {}
        self.affected: set[int] = set()

    def parse(self, rows: list[_Row]) -> list[tuple[int, dict[str, Any]]]:
        parsed: list[tuple[int, dict[str, Any]]] = []
        seen, run, now, stored = self.seen, self.run, self.now, self.stored
        run.counted(len(rows))
        for row in rows:
            if row.values is None:
                run.error(row.number, row.problem)
                continue
            try:
                values = _interaction_row(row.values, now, stored)
            except _FieldError as exc:
                run.error(row.number, exc.message, exc.field_name)
                continue
            source_id = values["source_id"]
            first = seen.setdefault(source_id, row.number)
            if first != row.number:
                run.error(row.number, f"{source_id!r} is a duplicate of {run.label} {first}", "interaction_id")
                continue
            parsed.append((row.number, values))
        return self._resolve_customers(parsed)

    def _resolve_customers(self, parsed: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
        unknown = {values["customer_id"] for _, values in parsed} - self.customers.keys()
        if unknown:
            found = _ids_by_external(self.session, unknown)
            self.customers.update({external: found.get(external) for external in unknown})
        resolved: list[tuple[int, dict[str, Any]]] = []
        for number, values in parsed:
            pk = self.customers[values["customer_id"]]
            if pk is None:
                self.run.error(
                    number, f"no customer {values['customer_id']!r} (import the customers first)", "customer_id"
                )
                continue
            values["customer_id"] = pk
            resolved.append((number, values))
        return resolved

    def write(self, parsed: list[tuple[int, dict[str, Any]]]) -> None:
        if self.run.errors:
            return  # the file will be refused: only keep checking
        rows = [values for _, values in parsed]
        self.run.report.added += _insert_new(self.session, rows, self.run.report, dry_run=self.run.report.dry_run)
        self.affected.update(values["customer_id"] for values in rows)

    def finish(self) -> None:
        if not self.run.report.dry_run:
            self.run.report.work_items_created = _refresh(self.session, self.affected)


def _insert_new(session: Session, rows: list[dict[str, Any]], report: ImportReport, *, dry_run: bool) -> int:
    """Insert the rows whose source_id is new; count the rest as already imported. Returns how many are new."""
    existing = _existing(session, _INTERACTION.c.source_id, [r["source_id"] for r in rows])
    if existing:
        kept = [r for r in rows if r["source_id"] not in existing]
        report.already_imported += len(rows) - len(kept)
        rows[:] = kept
    if rows and not dry_run:
        session.execute(sa.insert(_INTERACTION_BULK), rows)
    return len(rows)


@contextmanager
def _search_index_deferred(session: Session) -> Iterator[None]:
    """On SQLite, index new interactions for full-text search in one statement after the bulk insert.

    The per-row FTS5 triggers make a large import about six times slower (measured by
    bench/bench_import.py). The triggers are dropped and recreated from their stored SQL inside the
    same transaction, which holds SQLite's write lock: no other writer can insert in between, and
    a rollback (a refused file) restores them, since SQLite DDL is transactional.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    found = conn.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'interaction'")
    ).all()
    triggers = [(str(name), str(sql)) for name, sql in found if name in _FTS_TRIGGERS]
    if len(triggers) != len(_FTS_TRIGGERS):  # not the schema this was measured on: leave it alone
        yield
        return
    before = int(conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM interaction")).scalar_one())
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    # Row ids only grow under the write lock, so the new rows are exactly those above `before`.
    conn.execute(
        sa.text(
            "INSERT INTO interaction_fts(rowid, subject, body) SELECT id, subject, body FROM interaction WHERE id > :b"
        ),
        {"b": before},
    )
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


def _refresh(session: Session, customer_ids: Iterable[int]) -> int:
    # Bound-parameter limits (SQLite 32766, PostgreSQL 65535) cap one IN list.
    return sum(refresh_work_items(session, customer_ids=chunk) for chunk in _chunks(sorted(customer_ids), CHUNK_ROWS))


# -- the entry points --------------------------------------------------------------------------


@contextmanager
def _transaction(target: Database | Session, *, dry_run: bool) -> Iterator[Session]:
    """One transaction for the whole file: a savepoint in a caller's session, else a write (or read) session."""
    if isinstance(target, Session):
        with target.begin_nested():  # a dry run writes nothing, so the savepoint only serves refusals
            yield target
        return
    if dry_run:
        with target.session() as session:
            yield session
            session.rollback()
        return
    with target.write() as session:
        yield session


def import_customers(
    target: Database | Session,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ImportReport:
    """Add the customers of a CSV / JSON / JSON Lines file, with their email, phone and social handles."""
    path = Path(path)
    run = _Run("customers", path, dry_run=dry_run, progress=progress)
    with _transaction(target, dry_run=dry_run) as session, _read_rows(path, CUSTOMERS, run) as rows:
        job = _CustomerImport(session, run)
        for chunk in _chunks(rows, CHUNK_ROWS):
            job.write(job.parse(chunk))
            if run.full:
                break
        run.check()
        if not dry_run:
            _audit(session, run.report, "import.customers", actor)
    return run.report


def import_interactions(
    target: Database | Session,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ImportReport:
    """Add the interactions of a CSV / JSON / JSON Lines file; unanswered incoming ones become work items."""
    path = Path(path)
    run = _Run("interactions", path, dry_run=dry_run, progress=progress)
    with _transaction(target, dry_run=dry_run) as session, _read_rows(path, INTERACTIONS, run) as rows:
        job = _InteractionImport(session, run)
        with _search_index_deferred(session) if not dry_run else nullcontext():
            for chunk in _chunks(rows, CHUNK_ROWS):
                job.write(job.parse(chunk))
                if run.full:
                    break
            run.check()
        if not dry_run:
            job.finish()
            _audit(session, run.report, "import.interactions", actor)
    return run.report


def _audit(session: Session, report: ImportReport, action: str, actor: str) -> None:
    details = {
        "file": report.file,
        "rows": report.rows,
        "added": report.added,
        "already_imported": report.already_imported,
    }
    if report.kind == "customers":
        details["handles_added"] = report.handles_added
    else:
        details["work_items_created"] = report.work_items_created
    if report.kind == "mbox":
        details["customers_created"] = report.customers_created
    record_event(session, action=action, actor=actor, entity="import", entity_id=report.file[:80], details=details)


# -- email -------------------------------------------------------------------------------------


def _messages(path: Path, run: _Run) -> Iterator[tuple[int, bytes, datetime | None]]:
    """(number, raw bytes, date of the mbox "From " line) for each message of an mbox or .eml file."""
    if not path.is_file():
        raise run.refuse("no such file" if not path.exists() else "not a file")
    if path.suffix.lower() == ".eml":
        raw = path.read_bytes()
        if not raw.strip():
            raise run.refuse("the file is empty")
        yield 1, raw, None
        return
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()
        if not keys:
            raise run.refuse("no messages found: is it an mbox file (messages separated by 'From ' lines)?")
        for number, key in enumerate(keys, start=1):
            with box.get_file(key, from_=True) as message_file:
                from_line = message_file.readline().decode("latin-1")
                raw = message_file.read()
            yield number, raw, _from_line_date(from_line)
    finally:
        box.close()


def _from_line_date(line: str) -> datetime | None:
    """The asctime date at the end of an mbox "From sender Thu Nov  1 09:00:00 2026" line, as UTC."""
    words = line.split()
    if len(words) < 7:
        return None
    try:
        return datetime.strptime(" ".join(words[-5:]), "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        return None


def _source_id(fields: MailFields, raw: bytes) -> str:
    """The Message-ID when there is one that fits, else a hash of the exact bytes."""
    if fields.message_id and len(fields.message_id) <= 255:
        return fields.message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL, and in mail it is never meaningful.
    return text.replace("\x00", "")


class _MailImport:
    """Matches senders to customers (creating unknown ones) and writes new messages."""

    def __init__(self, session: Session, run: _Run) -> None:
        self.session = session
        self.run = run
        self.now = utcnow()
        self.stored = _stored_time(session)
        self.seen: set[str] = set()
        self.senders: dict[str, int] = {}
        self.planned_customers: set[str] = set()
        self.affected: set[int] = set()

    def parse(self, number: int, raw: bytes, fallback_date: datetime | None) -> tuple[str, str, dict[str, Any]] | None:
        self.run.counted()
        message = BytesParser(policy=default_policy).parsebytes(raw)
        assert isinstance(message, EmailMessage)  # policy.default always builds EmailMessage
        fields = parse_message(message)
        if not fields.sender_address:
            self.run.error(number, "no sender address", "From")
            return None
        occurred_at = fields.occurred_at or fallback_date
        if occurred_at is None:
            self.run.error(number, "no readable date", "Date")
            return None
        source_id = _source_id(fields, raw)
        if source_id in self.seen:
            self.run.report.already_imported += 1  # the same message twice in one mailbox
            return None
        self.seen.add(source_id)
        values = {
            "source_id": source_id,
            "customer_id": 0,
            "channel": Channel.EMAIL.value,
            "direction": Direction.IN.value,
            "occurred_at": self.stored(occurred_at),
            "subject": _no_nul(fields.subject),
            "body": _no_nul(fields.body),
            "url": "",
            "author": _no_nul(fields.sender_name or fields.sender_address)[:200],
            "message_id": _no_nul(fields.message_id)[:998],
            "in_reply_to": _no_nul(fields.in_reply_to)[:998],
            "created_at": self.stored(self.now),
        }
        return fields.sender_address, _no_nul(fields.sender_name), values

    def write(self, parsed: list[tuple[str, str, dict[str, Any]]]) -> None:
        if self.run.errors or not parsed:
            return
        report = self.run.report
        rows = [values for _, _, values in parsed]
        existing = _existing(self.session, _INTERACTION.c.source_id, [r["source_id"] for r in rows])
        new = [(a, n, v) for a, n, v in parsed if v["source_id"] not in existing]
        report.already_imported += len(parsed) - len(new)
        report.added += len(new)
        if report.dry_run:
            self._plan_customers({a: n for a, n, _ in new})
            return
        for address, name, values in new:
            values["customer_id"] = self._customer(address, name)
            self.affected.add(values["customer_id"])
        if new:
            self.session.execute(sa.insert(_INTERACTION_BULK), [v for _, _, v in new])

    def _plan_customers(self, senders: dict[str, str]) -> None:
        """Dry run: count the customers that would be created, without creating them."""
        unknown = [a for a in senders if a not in self.planned_customers]
        known = self._known(unknown)
        for address in unknown:
            if address not in known:
                self.run.report.customers_created += 1
            self.planned_customers.add(address)

    def _known(self, addresses: list[str]) -> dict[str, int]:
        if not addresses:
            return {}
        stmt = sa.select(_HANDLE.c.handle, _HANDLE.c.customer_id).where(
            _HANDLE.c.network == "email", _HANDLE.c.handle.in_(addresses)
        )
        found = {str(h): int(c) for h, c in self.session.execute(stmt)}
        by_external = _ids_by_external(self.session, [_mail_customer_id(a) for a in addresses if a not in found])
        for address in addresses:
            pk = by_external.get(_mail_customer_id(address))
            if address not in found and pk is not None:
                found[address] = pk
        return found

    def _customer(self, address: str, name: str) -> int:
        """The customer who owns this address, created (with its email handle) if there is none."""
        pk = self.senders.get(address)
        if pk is not None:
            return pk
        pk = self._known([address]).get(address)
        if pk is None:
            external = _mail_customer_id(address)
            insert = sa.insert(_CUSTOMER).values(
                customer_id=external,
                name=(name or address)[:200],
                email=address[:320],
                phone="",
                language="",
                plan="",
                owner="",
                tags="",
                created_at=None,
                imported_at=self.now,
            )
            pk = int(self.session.execute(insert.returning(_CUSTOMER.c.id)).scalar_one())
            self.session.execute(sa.insert(_HANDLE).values(customer_id=pk, network="email", handle=address[:320]))
            self.run.report.customers_created += 1
        self.senders[address] = pk
        return pk


def _mail_customer_id(address: str) -> str:
    external = f"email:{address}"
    return external if len(external) <= 120 else "email:sha256:" + hashlib.sha256(address.encode()).hexdigest()[:48]


def import_mbox(
    target: Database | Session,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ImportReport:
    """Add the messages of an mbox or a single .eml file as incoming emails, idempotent by Message-ID."""
    path = Path(path)
    run = _Run("mbox", path, dry_run=dry_run, progress=progress)
    run.label = "message"
    with _transaction(target, dry_run=dry_run) as session:
        job = _MailImport(session, run)
        with _search_index_deferred(session) if not dry_run else nullcontext():
            for chunk in _chunks(_messages(path, run), CHUNK_ROWS):
                parsed = [p for number, raw, date in chunk if (p := job.parse(number, raw, date)) is not None]
                job.write(parsed)
                if run.full:
                    break
            run.check()
        if not dry_run:
            run.report.work_items_created = _refresh(session, job.affected)
            _audit(session, run.report, "import.mbox", actor)
    return run.report
