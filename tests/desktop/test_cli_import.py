"""`latido import …`: exit codes 0 and 2, one summary line on stdout, one-line reasons on stderr."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from desktop.cli import main

CUSTOMERS = "customer_id,name,email\nc-1,Ana,ana@example.com\nc-2,Bob,bob@example.com\n"
INTERACTIONS = (
    "interaction_id,customer_id,channel,direction,occurred_at,body\n"
    "i-1,c-1,email,in,2026-11-01T09:00:00Z,Hola\n"
    "i-2,c-2,comment,in,2026-11-01T10:00:00Z,Hi there\n"
)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def latido(url: str, *args: str | Path) -> int:
    return main(["--database-url", url, *map(str, args)])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_customers_then_interactions(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert latido(url, "import", "customers", write(tmp_path / "customers.csv", CUSTOMERS)) == 0
    out, err = capsys.readouterr()
    assert out == "import: 2 customers added, 0 already imported (customers.csv)\n"
    assert err == ""
    assert latido(url, "import", "interactions", write(tmp_path / "interactions.csv", INTERACTIONS)) == 0
    out, _ = capsys.readouterr()
    assert out == "import: 2 interactions added, 0 already imported, 2 work items created (interactions.csv)\n"
    assert latido(url, "import", "customers", tmp_path / "customers.csv") == 0
    assert capsys.readouterr().out == "import: 0 customers added, 2 already imported (customers.csv)\n"


def test_dry_run_reports_without_writing(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "customers.csv", CUSTOMERS)
    assert latido(url, "import", "customers", path, "--dry-run") == 0
    assert (
        capsys.readouterr().out == "import (dry run): 2 customers would be added, 0 already imported (customers.csv)\n"
    )
    assert latido(url, "import", "customers", path) == 0
    assert capsys.readouterr().out.startswith("import: 2 customers added")


def test_refused_file_exits_2_with_one_line_reason_then_the_errors(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(
        tmp_path / "customers.csv",
        "customer_id,name,email,colour\nc-1,Ana,nope,red\nc-2,Bob,,blue\nc-2,Bob again,,blue\n",
    )
    assert latido(url, "import", "customers", bad) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "latido: import: customers.csv: refused, 2 errors; nothing was imported",
        "customers.csv: row 2: field 'email': 'nope' is not an email address",
        "customers.csv: row 4: field 'customer_id': 'c-2' is a duplicate of row 3",
        "warning: customers.csv: unknown column(s) 'colour' ignored",
    ]
    good = write(tmp_path / "good.csv", CUSTOMERS)
    assert latido(url, "import", "customers", good) == 0  # nothing from the refused file got in
    assert capsys.readouterr().out.startswith("import: 2 customers added, 0 already imported")


def test_single_error_is_the_whole_reason(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latido(url, "import", "customers", write(tmp_path / "customers.csv", CUSTOMERS))
    capsys.readouterr()
    bad = write(tmp_path / "interactions.csv", INTERACTIONS.replace("comment", "fax"))
    assert latido(url, "import", "interactions", bad) == 2
    assert capsys.readouterr().err == (
        "latido: import: interactions.csv: row 3: field 'channel': 'fax' is not one of "
        "email, comment, dm, call, ticket, chat, note; nothing was imported\n"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing.csv", "latido: import: missing.csv: no such file; nothing was imported\n"),
        (
            "notes.txt",
            "latido: import: notes.txt: cannot import a '.txt' file: use .csv, .json or .jsonl; nothing was imported\n",
        ),
    ],
)
def test_unusable_file_exits_2_with_one_line(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    if name.endswith(".txt"):
        write(tmp_path / name, "hello")
    assert latido(url, "import", "customers", tmp_path / name) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", expected)


def test_bad_usage_exits_2(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert latido(url, "import", "contacts", "x.csv") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "invalid choice: 'contacts'" in err


def test_import_mbox(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = EmailMessage()
    message["From"] = "Carla <carla@example.org>"
    message["Subject"] = "Factura"
    message["Date"] = "Sun, 01 Nov 2026 10:00:00 +0100"
    message["Message-ID"] = "<m1@example.org>"
    message.set_content("¿Me reenviáis la factura?")
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(message)
    box.close()
    assert latido(url, "import", "mbox", tmp_path / "inbox.mbox") == 0
    assert (
        capsys.readouterr().out
        == "import: 1 messages added, 0 already imported, 1 new customers, 1 work items created (inbox.mbox)\n"
    )
    assert latido(url, "import", "mbox", tmp_path / "inbox.mbox") == 0
    assert capsys.readouterr().out.startswith("import: 0 messages added, 1 already imported, 0 new customers")
