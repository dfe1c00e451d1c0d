"""`latido triage`: the message on stdin, the JSON contract, the customer's history."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlmodel import select

from desktop.cli import main
from storage.database import Database
from storage.demo import seed_demo
from storage.models import WorkItem


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], stdin: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_triage_json_shape(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        monkeypatch,
        capsys,
        ["triage", "--json"],
        "Si esta semana no tengo el dinero, lo pongo en manos de mi abogado y me doy de baja. Vergonzoso.",
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == ["frustration", "escalate", "reasons", "language"]
    assert doc["escalate"] is True
    assert doc["reasons"] == ["anger", "legal_threat", "churn_risk"]
    assert doc["language"] == "es"
    assert isinstance(doc["frustration"], float) and 0.8 < doc["frustration"] <= 1.0


def test_triage_calm_text_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(monkeypatch, capsys, ["triage"], "ok perfecto")
    assert code == 0
    assert out.strip() == "frustration 0.00, no escalation, language es"


def test_triage_needs_a_message(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(monkeypatch, capsys, ["triage", "--json"], "  \n")
    assert code == 2 and out == ""
    assert err.strip() == "latido: triage: no message on stdin"
    assert len(err.strip().splitlines()) == 1


def test_triage_with_customer_history(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db)
    db.dispose()
    message = "Hola, el pedido A-52001 lleva diez días en tránsito y sigue sin llegar a Las Palmas."
    code, out, _ = _run(monkeypatch, capsys, ["--database-url", sqlite_url, "triage", "--json"], message)
    assert code == 0 and "repeat_issue" not in json.loads(out)["reasons"]
    args = ["--database-url", sqlite_url, "triage", "--customer", "C-1001", "--json"]
    code, out, _ = _run(monkeypatch, capsys, args, message)
    assert code == 0
    doc = json.loads(out)
    assert doc["reasons"] == ["repeat_issue"] and doc["escalate"] is True


def test_triage_unknown_customer(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--database-url", sqlite_url, "triage", "--customer", "C-404", "--json"]
    code, out, err = _run(monkeypatch, capsys, args, "hello")
    assert code == 2 and out == ""
    assert err.strip() == "latido: triage: no customer 'C-404'"


def test_imported_items_arrive_triaged(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    customers = tmp_path / "customers.json"
    customers.write_text(
        json.dumps(
            [{"customer_id": "X-1", "name": "Ana Ruiz", "language": "es"}, {"customer_id": "X-2", "name": "Tom Hall"}]
        ),
        encoding="utf-8",
    )
    interactions = tmp_path / "interactions.json"
    rows = [
        ("i1", "X-1", "Hola, ¿hacéis envíos a Andorra?"),
        ("i2", "X-2", "Worst service ever. My lawyer will hear about this, I'm cancelling my subscription."),
    ]
    interactions.write_text(
        json.dumps(
            [
                {
                    "interaction_id": i,
                    "customer_id": c,
                    "channel": "email",
                    "direction": "in",
                    "occurred_at": "2026-03-01T10:00:00+00:00",
                    "body": body,
                }
                for i, c, body in rows
            ]
        ),
        encoding="utf-8",
    )
    base = ["--database-url", sqlite_url]
    assert main([*base, "import", "customers", str(customers)]) == 0
    assert main([*base, "import", "interactions", str(interactions)]) == 0
    capsys.readouterr()
    assert main([*base, "items", "--json"]) == 0
    items = {i["customer_id"]: i for i in json.loads(capsys.readouterr().out)["items"]}
    assert items["X-2"]["escalated"] is True and items["X-2"]["frustration"] > 0.8
    assert items["X-2"]["language"] == "en"
    assert items["X-1"]["escalated"] is False and items["X-1"]["language"] == "es"
    db = Database(sqlite_url)
    with db.session() as session:
        reasons = {w.escalation_reasons for w in session.exec(select(WorkItem)).all()}
    db.dispose()
    assert reasons == {"", "anger,legal_threat,churn_risk"}
