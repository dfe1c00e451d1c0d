"""`latido policy` and how `latido approve` reports an approval that waits for a second approver."""

from __future__ import annotations

import io
import json

import pytest

from desktop.cli import main


def _cli(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


def test_show_and_set(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(demo_url, "policy", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "trainee": "on",
        "commitments": "off",
        "escalated": "off",
        "edit_pct_above": "0",
        "self_approval": "on",
        "expires_days": "0",
    }
    assert _cli(demo_url, "policy", "set", "expires_days", "5", "--as", "lucia") == 0
    assert capsys.readouterr().out.strip() == "expires_days = 5"
    assert _cli(demo_url, "policy", "show") == 0
    assert "expires_days     5" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "self_approval", "off", "--as", "marta"), "only a lead can change the approval policy"),
        (("set", "trainee", "sometimes", "--as", "lucia"), "trainee: expected on or off"),
        (("set", "trainee", "on"), "who changes it?"),
    ],
)
def test_bad_changes_exit_2_with_one_line(
    demo_url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert _cli(demo_url, "policy", *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _cli(demo_url, "policy", "--json") == 0
    assert json.loads(capsys.readouterr().out)["self_approval"] == "on"  # nothing changed


def test_a_trainees_approval_waits_then_a_lead_queues_it(
    demo_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _cli(demo_url, "items", "--status", "new", "--json") == 0
    item = next(
        i for i in json.loads(capsys.readouterr().out)["items"] if i["channel"] == "email" and not i["escalated"]
    )
    assert _cli(demo_url, "config", "set", "user.name", "leo") == 0
    assert _cli(demo_url, "draft", str(item["id"])) == 0
    capsys.readouterr()
    assert _cli(demo_url, "show", str(item["id"]), "--json") == 0
    draft_id = json.loads(capsys.readouterr().out)["draft"]["id"]
    body = "Subject: Re: Mondays\n\nHi Ben,\n\nThanks for asking about Mondays. Leo has your note.\n\nWarmly,\nLeo\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(body))
    assert _cli(demo_url, "revise", str(draft_id), "--as", "leo") == 0
    digest = capsys.readouterr().out.strip()
    assert _cli(demo_url, "approve", str(draft_id), "--hash", digest, "--as", "leo") == 0
    out, err = capsys.readouterr()
    assert out == "" and "needs a second approver" in err and "trainee" in err
    assert _cli(demo_url, "show", str(item["id"]), "--json") == 0
    waiting = json.loads(capsys.readouterr().out)["draft"]["waiting_for"]
    assert "second approver" in waiting and "trainee" in waiting
    assert _cli(demo_url, "approve", str(draft_id), "--hash", digest, "--as", "lucia") == 0
    assert capsys.readouterr().out.strip().isdigit()
    assert _cli(demo_url, "show", str(item["id"]), "--json") == 0
    assert json.loads(capsys.readouterr().out)["draft"]["waiting_for"] == ""
