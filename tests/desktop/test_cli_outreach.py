"""`latido outreach new|show`: the contract scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from storage.hashing import content_hash

BRIEF = (
    "[en]\nFrom January every bag also comes in 500 g.\n[es]\nDesde enero todas las bolsas vienen también de 500 g.\n"
)
DRAFT_KEYS = {"draft_id", "customer_id", "language", "text", "hash", "sameness", "findings"}


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    return path


def test_new_then_show_json(demo_url: str, brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--database-url", demo_url, "outreach", "new", "--brief", str(brief), "--as", "marta"]
    assert main([*args, "--customers", "C-1001,C-1023", "--purpose", "check_in", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["total"] == made["drafted"] == 2 and made["failed"] == []
    drafts = made["drafts"]
    assert [d["customer_id"] for d in drafts] == ["C-1001", "C-1023"]
    assert [d["language"] for d in drafts] == ["es", "en"]
    for d in drafts:
        assert set(d) >= DRAFT_KEYS
        assert d["hash"] == content_hash(d["subject"], d["text"])
        for f in d["findings"]:
            assert set(f) == {"code", "severity", "start", "end", "message", "suggestion"}
    assert "Nayra" in drafts[0]["text"] and "500 g" in drafts[1]["text"]

    assert main(["--database-url", demo_url, "outreach", "show", str(made["batch_id"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(d["draft_id"], d["hash"]) for d in shown["drafts"]] == [(d["draft_id"], d["hash"]) for d in drafts]
    assert shown["purpose"] == "check_in" and shown["author"] == "marta"


def test_filter_and_plain_output(demo_url: str, brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--database-url", demo_url, "outreach", "new", "--brief", str(brief), "--as", "marta"]
    assert main([*args, "--filter", "plan=Enterprise language=en", "--channel", "dm"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("batch ") and "hash " in out
    assert main(["--database-url", demo_url, "outreach", "show", "1"]) == 0
    assert "approved as drafted 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--filter", "plan=Pro colour=red"], "bad filter term 'colour=red'"),
        (["--filter", "plan=Nothing"], "no customer matches the filter"),
        (["--customers", "C-1001,NOPE-1"], "unknown customer id: NOPE-1"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    demo_url: str, brief: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    args = ["--database-url", demo_url, "outreach", "new", "--brief", str(brief), "--as", "marta", "--json"]
    assert main([*args, *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    # Nothing was recorded: no batch 1 exists.
    assert main(["--database-url", demo_url, "outreach", "show", "1", "--json"]) == 2
    assert "no outreach batch 1" in capsys.readouterr().err


def test_missing_or_empty_brief_and_unknown_user(
    demo_url: str, tmp_path: Path, brief: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--database-url", demo_url, "outreach", "new", "--customers", "C-1001"]
    assert main([*base, "--brief", str(tmp_path / "missing.txt"), "--as", "marta"]) == 2
    assert "cannot read the brief" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main([*base, "--brief", str(empty), "--as", "marta"]) == 2
    assert "is empty" in capsys.readouterr().err
    assert main([*base, "--brief", str(brief), "--as", "ghost"]) == 2
    assert "unknown user 'ghost'" in capsys.readouterr().err
