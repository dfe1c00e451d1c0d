"""`latido items` and `latido show`: the contract scripts rely on."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from desktop.cli import main
from storage.chain import append_revision
from storage.database import Database
from storage.hashing import content_hash
from storage.models import Draft, WorkItem


def _json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:  # type: ignore[type-arg]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_items_json_lists_escalated_first(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, ["--database-url", demo_url, "items", "--json"])
    items = doc["items"]
    assert doc["count"] == len(items) > 20
    flags = [i["escalated"] for i in items]
    assert flags == sorted(flags, reverse=True)  # escalated section on top
    assert set(items[0]) >= {
        "id",
        "customer_id",
        "customer",
        "channel",
        "status",
        "escalated",
        "received_at",
        "snippet",
    }
    escalated = _json(capsys, ["--database-url", demo_url, "items", "--escalated", "--json"])["items"]
    assert escalated and all(i["escalated"] for i in escalated)
    drafting = _json(capsys, ["--database-url", demo_url, "items", "--status", "drafting", "--json"])["items"]
    assert drafting and all(i["status"] == "drafting" for i in drafting)


def test_items_rejects_unknown_status(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", demo_url, "items", "--status", "lost"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_show_json_carries_the_current_revision_hash(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(demo_url)
    with db.write() as s:
        item = s.exec(select(WorkItem).where(WorkItem.status == "new")).first()
        assert item is not None and item.id is not None
        draft = Draft(work_item_id=item.id, customer_id=item.customer_id, channel=item.channel)
        s.add(draft)
        s.flush()
        assert draft.id is not None
        append_revision(s, draft_id=draft.id, author_kind="ai", kind="ai_draft", author="", subject="", body="first")
        append_revision(
            s,
            draft_id=draft.id,
            author_kind="human",
            kind="human_edit",
            author="marta",
            subject="",
            body="Hola, second  \r\n",
        )
        item_id = item.id
    db.dispose()
    doc = _json(capsys, ["--database-url", demo_url, "show", str(item_id), "--json"])
    assert doc["item"]["id"] == item_id
    assert doc["customer"]["customer_id"].startswith("C-")
    assert doc["revision"]["seq"] == 2
    assert doc["revision"]["kind"] == "human_edit"
    assert doc["hash"] == content_hash("", "Hola, second")
    assert doc["incoming"]["body"]


def test_show_without_draft_has_null_hash(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    new = _json(capsys, ["--database-url", demo_url, "items", "--status", "new", "--json"])["items"][0]
    doc = _json(capsys, ["--database-url", demo_url, "show", str(new["id"]), "--json"])
    assert doc["draft"] is None and doc["hash"] is None


@pytest.mark.parametrize("args", [["show", "999999"], ["show", "x"]])
def test_show_bad_id_is_one_line_exit_2(demo_url: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", demo_url, *args]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_unreachable_database_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", "postgresql://nobody@127.0.0.1:1/none", "items"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("latido: cannot open the database") and err.count("\n") == 1
