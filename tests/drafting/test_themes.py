"""Comment themes: recurring topics across incoming messages, in both languages, with examples and a trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from drafting.themes import (
    Cancelled,
    Message,
    find_themes,
    incoming_messages,
    snippet,
    themes_between,
    tokens,
)
from storage.database import Database
from storage.demo import load_demo_files, seed_demo
from storage.models import Customer, Interaction

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
WEEK = timedelta(days=7)


def _keys(text: str) -> list[str]:
    return [key for key, _ in tokens(text)]


def test_words_that_mean_the_same_in_both_languages_share_a_key() -> None:
    assert _keys("No me deja iniciar sesión desde la actualización") == ["deja", "login", "update"]
    assert _keys("Logged out again since the update!!") == ["login", "update"]
    assert "price" in _keys("¿Los precios nuevos?") and "price" in _keys("The new pricing page")


def test_links_handles_numbers_and_stopwords_carry_no_topic() -> None:
    text = "@cafealba see https://alba.example/p?x=1 order A-48213 costs $34 and the hola gracias"
    assert _keys(text) == ["order", "cost"]


def test_a_snippet_is_one_short_line() -> None:
    assert snippet("Hola,\n\n  ¿qué tal?  ") == "Hola, ¿qué tal?"
    long = snippet("palabra " * 100)
    assert len(long) == 140 and long.endswith("…")


def _messages() -> list[Message]:
    texts = [
        # Delivery to the Canary Islands, in both languages, over two weeks.
        ("¿Por qué tarda tanto el envío a Canarias?", 10),
        ("Mi pedido a Canarias lleva diez días de envío", 9),
        ("Shipping to the Canary Islands takes forever", 3),
        ("Is shipping to Canarias always this slow?", 2),
        ("Otro retraso en el envío a Canarias", 1),
        # The decaf, in both languages.
        ("¿El descafeinado es con agua o con químicos?", 8),
        ("How is your decaf made? Water process?", 2),
        ("Is the decaf process chemical free?", 1),
        # One-offs.
        ("Loved the tasting notes card, thank you", 4),
        ("¿Tenéis tazas a la venta?", 3),
    ]
    return [
        Message(id=i + 1, channel="comment", occurred_at=NOW - timedelta(days=ago), text=text)
        for i, (text, ago) in enumerate(texts)
    ]


def test_themes_gather_both_languages_with_examples_and_a_weekly_trend() -> None:
    report = find_themes(_messages(), since=NOW - 2 * WEEK, until=NOW)
    assert report.messages == 10
    assert report.periods == (
        datetime(2026, 11, 9, tzinfo=UTC),
        datetime(2026, 11, 16, tzinfo=UTC),
        datetime(2026, 11, 23, tzinfo=UTC),
    )
    assert [t.message_ids for t in report.themes] == [(1, 2, 3, 4, 5), (6, 7, 8)]
    shipping, decaf = report.themes
    assert shipping.volume == 5 and shipping.trend == (1, 2, 2)
    assert decaf.volume == 3 and decaf.trend == (0, 1, 2)
    assert "canarias" in shipping.phrases or "canarias" in shipping.label
    assert "decaf" in decaf.label or "descafeinado" in decaf.label
    assert {e.interaction_id for e in shipping.examples} <= set(shipping.message_ids)
    example = next(e for e in decaf.examples if e.interaction_id == 7)
    assert (example.channel, example.snippet) == ("comment", "How is your decaf made? Water process?")


def test_no_messages_no_themes_and_progress_reaches_the_end() -> None:
    report = find_themes([], since=NOW - WEEK, until=NOW)
    assert report.themes == () and report.messages == 0 and len(report.periods) == 2
    seen: list[tuple[int, int]] = []
    find_themes(_messages(), since=NOW - 2 * WEEK, until=NOW, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)


def test_a_cancelled_computation_stops() -> None:
    with pytest.raises(Cancelled):
        find_themes(_messages(), since=NOW - 2 * WEEK, until=NOW, cancelled=lambda: True)


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def test_only_incoming_written_messages_of_the_period_are_read(demo: Database) -> None:
    with demo.session() as s:
        messages = incoming_messages(s, since=NOW - WEEK, until=NOW + timedelta(seconds=1))
        rows = {r.id: r for r in s.exec(select(Interaction).where(col(Interaction.id).in_([m.id for m in messages])))}
    assert messages and all(rows[m.id].direction == "in" and rows[m.id].channel != "call" for m in messages)
    assert all(NOW - WEEK <= m.occurred_at <= NOW for m in messages)
    assert [m.occurred_at for m in messages] == sorted(m.occurred_at for m in messages)
    email = next(m for m in messages if rows[m.id].subject)
    assert email.text.startswith(rows[email.id].subject + "\n")


def test_the_demos_two_comment_themes_are_found_with_their_examples(demo: Database) -> None:
    themes_by_id: dict[str, set[int]] = {}
    with demo.session() as s:
        for spec in load_demo_files().themes:
            found = s.exec(select(Interaction.id).where(Interaction.source_id == f"demo-{spec['id']}")).one()
            themes_by_id.setdefault(spec["theme"], set()).add(int(found))
        report = themes_between(s, since=NOW - WEEK, until=NOW + timedelta(seconds=1))
        assert s.exec(select(Customer)).first() is not None
    pricing, login = themes_by_id["new-pricing"], themes_by_id["app-login"]
    assert len(pricing) == len(login) == 7
    top = report.themes[:2]
    by_topic = {
        "pricing": next(t for t in top if len(pricing & set(t.message_ids)) >= 6),
        "login": next(t for t in top if set(t.message_ids) == login),
    }
    assert "price" in by_topic["pricing"].label and "login" in by_topic["login"].label
    for name, theme in by_topic.items():
        wanted = pricing if name == "pricing" else login
        assert len(theme.examples) == 5
        assert {e.interaction_id for e in theme.examples} <= wanted, name
        assert sum(theme.trend) == theme.volume == len(theme.message_ids)
