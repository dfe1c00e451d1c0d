"""Customers and interactions from CSV, JSON or JSON Lines, and email from mbox or .eml: all or nothing.

A file is read, checked and written in one transaction. Any error refuses the whole file
(`ImportRefused`) and nothing is kept; rows whose ids are already in the database are skipped, so
importing the same file again changes nothing. Interactions go in by chunks of plain tuples, through
the driver's bulk path (executemany on SQLite, COPY on PostgreSQL), because a million rows make every
per-row step count; customers and email, far fewer, go in with SQLAlchemy Core.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import mailbox
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import IO, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
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
_CHANNEL_SET = frozenset(CHANNELS)
_DIRECTION_SET = frozenset(DIRECTIONS)

_CUSTOMER = Customer.__table__  # type: ignore[attr-defined]  # SQLModel table
_HANDLE = CustomerHandle.__table__  # type: ignore[attr-defined]  # SQLModel table
_INTERACTION = Interaction.__table__  # type: ignore[attr-defined]  # SQLModel table

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


class ImportRefused(Exception):
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


_Record = tuple[int, Sequence[object] | None, str]
"""One record of the file: its number, its values in the order of `_Rows.fields` (None when it could not
be read) and why not. Plain tuples and lists, not an object and a dict per row: a million rows."""


@dataclass
class _Rows:
    """The records of a file and the names of their values, in order."""

    fields: Sequence[str]
    records: Iterator[_Record]


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


def _csv_rows(stream: IO[str], spec: _Spec, run: _Run) -> _Rows:
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
    return _Rows(header, _csv_records(reader, len(header)))


def _csv_records(reader: Iterator[list[str]], width: int) -> Iterator[_Record]:
    """Data rows numbered as a spreadsheet shows them: the header is row 1, blank lines count."""
    number = 1
    try:
        for number, record in enumerate(reader, start=2):
            if len(record) == width:
                yield number, record, ""
            elif len(record) > width and not any(v.strip() for v in record[width:]):
                yield number, record, ""  # trailing empty cells, as spreadsheets write them
            elif record:
                yield number, None, f"{len(record)} values where the header has {width} columns"
    except csv.Error as exc:
        # The reader cannot resynchronise after a quoting error: report it and stop.
        yield number + 1, None, f"not valid CSV: {exc}"


def _json_objects(items: Iterable[tuple[int, object]], spec: _Spec, run: _Run) -> _Rows:
    return _Rows(spec.fields, _json_records(items, spec, run))


def _json_records(items: Iterable[tuple[int, object]], spec: _Spec, run: _Run) -> Iterator[_Record]:
    known = set(spec.fields)
    unknown: set[str] = set()
    for number, item in items:
        if isinstance(item, _BadJson):
            yield number, None, item.message
            continue
        if not isinstance(item, dict):
            yield number, None, f"expected an object with named fields, got {_json_type(item)}"
            continue
        values = {str(k).strip().lower(): v for k, v in item.items()}
        if not values.keys() <= known:
            unknown.update(values.keys() - known)
        yield number, [values.get(name) for name in spec.fields], ""
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


def _json_rows(stream: IO[str], suffix: str, spec: _Spec, run: _Run) -> _Rows:
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
def _read_rows(path: Path, spec: _Spec, run: _Run) -> Iterator[_Rows]:
    """The file's rows, by its extension (and, for .json, its first character)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".jsonl", ".ndjson"):
        raise run.refuse(f"cannot import a '{suffix or path.name}' file: use .csv, .json or .jsonl")
    if not path.is_file():
        raise run.refuse("no such file" if not path.exists() else "not a file")
    encoding = _encoding(path, run)
    with path.open(encoding=encoding, errors=_LATIN1_FALLBACK, newline="") as stream:
        rows = _csv_rows(stream, spec, run) if suffix == ".csv" else _json_rows(stream, suffix, spec, run)
        yield _Rows(rows.fields, _nonempty(rows.records, run))


def _nonempty(records: Iterator[_Record], run: _Run) -> Iterator[_Record]:
    first = next(records, None)
    if first is None:
        raise run.refuse("no rows to import")
    yield first
    yield from records


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _batches(items: Iterable[T], size: int) -> Iterator[Iterator[T]]:
    """Like `_chunks`, but each batch is read lazily: consume it before asking for the next.

    A chunk of a million-row file held as a list outlives several garbage collections, so its
    records are promoted and rescanned in full collections; read one by one, they die young.
    """
    iterator = iter(items)
    for first in iterator:
        yield itertools.chain((first,), itertools.islice(iterator, size - 1))


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
        raise _FieldError(name, _not_a_moment(text)) from None


def _not_a_moment(text: str) -> str:
    return f"{text!r} is not an ISO 8601 date and time (e.g. 2026-11-01T09:30:00Z)"


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

    def __init__(self, session: Session, run: _Run, fields: Sequence[str]) -> None:
        self.session = session
        self.run = run
        self.fields = fields
        self.now = utcnow()
        self.seen: dict[str, int] = {}
        self.seen_handles: dict[tuple[str, str], tuple[int, str]] = {}

    def parse(self, records: list[_Record]) -> list[_CustomerRow]:
        parsed: list[_CustomerRow] = []
        self.run.counted(len(records))
        for number, record, problem in records:
            if record is None:
                self.run.error(number, problem)
                continue
            try:
                customer = _customer_row(number, dict(zip(self.fields, record, strict=False)), self.now)
            except _FieldError as exc:
                self.run.error(number, exc.message, exc.field_name)
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


def _one_of(session: Session, column: sa.Column[str], keys: list[str]) -> sa.ColumnElement[bool]:
    """`column IN (keys)` with the keys bound as one value: a JSON array on SQLite, an array on PostgreSQL.

    An IN list of a whole chunk is thousands of parameters that SQLAlchemy renders and binds anew for
    every chunk, which cost more than the lookup itself.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam("keys", keys, type_=postgresql.ARRAY(sa.Text)))
    listed = sa.func.json_each(sa.bindparam("keys", json.dumps(keys), type_=sa.Text)).table_valued("value")
    return column.in_(sa.select(listed.c.value))


def _existing(session: Session, column: sa.Column[str], keys: list[str]) -> set[str]:
    """Which of these keys the column already holds."""
    if not keys:
        return set()
    return set(session.execute(sa.select(column).where(_one_of(session, column, keys))).scalars())


def _ids_by_external(session: Session, customer_ids: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(customer_ids))
    if not wanted:
        return {}
    stmt = sa.select(_CUSTOMER.c.customer_id, _CUSTOMER.c.id).where(_one_of(session, _CUSTOMER.c.customer_id, wanted))
    return {str(external): int(pk) for external, pk in session.execute(stmt)}


# -- interactions ------------------------------------------------------------------------------

# The columns bulk rows fill, in order; author, message_id and in_reply_to are empty for a file's rows.
_BULK_COLUMNS = (
    "source_id",
    "customer_id",
    "channel",
    "direction",
    "occurred_at",
    "subject",
    "body",
    "url",
    "author",
    "message_id",
    "in_reply_to",
    "created_at",
)
_BULK_INSERT = (
    "INSERT INTO interaction (source_id, customer_id, channel, direction, occurred_at, subject, body, url, "
    "author, message_id, in_reply_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_BULK_COPY = (
    "COPY interaction (source_id, customer_id, channel, direction, occurred_at, subject, body, url, "
    "author, message_id, in_reply_to, created_at) FROM STDIN"
)
_SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
# A UTC moment as files usually write it: 2026-11-01T09:30:00, with optional microseconds and Z/+00:00.
_PLAIN_UTC = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]{6})?(?:Z|[+-]00:00)?")


def _stored_time(dialect: sa.Dialect) -> Callable[[datetime], object]:
    """How this database's driver receives a UTC timestamp, exactly as the model's column type binds it."""
    process = _INTERACTION.c.occurred_at.type.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else _unchanged


def _unchanged(value: datetime) -> object:
    return value


def _stored_moments(stored: Callable[[datetime], object]) -> Callable[[str], object]:
    """Reads an ISO 8601 text into the form `stored` gives the driver; raises ValueError if it is not one.

    On SQLite the column holds naive UTC text ('2026-11-01 09:30:00.000000'). A UTC time written the
    usual way is turned into that text by slicing, after `fromisoformat` has checked that it is a real
    date and time; anything else (offsets, fractions of other lengths, dates alone) takes the general way.
    """
    probe = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
    if stored(probe) != probe.strftime(_SQLITE_TIME_FORMAT):

        def general(text: str) -> object:
            return stored(parse_moment(text))

        return general

    check = datetime.fromisoformat
    plain = _PLAIN_UTC.fullmatch

    def sliced(text: str) -> object:
        found = plain(text)
        if found is None:
            return stored(parse_moment(text))
        check(text)  # a real date and time: no 30 February, no 25 o'clock
        date, time, fraction = found.groups()
        return f"{date} {time}{fraction or '.000000'}"

    return sliced


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where the interaction fields are in a record: the required ones in one pick, the optional ones or -1."""

    required: Callable[[Sequence[Any]], tuple[Any, ...]]
    subject: int
    url: int

    @classmethod
    def of(cls, fields: Sequence[str]) -> _Columns:
        where = {name: i for i, name in enumerate(fields)}
        missing = [name for name in INTERACTION_REQUIRED if name not in where]
        if missing:  # the header check refuses such a file first
            raise ValueError(f"records without the required field(s) {_names(missing)}")
        return cls(
            operator.itemgetter(*(where[name] for name in INTERACTION_REQUIRED)),
            where.get("subject", -1),
            where.get("url", -1),
        )


def _interaction_quick(record: Sequence[Any], at: _Columns, moment: Callable[[str], object]) -> tuple[Any, ...] | None:
    """A clean row in a few operations (a million rows make every call count); None sends it to the careful checks.

    It must never accept what `_interaction_checked` refuses; a property test holds the two together.
    The row is (source_id, customer_id (the file's), channel, direction, occurred_at, subject, body, url): a
    tuple of text, which the garbage collector stops tracking, where a list would be scanned again and again.
    """
    try:
        source_id, customer_id, channel, direction, occurred_text, body = at.required(record)
        source_id = source_id.strip()
        customer_id = customer_id.strip()
        channel = channel.strip().lower()
        direction = direction.strip().lower()
        subject = record[at.subject].strip() if at.subject >= 0 else ""
        url = record[at.url].strip() if at.url >= 0 else ""
        clean = (
            0 < len(source_id) <= 255
            and 0 < len(customer_id) <= 120
            and channel in _CHANNEL_SET
            and direction in _DIRECTION_SET
            and len(occurred_text) <= 64
            and len(url) <= 2000
            and body
            and not body.isspace()  # what strip() removes, without copying the body
            and "\x00" not in body
            and "\x00" not in subject
            and "\x00" not in source_id
            and "\x00" not in customer_id
            and "\x00" not in url
        )
        if not clean:
            return None
        occurred_at = moment(occurred_text)
    except (AttributeError, TypeError, ValueError):
        return None
    return (source_id, customer_id, channel, direction, occurred_at, subject, body, url)


def _interaction_checked(values: Mapping[str, object], moment: Callable[[str], object]) -> tuple[Any, ...]:
    """The same row as `_interaction_quick`, field by field; raises _FieldError naming the first field that is wrong."""
    body = _text(values, "body")
    if not body.strip():
        raise _FieldError("body", "is required but missing" if values.get("body") is None else "is required but empty")
    source_id = _required(values, "interaction_id", 255)
    customer_id = _required(values, "customer_id", 120)
    channel = _choice(values, "channel", CHANNELS)
    direction = _choice(values, "direction", DIRECTIONS)
    occurred_text = _required(values, "occurred_at", 64)
    try:
        occurred_at = moment(occurred_text)
    except ValueError:
        raise _FieldError("occurred_at", _not_a_moment(occurred_text)) from None
    return (
        source_id,
        customer_id,
        channel,
        direction,
        occurred_at,
        _optional(values, "subject"),
        body,
        _optional(values, "url", 2000),
    )


class _InteractionImport:
    """Checks interaction rows chunk by chunk and writes the new ones."""

    def __init__(self, session: Session, run: _Run, fields: Sequence[str]) -> None:
        self.session = session
        self.run = run
        self.fields = fields
        self.at = _Columns.of(fields)
        stored = _stored_time(session.get_bind().dialect)
        self.moment = _stored_moments(stored)
        self.now = stored(utcnow())
        self.seen: dict[str, int] = {}
        self.customers: dict[str, int | None] = {}
        self.affected: set[int] = set()

    def parse(self, records: Iterator[_Record]) -> list[tuple[Any, ...]]:
        """The batch's rows, checked and ready for the driver (in `_BULK_COLUMNS` order)."""
        parsed: list[tuple[int, tuple[Any, ...]]] = []
        seen, run, at, moment = self.seen, self.run, self.at, self.moment
        count = 0
        for count, (number, record, problem) in enumerate(records, start=1):  # noqa: B007  counted below
            if record is None:
                run.error(number, problem)
                continue
            row = _interaction_quick(record, at, moment)
            if row is None:
                try:
                    row = _interaction_checked(dict(zip(self.fields, record, strict=False)), moment)
                except _FieldError as exc:
                    run.error(number, exc.message, exc.field_name)
                    continue
            source_id = row[0]
            first = seen.setdefault(source_id, number)
            if first != number:
                run.error(number, f"{source_id!r} is a duplicate of {run.label} {first}", "interaction_id")
                continue
            parsed.append((number, row))
        run.counted(count)
        return self._resolve_customers(parsed)

    def _resolve_customers(self, parsed: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
        customers = self.customers
        unknown = {row[1] for _, row in parsed} - customers.keys()
        if unknown:
            found = _ids_by_external(self.session, unknown)
            customers.update({external: found.get(external) for external in unknown})
        now = self.now
        resolved: list[tuple[Any, ...]] = []
        for number, row in parsed:
            source_id, external, channel, direction, occurred_at, subject, body, url = row
            pk = customers[external]
            if pk is None:
                self.run.error(number, f"no customer {external!r} (import the customers first)", "customer_id")
                continue
            resolved.append((source_id, pk, channel, direction, occurred_at, subject, body, url, "", "", "", now))
        return resolved

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert the rows whose source_id is new; count the rest as already imported."""
        report = self.run.report
        if self.run.errors or not rows:
            return  # the file will be refused: only keep checking
        existing = _existing(self.session, _INTERACTION.c.source_id, [row[0] for row in rows])
        if existing:
            kept = [row for row in rows if row[0] not in existing]
            report.already_imported += len(rows) - len(kept)
            rows = kept
        report.added += len(rows)
        if rows and not report.dry_run:
            _bulk_insert(self.session, rows)
            self.affected.update({row[1] for row in rows})

    def finish(self) -> None:
        if not self.run.report.dry_run:
            self.run.report.work_items_created = _refresh(self.session, self.affected)


def _bulk_insert(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Rows already in the driver's form, in `_BULK_COLUMNS` order, inserted in the transaction of `session`.

    SQLAlchemy's Core executemany would process every value of every row again; here SQLite gets one
    executemany of plain tuples and PostgreSQL one COPY, its fast path for many rows.
    """
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql(_BULK_INSERT, rows)
        return
    driver: Any = conn.connection.driver_connection  # psycopg.Connection, already inside this transaction
    with driver.cursor() as cursor, cursor.copy(_BULK_COPY) as copy:
        for row in rows:
            copy.write_row(row)


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
            "INSERT INTO interaction_fts(rowid, subject, body, customer_id)"
            " SELECT id, subject, body, customer_id FROM interaction WHERE id > :b"
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
        job = _CustomerImport(session, run, rows.fields)
        for chunk in _chunks(rows.records, CHUNK_ROWS):
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
        job = _InteractionImport(session, run, rows.fields)
        with _search_index_deferred(session) if not dry_run else nullcontext():
            for batch in _batches(rows.records, CHUNK_ROWS):
                job.write(job.parse(batch))
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
        self.stored = _stored_time(session.get_bind().dialect)
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
            _bulk_insert(self.session, [tuple(v[c] for c in _BULK_COLUMNS) for _, _, v in new])

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
