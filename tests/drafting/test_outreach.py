"""Outreach batches: choosing customers, personal drafts from real history, sameness, the review queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from drafting.approval import approve, reject
from drafting.context import guess_language
from drafting.drafts import revise_draft
from drafting.outreach import (
    SAMENESS_THRESHOLD,
    Brief,
    OutreachError,
    batch_drafts,
    batch_findings,
    batch_summary,
    create_batch,
    draft_batch,
    frame_free,
    list_batches,
    parse_filter,
    recompute_sameness,
    sameness_scores,
    select_customers,
    skip,
)
from drafting.outreach_composer import usage_terms
from drafting.providers.base import CancelToken
from storage.database import Database
from storage.demo import load_demo_files
from storage.models import AuditEvent, Customer, Draft, Interaction, OutboxMessage, User
from storage.workitems import refresh_work_items

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FIRST = {
    "es": [
        "Lucía",
        "Mateo",
        "Nerea",
        "Iker",
        "Julia",
        "Bruno",
        "Olga",
        "Ramón",
        "Itziar",
        "Gael",
        "Aitana",
        "Saúl",
        "Noelia",
        "Fermín",
        "Leire",
        "Íñigo",
        "Triana",
        "Ulises",
        "Candela",
        "Rodrigo",
        "Begoña",
        "Germán",
        "Alba",
        "Quique",
        "Zaida",
    ],
    "en": [
        "Harriet",
        "Declan",
        "Imogen",
        "Rufus",
        "Tabitha",
        "Felix",
        "Ivy",
        "Otis",
        "Matilda",
        "Jasper",
        "Wren",
        "Hugo",
        "Esme",
        "Barnaby",
        "Flora",
        "Ezra",
        "Rosalind",
        "Cormac",
        "Delphine",
        "Angus",
        "Maisie",
        "Crispin",
        "Philippa",
        "Rowan",
        "Beatrix",
    ],
}
SURNAMES = [
    "Abad",
    "Beltrán",
    "Cano",
    "Duarte",
    "Escobar",
    "Ferrer",
    "Galindo",
    "Herrero",
    "Ibarra",
    "Jurado",
    "Lozano",
    "Marín",
]
PRODUCTS = ("Huila", "Sidamo", "Chemex", "Aeropress", "Yirgacheffe", "Tarrazú", "Cerrado", "Kalita")
NORMAL_BRIEF = (
    "[en]\nFrom January every bag also comes in 500 g.\nMention what they use most. No discounts.\n"
    "[es]\nDesde enero todas las bolsas vienen también de 500 g.\nMenciona lo que más usan. Nada de descuentos.\n"
)
TEMPLATE_BRIEF = (
    "[en]\nWe are changing our prices from the first of January. Basic moves to a new monthly price and Pro "
    "gets more coffee per month. Existing subscribers keep everything they have today until their next renewal, "
    "and nothing changes in how deliveries work. You can see every plan and every price on our website, and you "
    "can change plan at any moment from your profile page in the app without losing your history.\n"
    "[es]\nCambiamos nuestros precios a partir del uno de enero. Basic pasa a un nuevo precio mensual y Pro trae "
    "más café cada mes. Quienes ya estáis suscritos conserváis todo lo que tenéis hoy hasta la próxima renovación, "
    "y no cambia nada en cómo funcionan los envíos. Puedes ver todos los planes y precios en nuestra web, y puedes "
    "cambiar de plan en cualquier momento desde tu perfil en la app sin perder tu historial.\n"
)


def _seed(db: Database, count: int = 200) -> list[Customer]:
    """`count` customers in EN/ES with histories built from the demo's own exchanges, each with its own order."""
    filler = load_demo_files().filler
    with db.write() as session:
        session.add(User(name="marta", display_name="Marta", role="agent"))
        session.add(User(name="leo", display_name="Leo", role="lead"))
        customers: list[Customer] = []
        for n in range(count):
            lang = "es" if n % 2 else "en"
            first = FIRST[lang][n // 2 % len(FIRST[lang])]
            name = f"{first} {SURNAMES[n // 50 % len(SURNAMES)]} {SURNAMES[n % len(SURNAMES)]}-{n}"
            customer = Customer(
                customer_id=f"T-{n:04d}",
                name=name,
                email=f"cliente{n}@example.com",
                language=lang,
                plan=("Basic", "Pro", "Enterprise")[n % 3],
                tags="vip" if n % 7 == 0 else "",
                timezone="Europe/Madrid" if lang == "es" else "Europe/London",
                created_at=NOW - timedelta(days=30 + 9 * n),
            )
            session.add(customer)
            customers.append(customer)
        session.flush()
        for n, customer in enumerate(customers):
            lang = customer.language
            exchanges = filler[lang]["exchanges"]
            exchange = exchanges[n % len(exchanges)]
            product = PRODUCTS[n % len(PRODUCTS)]
            order = f"A-{70000 + n}"
            days = 2 + n % 40
            when = NOW - timedelta(days=days)
            ask = (
                f"Mi pedido {order} con el {product} todavía no ha llegado, ¿me decís algo?"
                if lang == "es"
                else f"My order {order} with the {product} still hasn't arrived, can you check?"
            )
            rows = [
                ("in", exchange["channel"], exchange["in"].get("subject", ""), exchange["in"]["body"], when),
                (
                    "out",
                    exchange["channel"],
                    "",
                    exchange["out"]["body"].replace("{first}", customer.name.split()[0]).replace("{agent}", "Marta"),
                    when,
                ),
                ("in", "email", order, ask, when + timedelta(hours=3)),
            ]
            for k, (direction, channel, subject, body, at) in enumerate(rows):
                session.add(
                    Interaction(
                        source_id=f"t-{n}-{k}",
                        customer_id=int(customer.id or 0),
                        channel=channel,
                        direction=direction,
                        occurred_at=at,
                        subject=subject,
                        body=body,
                        author=customer.name if direction == "in" else "marta",
                    )
                )
        session.flush()
        refresh_work_items(session)
    return customers


def _batch(db: Database, brief: str, customers: list[Customer], purpose: str = "announcement") -> int:
    return create_batch(db, author="marta", brief=Brief(purpose, brief), customers=[int(c.id or 0) for c in customers])


def test_a_200_customer_batch_is_personal_in_every_draft(db: Database) -> None:
    customers = _seed(db)
    batch_id = _batch(db, NORMAL_BRIEF, customers)
    seen: list[tuple[int, int]] = []
    result = draft_batch(db, batch_id=batch_id, now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert (result.done, result.total, result.cancelled, result.failed) == (200, 200, False, [])
    assert seen[0] == (0, 200) and seen[-1] == (200, 200)
    by_id = {c.customer_id: c for c in customers}
    with db.session() as session:
        drafts = batch_drafts(session, batch_id=batch_id)
    assert len(drafts) == 200 and len({d.customer_id for d in drafts}) == 200
    for draft in drafts:
        customer = by_id[draft.customer_id]
        n = int(customer.customer_id.split("-")[1])
        assert customer.name.split()[0] in draft.text
        assert draft.language == customer.language
        assert guess_language(draft.text) == customer.language, draft.text
        assert draft.state == "pending" and len(draft.hash) == 64
        # Its own facts: the plan and the order from its own history.
        assert customer.plan in draft.text or f"A-{70000 + n}" in draft.text, draft.text
        assert not [f for f in draft.findings if "nothing specific" in f.message], draft.text
        for other in customers:
            if other.customer_id == customer.customer_id:
                continue
            m = int(other.customer_id.split("-")[1])
            assert other.name not in draft.text and other.email not in draft.text
            assert not re.search(rf"\bA-{70000 + m}\b", draft.text)
    # With a short brief the drafts are personal, so "reads like a template" is rare enough to mean something.
    templated = [d for d in drafts if any(f.message.startswith("reads like a template") for f in d.findings)]
    assert len(templated) <= 20, [d.text for d in templated[:3]]
    assert sorted(d.sameness or 0.0 for d in drafts)[100] < 0.5
    # The batch's own brief passes on its point, in each language, without the writer's directives.
    assert all(("500 g" in d.text) for d in drafts)
    assert not any("Nada de descuentos" in d.text or "No discounts" in d.text for d in drafts)


def test_a_template_like_brief_gets_mass_email_findings(db: Database) -> None:
    customers = _seed(db, count=40)
    batch_id = _batch(db, TEMPLATE_BRIEF, customers)
    draft_batch(db, batch_id=batch_id, now=NOW)
    personal_id = _batch(db, NORMAL_BRIEF, customers)
    draft_batch(db, batch_id=personal_id, now=NOW)
    with db.session() as session:
        drafts = batch_drafts(session, batch_id=batch_id)
        personal = batch_drafts(session, batch_id=personal_id)
        # The same customers with a short brief share less: the long brief copied into every draft is the template.
        median = sorted(d.sameness or 0.0 for d in drafts)[20]
        assert median > sorted(d.sameness or 0.0 for d in personal)[20] + 0.1
        flagged = [d for d in drafts if any(f.code == "mass_email" for f in d.findings)]
        assert len(flagged) >= 36
        message = next(f.message for f in flagged[0].findings if f.code == "mass_email")
        assert re.fullmatch(r"reads like a template: \d+% identical to \d+ others?", message)
        # The gate's view of one draft agrees with the queue's.
        draft = session.get(Draft, flagged[0].draft_id)
        assert draft is not None
        codes = [f.code for f in batch_findings(session, draft=draft, body=flagged[0].text)]
        assert "mass_email" in codes
        # A text with nothing about the customer says so, even when it is unique.
        generic = batch_findings(session, draft=draft, body="Hello there,\n\nWe moved our office to a new street.")
        assert any("says nothing specific" in f.message for f in generic)
        summary = batch_summary(session, batch_id=batch_id)
    assert sum(summary.sameness_histogram) == 40 and sum(summary.sameness_histogram[6:]) >= 36


def test_cancel_mid_batch_then_resume(db: Database) -> None:
    customers = _seed(db, count=30)
    batch_id = _batch(db, NORMAL_BRIEF, customers, purpose="check_in")
    cancel = CancelToken()

    def stop_at_ten(done: int, total: int) -> None:
        if done >= 10:
            cancel.cancel()

    first = draft_batch(db, batch_id=batch_id, cancel=cancel, progress=stop_at_ten, now=NOW)
    assert first.cancelled and first.done == 10 and first.total == 30
    with db.session() as session:
        assert batch_summary(session, batch_id=batch_id).pending == 30
    second = draft_batch(db, batch_id=batch_id, now=NOW)
    assert (second.done, second.cancelled) == (30, False)
    with db.session() as session:
        rows = session.exec(select(Draft.customer_id).where(Draft.batch_id == batch_id)).all()
    assert sorted(rows) == sorted(int(c.id or 0) for c in customers)
    again = draft_batch(db, batch_id=batch_id, now=NOW)
    assert again.done == 30  # nothing is drafted twice


def test_review_states_and_history_for_leads(db: Database) -> None:
    customers = _seed(db, count=6)
    batch_id = _batch(db, NORMAL_BRIEF, customers, purpose="follow_up")
    draft_batch(db, batch_id=batch_id, now=NOW)
    with db.session() as session:
        drafts = batch_drafts(session, batch_id=batch_id)
    first, second, third = drafts[0], drafts[1], drafts[2]
    edited = re.sub(r"\s*\[\[to confirm:[^\]]*\]\]", "", first.text)
    outcome = revise_draft(db, draft_id=first.draft_id, body=edited, author="marta")
    approve(db, draft_id=first.draft_id, content_hash=outcome.content_hash or "", approver="leo", now=NOW)
    skip(db, draft_id=second.draft_id, actor="marta")
    reject(db, draft_id=third.draft_id, reviewer="leo", reason="not for this customer", now=NOW)
    with pytest.raises(OutreachError, match="already"):
        skip(db, draft_id=third.draft_id, actor="marta")
    with pytest.raises(OutreachError, match="unknown user"):
        skip(db, draft_id=second.draft_id, actor="nobody")
    recompute_sameness(db, batch_id=batch_id)
    with db.session() as session:
        states = {d.draft_id: d.state for d in batch_drafts(session, batch_id=batch_id)}
        summary = batch_summary(session, batch_id=batch_id)
        listed = list_batches(session)
        events = session.exec(select(AuditEvent.action).where(AuditEvent.action == "outreach.skipped")).all()
        queued = session.exec(select(OutboxMessage.draft_id)).all()
    assert (states[first.draft_id], states[second.draft_id], states[third.draft_id]) == (
        "approved",
        "skipped",
        "rejected",
    )
    assert (summary.edited, summary.approved_as_drafted, summary.skipped, summary.rejected, summary.pending) == (
        1,
        0,
        1,
        1,
        3,
    )
    assert summary.author == "marta" and [b.id for b in listed] == [batch_id]
    assert list(events) == ["outreach.skipped"] and list(queued) == [first.draft_id]
    # Editing a skipped draft is acting on it: it is pending again.
    revise_draft(db, draft_id=second.draft_id, body=second.text + "\n\nP.S. Gracias.", author="marta")
    with db.session() as session:
        assert {d.draft_id: d.state for d in batch_drafts(session, batch_id=batch_id)}[second.draft_id] == "pending"


def test_choosing_customers_by_id_and_filter(db: Database) -> None:
    customers = _seed(db, count=12)
    with db.session() as session:
        picked = select_customers(session, ids=["T-0003,T-0001", "T-0003"])
        assert [p.customer_id for p in picked] == ["T-0003", "T-0001"]
        with pytest.raises(OutreachError, match="unknown customer ids: X-1, X-2"):
            select_customers(session, ids=["T-0001,X-1,X-2"])
        pro_es = select_customers(session, filter_expr="plan=pro language=ES")
        assert {p.customer_id for p in pro_es} == {
            c.customer_id for c in customers if c.plan == "Pro" and c.language == "es"
        }
        vip = select_customers(session, filter_expr="tag=vip open_issue=yes")
        assert {p.customer_id for p in vip} == {"T-0000", "T-0007"}
        recent = select_customers(session, filter_expr=f"last_contact>{(NOW - timedelta(days=5)).date()}")
        assert recent and all(p.last_contact and p.last_contact > NOW - timedelta(days=6) for p in recent)
        older = select_customers(session, filter_expr=f"last_contact<{(NOW - timedelta(days=5)).date()}")
        assert {p.customer_id for p in recent}.isdisjoint({p.customer_id for p in older})
        assert len(recent) + len(older) == 12


@pytest.mark.parametrize(
    ("expr", "named"),
    [
        ("plan=Pro colour=red", "'colour=red'"),
        ("plan", "'plan'"),
        ("last_contact=2026-01-01", "'last_contact=2026-01-01'"),
        ("last_contact<yesterday", "'last_contact<yesterday'"),
        ("open_issue=maybe", "'open_issue=maybe'"),
        ("plan<Pro", "'plan<Pro'"),
        ('plan="Pro', "bad filter"),
    ],
)
def test_a_bad_filter_names_the_bad_term(expr: str, named: str) -> None:
    with pytest.raises(OutreachError) as caught:
        parse_filter(expr)
    assert named in str(caught.value) and "\n" not in str(caught.value)


def test_parse_filter_reads_every_field() -> None:
    parsed = parse_filter(
        'plan="Pro Plus" language=es owner=ana last_contact<2026-10-01 tag=vip tag=Beta open_issue=no'
    )
    assert (parsed.plan, parsed.language, parsed.owner, parsed.tags, parsed.open_issue) == (
        "Pro Plus",
        "es",
        "ana",
        ("vip", "beta"),
        False,
    )
    assert parsed.last_contact_before == datetime(2026, 10, 1, tzinfo=UTC)


def test_bad_batch_requests_are_refused(db: Database) -> None:
    customers = _seed(db, count=2)
    ids = [int(c.id or 0) for c in customers]
    with pytest.raises(OutreachError, match="unknown purpose"):
        create_batch(db, author="marta", brief=Brief("spam", "x"), customers=ids)
    with pytest.raises(OutreachError, match="unknown channel"):
        create_batch(db, author="marta", brief=Brief("renewal", "x", channel="fax"), customers=ids)
    with pytest.raises(OutreachError, match="no customers"):
        create_batch(db, author="marta", brief=Brief("renewal", "x"), customers=[])
    with pytest.raises(OutreachError, match="unknown user"):
        create_batch(db, author="ghost", brief=Brief("renewal", "x"), customers=ids)
    with pytest.raises(OutreachError, match="window"):
        create_batch(db, author="marta", brief=Brief("renewal", "x"), customers=ids, window=(20, 9))
    with db.session() as session:
        assert list_batches(session) == []


def test_sameness_scores_are_shared_ngrams() -> None:
    base = "the quick brown fox jumps over the lazy dog near the river bank today"
    texts = [base, base, "completely different words about an entirely separate subject matter here", "short text"]
    scores = sameness_scores(texts)
    assert scores[0].score == 1.0 and scores[0].like_count == 1
    assert scores[2].score == 0.0 and scores[2].like_count == 0
    assert sameness_scores([base])[0].score == 0.0
    half = base + " and then " + " ".join(f"word{i}" for i in range(12))
    mixed = sameness_scores([base, half])
    assert 0.3 < mixed[1].score < 0.6 and mixed[0].score == 1.0
    assert sameness_scores(["", ""]) == [sameness_scores([""])[0]] * 2


def test_a_short_brief_point_is_free_but_a_pasted_brief_counts() -> None:
    point = "From January every bag also comes in 500 g."
    mine = ["Ana, your order A-1 with the Huila is late.", "Bo, the Chemex you asked about is back in stock."]
    short = sameness_scores([f"{m} {point}" for m in mine], brief=f"[en]\n{point}\nNo discounts.")
    assert [s.score for s in short] == [0.0, 0.0]
    # Without the brief, the same point is shared text like any other.
    assert min(s.score for s in sameness_scores([f"{m} {point}" for m in mine])) > 0.2
    pasted = " ".join(TEMPLATE_BRIEF.split("[es]", maxsplit=1)[0].split()[1:])
    long = sameness_scores([f"{m} {pasted}" for m in mine], brief=TEMPLATE_BRIEF)
    assert all(s.score >= SAMENESS_THRESHOLD and s.like_count == 1 for s in long)


def test_greeting_signature_and_gaps_are_not_compared() -> None:
    body = "Hi Ana,\n\nYour order A-1 is late: [[to confirm: where it stands now]] Sorry.\n\nBest,\nThe team"
    assert frame_free(body, "Best,\nThe team").split() == ["Your", "order", "A-1", "is", "late:", "Sorry."]
    assert frame_free("¡Hola, Ana! Tu pedido A-1 llega hoy.", "") == " Tu pedido A-1 llega hoy."


def test_what_they_use_most_is_a_product_not_a_place() -> None:
    texts = [
        "Vivo en Las Palmas de Gran Canaria y mi pedido con el Chemex no llega.",
        "Otra vez a Las Palmas tarde. El Chemex sigue sin llegar, y el NIF de la factura está mal.",
        "Do you ship to Andorra? I use a Kalita at home, and the Kalita filters from you.",
    ]
    assert usage_terms(texts[:2], limit=3) == ("Chemex",)
    assert usage_terms(texts[2:], limit=3) == ("Kalita",)
