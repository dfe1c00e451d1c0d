"""`latido draft` and `latido revise`: streamed text, stored revisions, hashes, one-line errors."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from desktop.cli import main
from storage.hashing import content_hash
from tests.servers.openai_faults import FaultServer


def _new_item(url: str, capsys: pytest.CaptureFixture[str], channel: str = "email") -> dict:  # type: ignore[type-arg]
    assert main(["--database-url", url, "items", "--status", "new", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    return next(i for i in items if i["channel"] == channel and not i["escalated"])


def _show(url: str, item_id: int, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(["--database-url", url, "show", str(item_id), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_offline_draft_then_human_revision(
    demo_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _new_item(demo_url, capsys)
    assert main(["--database-url", demo_url, "draft", str(item["id"])]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Hi ") or out.startswith("Hola")
    assert "offline composer (no AI)" in err
    shown = _show(demo_url, item["id"], capsys)
    assert shown["revision"]["kind"] == "ai_draft"
    assert shown["revision"]["body"] == out.rstrip("\n")
    draft_id = shown["draft"]["id"]

    monkeypatch.setattr("sys.stdin", io.StringIO("Subject: Your refund\n\nHi Daniel,\n\nDone today.\n"))
    assert main(["--database-url", demo_url, "revise", str(draft_id), "--as", "marta"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == content_hash("Your refund", "Hi Daniel,\n\nDone today.")
    shown = _show(demo_url, item["id"], capsys)
    assert shown["hash"] == printed
    assert (shown["revision"]["kind"], shown["revision"]["author"], shown["revision"]["subject"]) == (
        "human_edit",
        "marta",
        "Your refund",
    )


def test_rewrite_needs_a_draft_first(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    item = _new_item(demo_url, capsys)
    assert main(["--database-url", demo_url, "draft", str(item["id"]), "--rewrite", "shorter"]) == 2
    assert "no draft to rewrite yet" in capsys.readouterr().err


def test_draft_through_an_openai_compatible_endpoint(
    demo_url: str, capsys: pytest.CaptureFixture[str], fault_server: Callable[..., FaultServer]
) -> None:
    server = fault_server("ok", chunks=("Hi", " Daniel,", " sorted."))
    item = _new_item(demo_url, capsys)
    args = [
        "--database-url",
        demo_url,
        "draft",
        str(item["id"]),
        "--provider",
        "openai",
        "--base-url",
        server.url,
        "--model",
        "model-a",
    ]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out == "Hi Daniel, sorted.\n"
    assert "openai" in err
    assert _show(demo_url, item["id"], capsys)["revision"]["body"] == "Hi Daniel, sorted."


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--provider", "openai"], "no AI endpoint is configured"),
        (["--provider", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], "Cannot reach"),
    ],
)
def test_provider_problems_are_one_line(
    demo_url: str, capsys: pytest.CaptureFixture[str], extra: list[str], reason: str
) -> None:
    item = _new_item(demo_url, capsys)
    assert main(["--database-url", demo_url, "draft", str(item["id"]), *extra]) == 2
    err = capsys.readouterr().err
    assert reason.lower() in err.lower()
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "stdin", "reason"),
    [
        (["revise", "1"], "hello", "who is editing"),
        (["revise", "999999", "--as", "marta"], "hello", "no draft 999999"),
        (["draft", "999999"], "", "no work item 999999"),
    ],
)
def test_bad_input_is_exit_2(
    demo_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: str,
    reason: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["--database-url", demo_url, *args]) == 2
    assert reason in capsys.readouterr().err
