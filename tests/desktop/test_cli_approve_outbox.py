"""`latido approve` and `latido outbox`: exit codes, printed ids and one-line reasons."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import keyring
import pytest

from desktop.cli import main
from tests.servers.smtp import SmtpServer

BODY = "Subject: Re: Mondays\n\nHi Ben,\n\nThanks for asking about Mondays. Marta has your note.\n\nWarmly,\nMarta\n"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _cli(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


def _draft(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """A new email draft revised by a person: (draft id, its hash)."""
    assert _cli(url, "items", "--status", "new", "--json") == 0
    item = next(
        i for i in json.loads(capsys.readouterr().out)["items"] if i["channel"] == "email" and not i["escalated"]
    )
    assert _cli(url, "draft", str(item["id"])) == 0
    capsys.readouterr()
    assert _cli(url, "show", str(item["id"]), "--json") == 0
    draft_id = json.loads(capsys.readouterr().out)["draft"]["id"]
    monkeypatch.setattr("sys.stdin", io.StringIO(BODY))
    assert _cli(url, "revise", str(draft_id), "--as", "marta") == 0
    return draft_id, capsys.readouterr().out.strip()


def _configure(port: int) -> None:
    for key, value in (("smtp.host", "127.0.0.1"), ("smtp.port", str(port)), ("smtp.security", "none")):
        assert main(["config", "set", key, value]) == 0
    assert main(["config", "set", "smtp.from", "hola@cafealba.example"]) == 0


def test_approve_then_send(
    demo_url: str, smtp: SmtpServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id, digest = _draft(demo_url, capsys, monkeypatch)
    assert _cli(demo_url, "approve", str(draft_id), "--hash", digest, "--as", "lucia") == 0
    outbox_id = int(capsys.readouterr().out.strip())
    _configure(smtp.port)
    capsys.readouterr()
    assert _cli(demo_url, "outbox", "send", "--once") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{outbox_id}\tsent\t")
    assert out[-1].startswith("1 sent, 0 retry, 0 failed")
    assert len(smtp.messages()) == 1
    assert _cli(demo_url, "outbox", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)["outbox"]
    mine = next(r for r in rows if r["id"] == outbox_id)
    assert (mine["state"], mine["hash"]) == ("sent", digest)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--hash", "f" * 64, "--as", "lucia"], "not the current revision"),
        (["--as", "nobody", "--hash", "HASH"], "unknown user 'nobody'"),
        (["--hash", "HASH"], "who approves"),
    ],
)
def test_refused_approvals_are_exit_2_with_one_line(
    demo_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    reason: str,
) -> None:
    draft_id, digest = _draft(demo_url, capsys, monkeypatch)
    args = [digest if a == "HASH" else a for a in args]
    assert _cli(demo_url, "approve", str(draft_id), *args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert reason in captured.err and captured.err.count("\n") == 1


def test_uncertain_send_is_exit_1_until_a_person_resolves_it(
    demo_url: str, smtp: SmtpServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id, digest = _draft(demo_url, capsys, monkeypatch)
    assert _cli(demo_url, "approve", str(draft_id), "--hash", digest, "--as", "lucia") == 0
    outbox_id = int(capsys.readouterr().out.strip())
    _configure(smtp.port)
    smtp.faults.drop_after_data = 1
    capsys.readouterr()
    assert _cli(demo_url, "outbox", "send", "--once") == 1
    assert f"{outbox_id}\tuncertain" in capsys.readouterr().out
    assert _cli(demo_url, "outbox", "resolve", str(outbox_id), "--mark-sent") == 2
    assert "who decides" in capsys.readouterr().err
    assert _cli(demo_url, "outbox", "resolve", str(outbox_id), "--mark-sent", "--as", "lucia") == 0
    assert capsys.readouterr().out.strip() == f"{outbox_id}\tsent"
    assert _cli(demo_url, "outbox", "resolve", str(outbox_id), "--send-again", "--as", "lucia") == 2
    assert "only an uncertain message" in capsys.readouterr().err
    assert len(smtp.messages()) == 1


def test_send_needs_a_mail_server_and_a_keyring_password(
    demo_url: str, smtp: SmtpServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _cli(demo_url, "outbox", "send", "--once") == 2
    assert "smtp.host" in capsys.readouterr().err
    draft_id, digest = _draft(demo_url, capsys, monkeypatch)
    assert _cli(demo_url, "approve", str(draft_id), "--hash", digest, "--as", "lucia") == 0
    _configure(smtp.port)
    assert main(["config", "set", "smtp.user", "hola@cafealba.example"]) == 0
    capsys.readouterr()
    assert _cli(demo_url, "outbox", "send", "--once") == 1
    assert "latido secret set smtp.password" in capsys.readouterr().out
    assert keyring.get_password("latido", "smtp.password") is None
