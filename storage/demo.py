"""The demo workspace: a bilingual (es/en) coffee roaster's customers, conversations and history.

The content lives in `assets/demo/*.json`; this module turns it into rows. Story
threads and history use times relative to `now`; ordinary filler is spread over
about six months with a fixed seed, so the same `now` always gives the same
workspace.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from storage.chain import append_review, append_revision, record_event
from storage.database import Database
from storage.location import assets_dir
from storage.models import (
    ApprovedReply,
    AuthorKind,
    Channel,
    Customer,
    CustomerHandle,
    Decision,
    Direction,
    Draft,
    FeedbackNote,
    Interaction,
    ItemStatus,
    OutboxMessage,
    OutboxState,
    RevisionKind,
    User,
    VoiceExample,
    VoiceGuide,
    WorkItem,
    utcnow,
)
from storage.workitems import refresh_work_items

SEED = 1729
HISTORY_DAYS = 182
OPEN_FILLER_ITEMS = 11
MAIL_DOMAIN = "cafealba.example"

Json = Mapping[str, Any]

_DATE_TOKEN = re.compile(r"\{date:([+-]\d+)\}")
_MONTHS = {
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_SOCIAL = ("instagram", "facebook", "x", "tiktok", "youtube", "linkedin")
_DM_NETWORKS = ("instagram", "facebook", "x", "tiktok", "linkedin")
_OPEN_STATUSES = (ItemStatus.NEW, ItemStatus.DRAFTING, ItemStatus.WAITING_APPROVAL, ItemStatus.CHANGES_REQUESTED)
# Replies in the filler come mostly from the agent; the trainee answers some; the lead reviews.
_FILLER_AUTHORS = ("marta", "marta", "leo")


class WorkspaceNotEmptyError(Exception):
    """The demo is only seeded into an empty workspace."""


@dataclass(frozen=True)
class DemoSummary:
    """What was seeded, for the command's one-line report."""

    customers: int
    interactions: int
    open_items: int
    users: tuple[str, ...]

    def line(self) -> str:
        """The one-line summary `latido demo` prints."""
        return (
            f"demo: {self.customers} customers, {self.interactions} interactions, "
            f"{self.open_items} open items, {len(self.users)} users ({', '.join(self.users)})"
        )


@dataclass(frozen=True)
class Triage:
    """A story message's triage, set in the files so the inbox tells the story on first open."""

    frustration: float
    escalate: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PlannedMessage:
    """One interaction to insert, with the demo's intent (`open`: it should wait for a reply)."""

    source_id: str
    customer_id: str
    channel: str
    direction: str
    occurred_at: datetime
    body: str
    subject: str = ""
    url: str = ""
    author: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    open: bool = False
    assignee: str = ""
    triage: Triage | None = None


@dataclass(frozen=True)
class DemoFiles:
    """The parsed JSON files of `assets/demo/`."""

    users: list[Json]
    customers: list[Json]
    threads: list[Json]
    themes: list[Json]
    filler: Json
    guides: list[Json]
    past_drafts: list[Json]
    drafts_in_progress: list[Json]
    feedback: list[Json]


@dataclass
class _Seeded:
    """Rows created so far, by their demo keys."""

    users: dict[str, User] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)


# -- reading the files -------------------------------------------------------------


def demo_dir() -> Path:
    return assets_dir() / "demo"


def _read(directory: Path, name: str) -> Any:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def load_demo_files(directory: Path | None = None) -> DemoFiles:
    """Read every demo file (the default folder is `assets/demo/`)."""
    folder = directory or demo_dir()
    history = _read(folder, "history.json")
    return DemoFiles(
        users=list(_read(folder, "users.json")),
        customers=list(_read(folder, "customers.json")),
        threads=list(_read(folder, "stories.json")["threads"]),
        themes=list(_read(folder, "themes.json")["comments"]),
        filler=_read(folder, "filler.json"),
        guides=list(_read(folder, "voice.json")["guides"]),
        past_drafts=list(history["past"]),
        drafts_in_progress=list(history["in_progress"]),
        feedback=list(_read(folder, "feedback.json")["notes"]),
    )


# -- small pure pieces ---------------------------------------------------------------


def ago(spec: Json) -> timedelta:
    """The sum of a spec's `days_ago`, `hours_ago` and `minutes_ago`."""
    return timedelta(
        days=int(spec.get("days_ago", 0)),
        hours=int(spec.get("hours_ago", 0)),
        minutes=int(spec.get("minutes_ago", 0)),
    )


def format_date(value: datetime, language: str) -> str:
    """A date as people write it in a message: `12 de marzo`, `March 12`."""
    if language == "es":
        return f"{value.day} de {_MONTHS['es'][value.month - 1]}"
    return f"{_MONTHS['en'][value.month - 1]} {value.day}"


def fill_dates(text: str, *, now: datetime, language: str) -> str:
    """Replace `{date:+14}` with the date 14 days after `now`, in the customer's language."""
    return _DATE_TOKEN.sub(lambda m: format_date(now + timedelta(days=int(m.group(1))), language), text)


def fill_template(text: str, values: Mapping[str, str]) -> str:
    """Replace `{first}`, `{order}`, `{agent}`…; plain replacement, so other braces stay."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _digest(source_id: str) -> bytes:
    return hashlib.sha256(source_id.encode("utf-8")).digest()


def post_url(network: str, handle: str, source_id: str) -> str:
    """A stable, plausible link to a public comment."""
    digest = _digest(source_id)
    code = base64.urlsafe_b64encode(digest).decode("ascii")[:11]
    number = str(int.from_bytes(digest[:8], "big"))[:19].rjust(19, "7")
    user = handle.lstrip("@")
    urls = {
        "instagram": f"https://www.instagram.com/p/{code}/",
        "facebook": f"https://www.facebook.com/cafealba/posts/{number}",
        "x": f"https://x.com/{user}/status/{number}",
        "tiktok": f"https://www.tiktok.com/@cafealba/video/{number}",
        "youtube": f"https://www.youtube.com/watch?v={code}",
        "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{number}/",
    }
    return urls.get(network, "")


def social_handles(customer: Json) -> list[tuple[str, str]]:
    """A customer's `network:@handle` entries as (network, handle) pairs."""
    pairs = []
    for entry in customer.get("handles", []):
        network, _, handle = str(entry).partition(":")
        pairs.append((network, handle))
    return pairs


def _handle_on(customer: Json, network: str) -> str:
    for net, handle in social_handles(customer):
        if net == network:
            return handle
    raise ValueError(f"demo customer {customer['customer_id']} has no {network} handle")


def _mail_id(source_id: str) -> str:
    return f"<{source_id}@{MAIL_DOMAIN}>"


def _first_name(customer: Json) -> str:
    return str(customer["name"]).split()[0]


def _triage(spec: Json | None) -> Triage | None:
    if not spec:
        return None
    return Triage(float(spec["frustration"]), bool(spec["escalate"]), tuple(str(r) for r in spec["reasons"]))


# -- planning the interactions -------------------------------------------------------


def _message(
    spec: Json,
    *,
    source_id: str,
    customer: Json,
    when: datetime,
    now: datetime,
    in_reply_to: str = "",
) -> PlannedMessage:
    """One planned interaction from a story, theme or history spec."""
    language = str(customer["language"])
    channel = str(spec.get("channel", Channel.COMMENT.value))
    direction = str(spec.get("direction", Direction.IN.value))
    network = str(spec.get("network", ""))
    author = str(spec.get("author", ""))
    url = ""
    if channel in (Channel.COMMENT, Channel.DM) and network:
        handle = _handle_on(customer, network)
        author = author or handle
        url = post_url(network, handle, source_id) if channel == Channel.COMMENT else ""
    author = author or str(customer["name"])
    return PlannedMessage(
        source_id=source_id,
        customer_id=str(customer["customer_id"]),
        channel=channel,
        direction=direction,
        occurred_at=when,
        subject=fill_dates(str(spec.get("subject", "")), now=now, language=language),
        body=fill_dates(str(spec["body"]), now=now, language=language),
        url=url,
        author=author,
        message_id=_mail_id(source_id) if channel == Channel.EMAIL else "",
        in_reply_to=in_reply_to,
        open=bool(spec.get("open", False)),
        assignee=str(spec.get("assignee", "")),
        triage=_triage(spec.get("triage")),
    )


def story_messages(files: DemoFiles, customers: Mapping[str, Json], now: datetime) -> list[PlannedMessage]:
    """The story threads, each message at its time relative to `now`."""
    planned = []
    for thread in files.threads:
        customer = customers[str(thread["customer_id"])]
        last_email = ""
        for spec in thread["messages"]:
            message = _message(
                spec,
                source_id=f"demo-{spec['id']}",
                customer=customer,
                when=now - ago(spec),
                now=now,
                in_reply_to=last_email if spec["channel"] == Channel.EMAIL else "",
            )
            last_email = message.message_id or last_email
            planned.append(message)
    return planned


def theme_messages(files: DemoFiles, customers: Mapping[str, Json], now: datetime) -> list[PlannedMessage]:
    """Public comments that share a theme; a few already have the team's reply under them."""
    planned = []
    for spec in files.themes:
        customer = customers[str(spec["customer_id"])]
        reply = spec.get("reply")
        comment = _message(
            {**spec, "channel": Channel.COMMENT.value, "open": reply is None},
            source_id=f"demo-{spec['id']}",
            customer=customer,
            when=now - ago(spec),
            now=now,
        )
        planned.append(comment)
        if reply is not None:
            answer = _message(
                {**reply, "channel": Channel.COMMENT.value, "direction": Direction.OUT.value},
                source_id=f"demo-{spec['id']}-reply",
                customer=customer,
                when=comment.occurred_at + timedelta(minutes=int(reply["minutes_after"])),
                now=now,
            )
            planned.append(replace(answer, url=comment.url))  # the reply sits under the same post
    return planned


# The timeline of one past, approved draft: received, drafted, edited, approved, sent.
_HISTORY_STEPS = {"ai": 6, "edit": 21, "approve": 34, "sent": 36}


def history_messages(files: DemoFiles, customers: Mapping[str, Json], now: datetime) -> list[PlannedMessage]:
    """The incoming message and the sent reply of each past approved draft."""
    planned = []
    for spec in files.past_drafts:
        customer = customers[str(spec["customer_id"])]
        received = now - ago(spec)
        base = {"channel": spec["channel"], "network": spec.get("network", "")}
        incoming = _message(
            {**base, **spec["incoming"]}, source_id=f"demo-{spec['id']}-in", customer=customer, when=received, now=now
        )
        sent = _message(
            {**base, **spec["final"], "direction": Direction.OUT.value, "author": spec["author"]},
            source_id=f"demo-{spec['id']}-out",
            customer=customer,
            when=received + timedelta(minutes=_HISTORY_STEPS["sent"]),
            now=now,
            in_reply_to=incoming.message_id,
        )
        planned += [incoming, replace(sent, url=incoming.url)]
    return planned


def _feasible(template: Json, customer: Json) -> bool:
    networks = {net for net, _ in social_handles(customer)}
    if template["channel"] == Channel.COMMENT:
        return bool(networks & set(_SOCIAL))
    if template["channel"] == Channel.DM:
        return bool(networks & set(_DM_NETWORKS))
    return True


def _pick_network(template: Json, customer: Json, rng: random.Random) -> str:
    allowed = _DM_NETWORKS if template["channel"] == Channel.DM else _SOCIAL
    choices = [net for net, _ in social_handles(customer) if net in allowed]
    return rng.choice(choices) if choices else ""


def open_filler(
    files: DemoFiles, customers: list[Json], busy: set[str], now: datetime, rng: random.Random
) -> list[PlannedMessage]:
    """A few everyday questions from the last three days that nobody has answered yet."""
    eligible = [c for c in customers if c["customer_id"] not in busy]
    planned = []
    for customer in rng.sample(eligible, OPEN_FILLER_ITEMS):
        pool = [t for t in files.filler[customer["language"]]["open"] if _feasible(t, customer)]
        template = rng.choice(pool)
        values = {"first": _first_name(customer), "order": f"A-{rng.randint(40000, 52999)}"}
        spec = {
            **template,
            "network": _pick_network(template, customer, rng),
            "subject": fill_template(str(template.get("subject", "")), values),
            "body": fill_template(str(template["body"]), values),
            "open": True,
        }
        when = now - timedelta(minutes=rng.randint(60, 70 * 60))
        planned.append(
            _message(spec, source_id=f"demo-open-{customer['customer_id']}", customer=customer, when=when, now=now)
        )
    return planned


def _filler_exchange(
    template: Json, customer: Json, *, when: datetime, source_id: str, now: datetime, rng: random.Random
) -> list[PlannedMessage]:
    """One answered exchange, or one call or note, from a filler template."""
    agent = rng.choice(_FILLER_AUTHORS)
    values = {
        "first": _first_name(customer),
        "order": f"A-{rng.randint(40000, 52999)}",
        "agent": agent.capitalize(),
    }
    network = _pick_network(template, customer, rng)
    if "in" not in template:  # a call or an internal note: context, nothing to answer
        spec = {
            **template,
            "subject": fill_template(str(template.get("subject", "")), values),
            "body": fill_template(str(template["body"]), values),
            "author": agent,
        }
        return [_message(spec, source_id=source_id, customer=customer, when=when, now=now)]
    subject = fill_template(str(template["in"].get("subject", "")), values)
    incoming = _message(
        {
            "channel": template["channel"],
            "network": network,
            "subject": subject,
            "body": fill_template(template["in"]["body"], values),
        },
        source_id=f"{source_id}-in",
        customer=customer,
        when=when,
        now=now,
    )
    reply = _message(
        {
            "channel": template["channel"],
            "network": network,
            "direction": Direction.OUT.value,
            "author": agent,
            "subject": f"Re: {subject}" if subject else "",
            "body": fill_template(template["out"]["body"], values),
        },
        source_id=f"{source_id}-out",
        customer=customer,
        when=when + timedelta(minutes=rng.randint(12, 20 * 60)),
        now=now,
        in_reply_to=incoming.message_id,
    )
    return [incoming, replace(reply, url=incoming.url)]


def _working_hours(start: datetime, days: int, rng: random.Random) -> datetime:
    """A random moment between 08:00 and 20:00 on one of the `days` days after `start`."""
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=1 + rng.randrange(days), minutes=rng.randint(8 * 60, 20 * 60))


def filler_messages(
    files: DemoFiles, customers: list[Json], cutoffs: Mapping[str, datetime], now: datetime, rng: random.Random
) -> list[PlannedMessage]:
    """Ordinary, answered conversations spread over the months before each customer's cutoff.

    Everything here is answered before the cutoff, so no filler reply can close an
    open story or theme message (a reply closes every earlier message on its channel).
    """
    planned: list[PlannedMessage] = []
    for customer in customers:
        cid = str(customer["customer_id"])
        start = max(now - timedelta(days=int(customer["created_days_ago"])), now - timedelta(days=HISTORY_DAYS))
        end = cutoffs.get(cid, now - timedelta(days=4)) - timedelta(days=1)
        # Two days of margin: a message may fall late on its day and its reply up to 20 hours later.
        days = (end - start).days - 2
        if days < 1:
            continue
        pool = files.filler[customer["language"]]
        exchanges = [t for t in pool["exchanges"] if _feasible(t, customer)]
        for n in range(rng.randint(2, 5)):
            template = rng.choice(pool["singles"]) if rng.random() < 0.2 else rng.choice(exchanges)
            when = _working_hours(start, days, rng)
            planned += _filler_exchange(template, customer, when=when, source_id=f"demo-f-{cid}-{n}", now=now, rng=rng)
    return planned


def plan_demo(files: DemoFiles, now: datetime) -> list[PlannedMessage]:
    """Every demo interaction, in time order; pure and deterministic for a given `now`."""
    rng = random.Random(SEED)  # noqa: S311  # reproducible demo content, not a secret
    by_id = {str(c["customer_id"]): c for c in files.customers}
    reserved = story_messages(files, by_id, now) + theme_messages(files, by_id, now)
    busy = {m.customer_id for m in reserved}
    reserved += open_filler(files, files.customers, busy, now, rng)
    cutoffs: dict[str, datetime] = {}
    for message in reserved:
        cutoffs[message.customer_id] = min(cutoffs.get(message.customer_id, message.occurred_at), message.occurred_at)
    planned = (
        reserved + history_messages(files, by_id, now) + filler_messages(files, files.customers, cutoffs, now, rng)
    )
    return sorted(planned, key=lambda m: (m.occurred_at, m.source_id))


# -- writing the rows ----------------------------------------------------------------

_CONTENT_TABLES: tuple[type[SQLModel], ...] = (
    User,
    Customer,
    Interaction,
    WorkItem,
    Draft,
    VoiceGuide,
    FeedbackNote,
)


def _has_rows(session: Session) -> bool:
    for model in _CONTENT_TABLES:
        if session.execute(sa.select(model.__table__.c.id).limit(1)).first() is not None:  # type: ignore[attr-defined]  # SQLModel table
            return True
    return False


def workspace_has_data(db: Database) -> bool:
    """Whether the workspace already holds users, customers, conversations or drafts."""
    with db.session() as session:
        return _has_rows(session)


def _add_users(session: Session, files: DemoFiles, now: datetime, seeded: _Seeded) -> None:
    for spec in files.users:
        user = User(
            name=spec["name"],
            display_name=spec["display_name"],
            role=spec["role"],
            email=spec["email"],
            language=spec["language"],
            signature=spec["signature"],
            created_at=now - timedelta(days=HISTORY_DAYS + 200),
        )
        session.add(user)
        seeded.users[user.name] = user
    session.flush()


def _handles(customer: Json) -> list[tuple[str, str]]:
    pairs = [("email", str(customer["email"]))] if customer.get("email") else []
    pairs += [("phone", str(customer["phone"]))] if customer.get("phone") else []
    return pairs + social_handles(customer)


def _add_customers(session: Session, files: DemoFiles, now: datetime, seeded: _Seeded) -> None:
    for spec in files.customers:
        customer = Customer(
            customer_id=spec["customer_id"],
            name=spec["name"],
            email=spec.get("email", ""),
            phone=spec.get("phone", ""),
            language=spec["language"],
            plan=spec.get("plan", ""),
            owner=spec.get("owner", ""),
            tags=spec.get("tags", ""),
            timezone=spec.get("timezone", ""),
            created_at=now - timedelta(days=int(spec["created_days_ago"])),
            imported_at=now,
        )
        session.add(customer)
        seeded.customers[customer.customer_id] = customer
    session.flush()
    for spec in files.customers:
        owner_id = _id(seeded.customers[spec["customer_id"]])
        session.add_all(CustomerHandle(customer_id=owner_id, network=n, handle=h) for n, h in _handles(spec))
    session.flush()


def _id(row: SQLModel) -> int:
    """The id of a flushed row (typed as int for the foreign keys that need it)."""
    value = getattr(row, "id", None)
    if value is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush first")
    return int(value)


def _add_interactions(session: Session, planned: Iterable[PlannedMessage], seeded: _Seeded) -> None:
    for message in planned:
        row = Interaction(
            source_id=message.source_id,
            customer_id=_id(seeded.customers[message.customer_id]),
            channel=message.channel,
            direction=message.direction,
            occurred_at=message.occurred_at,
            subject=message.subject,
            body=message.body,
            url=message.url,
            author=message.author,
            message_id=message.message_id,
            in_reply_to=message.in_reply_to,
            created_at=message.occurred_at,
        )
        session.add(row)
        seeded.interactions[message.source_id] = row
    session.flush()


def _shape_open_items(session: Session, planned: Iterable[PlannedMessage], seeded: _Seeded) -> None:
    """Give the new work items the demo's assignees and triage, and a deterministic updated_at."""
    by_interaction = {_id(seeded.interactions[m.source_id]): m for m in planned}
    for item in session.exec(select(WorkItem).where(WorkItem.status == ItemStatus.NEW.value)).all():
        message = by_interaction.get(item.interaction_id)
        if message is None:  # a filler reply missing or misplaced: the demo files need fixing
            raise RuntimeError(f"demo interaction {item.interaction_id} waits for a reply but is not marked open")
        item.updated_at = item.received_at
        if message.assignee:
            item.assignee_id = _id(seeded.users[message.assignee])
        if message.triage is not None:
            item.frustration = message.triage.frustration
            item.escalated = message.triage.escalate
            item.escalation_reasons = ",".join(message.triage.reasons)
        session.add(item)
    session.flush()


def _outbox_target(customer: Customer, message: Interaction) -> tuple[str, str]:
    """(transport, recipients) for a reply: email goes by SMTP, the rest is posted by hand."""
    if message.channel == Channel.EMAIL:
        return "smtp", customer.email
    return "manual", message.author if message.author.startswith("@") else customer.name


def _add_past_draft(session: Session, spec: Json, now: datetime, seeded: _Seeded) -> None:
    """An answered message with its whole trail: AI draft, human edit, approval, sent reply."""
    customer = seeded.customers[spec["customer_id"]]
    incoming = seeded.interactions[f"demo-{spec['id']}-in"]
    sent = seeded.interactions[f"demo-{spec['id']}-out"]
    author, approver = seeded.users[spec["author"]], seeded.users[spec["approver"]]
    received = incoming.occurred_at

    def at(step: str) -> datetime:
        return received + timedelta(minutes=_HISTORY_STEPS[step])

    item = WorkItem(
        customer_id=_id(customer),
        interaction_id=_id(incoming),
        channel=incoming.channel,
        status=ItemStatus.SENT.value,
        assignee_id=_id(author),
        language=customer.language,
        received_at=received,
        updated_at=at("sent"),
    )
    session.add(item)
    session.flush()
    draft = Draft(
        work_item_id=_id(item),
        customer_id=_id(customer),
        channel=incoming.channel,
        language=customer.language,
        author_id=_id(author),
        status=ItemStatus.SENT.value,
        provider="offline",
        created_at=at("ai"),
        updated_at=at("sent"),
    )
    session.add(draft)
    session.flush()
    language = customer.language
    ai = spec["ai"]
    append_revision(
        session,
        draft_id=_id(draft),
        author_kind=AuthorKind.AI.value,
        kind=RevisionKind.AI_DRAFT.value,
        author="",
        subject=fill_dates(ai.get("subject", ""), now=now, language=language),
        body=fill_dates(ai["body"], now=now, language=language),
        created_at=at("ai"),
    )
    final = append_revision(
        session,
        draft_id=_id(draft),
        author_kind=AuthorKind.HUMAN.value,
        kind=RevisionKind.HUMAN_EDIT.value,
        author=author.name,
        subject=sent.subject,
        body=sent.body,
        created_at=at("edit"),
    )
    review = append_review(
        session,
        draft_id=_id(draft),
        revision_id=_id(final),
        reviewer=approver.name,
        decision=Decision.APPROVE,
        created_at=at("approve"),
    )
    session.add(
        ApprovedReply(
            draft_id=_id(draft),
            revision_id=_id(final),
            customer_id=_id(customer),
            channel=incoming.channel,
            language=language,
            incoming=incoming.body,
            body=sent.body,
            approved_at=at("approve"),
        )
    )
    transport, recipients = _outbox_target(customer, incoming)
    session.add(
        OutboxMessage(
            draft_id=_id(draft),
            review_id=_id(review),
            channel=incoming.channel,
            transport=transport,
            recipients=recipients,
            subject=sent.subject,
            body=sent.body,
            content_hash=final.content_hash,
            message_id=sent.message_id,
            in_reply_to=sent.in_reply_to,
            idempotency_key=sent.source_id,
            state=OutboxState.SENT.value,
            attempts=1,
            created_at=at("approve"),
            updated_at=at("sent"),
            sent_at=at("sent"),
        )
    )
    record_event(
        session,
        action="draft.approved",
        actor=approver.name,
        entity="draft",
        entity_id=_id(draft),
        details={"revision_id": _id(final), "hash": final.content_hash, "author": author.name},
        occurred_at=at("approve"),
    )


def _add_draft_in_progress(session: Session, spec: Json, now: datetime, seeded: _Seeded) -> None:
    """A draft someone is still working on (drafting) or that waits for the lead (waiting_approval)."""
    incoming = seeded.interactions[f"demo-{spec['interaction']}"]
    item = session.exec(select(WorkItem).where(WorkItem.interaction_id == incoming.id)).one()
    customer = session.get(Customer, incoming.customer_id)
    if customer is None:
        raise LookupError(f"customer {incoming.customer_id} is missing")
    author = seeded.users[spec["author"]]
    started = now - ago(spec)
    draft = Draft(
        work_item_id=_id(item),
        customer_id=_id(customer),
        channel=incoming.channel,
        language=customer.language,
        author_id=_id(author),
        status=spec["status"],
        provider="offline",
        created_at=started,
        updated_at=started,
    )
    session.add(draft)
    session.flush()
    for step, revision in enumerate(spec["revisions"]):
        human = revision["kind"] != RevisionKind.AI_DRAFT
        draft.updated_at = started + timedelta(minutes=9 * step)
        append_revision(
            session,
            draft_id=_id(draft),
            author_kind=(AuthorKind.HUMAN if human else AuthorKind.AI).value,
            kind=revision["kind"],
            author=author.name if human else "",
            subject=fill_dates(revision.get("subject", ""), now=now, language=customer.language),
            body=fill_dates(revision["body"], now=now, language=customer.language),
            created_at=draft.updated_at,
        )
    item.status = spec["status"]
    item.assignee_id = _id(author)
    item.updated_at = draft.updated_at
    session.add_all([draft, item])
    session.flush()


def _add_voice_guides(session: Session, files: DemoFiles, now: datetime) -> None:
    written = now - timedelta(days=30)
    for spec in files.guides:
        guide = VoiceGuide(
            language=spec["language"],
            tone=spec["tone"],
            words_use="\n".join(spec["words_use"]),
            words_avoid="\n".join(spec["words_avoid"]),
            signature_email=spec["signature_email"],
            signature_comment=spec["signature_comment"],
            comment_limit=int(spec["comment_limit"]),
            updated_at=written,
        )
        session.add(guide)
        session.flush()
        session.add_all(
            VoiceExample(
                guide_id=_id(guide),
                channel=example["channel"],
                incoming=example["incoming"],
                reply=example["reply"],
                created_at=written,
            )
            for example in spec["examples"]
        )
    session.flush()


def _add_feedback(session: Session, files: DemoFiles, now: datetime, seeded: _Seeded) -> None:
    for spec in files.feedback:
        item_id = None
        if "interaction" in spec:
            interaction = seeded.interactions[f"demo-{spec['interaction']}"]
            item_id = session.exec(select(WorkItem.id).where(WorkItem.interaction_id == interaction.id)).one()
        customer = seeded.customers.get(spec.get("customer_id", ""))
        session.add(
            FeedbackNote(
                work_item_id=item_id,
                customer_id=None if customer is None else _id(customer),
                author=spec["author"],
                tags=",".join(spec["tags"]),
                body=spec["body"],
                created_at=now - ago(spec),
            )
        )
    session.flush()


def _count(session: Session, model: type[SQLModel], *where: Any) -> int:
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel table
    return int(session.execute(sa.select(func.count()).select_from(table).where(*where)).scalar_one())


def seed_demo(db: Database, *, now: datetime | None = None) -> DemoSummary:
    """Fill an empty workspace with the demo, in one write transaction; the same `now` gives the same rows."""
    moment = utcnow() if now is None else (now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC))
    files = load_demo_files()
    planned = plan_demo(files, moment)
    seeded = _Seeded()
    with db.write() as session:
        if _has_rows(session):
            raise WorkspaceNotEmptyError("the workspace already has data")
        _add_users(session, files, moment, seeded)
        _add_customers(session, files, moment, seeded)
        _add_interactions(session, planned, seeded)
        # Chronological, so the audit chain's order matches the order things happened.
        for spec in sorted(files.past_drafts, key=ago, reverse=True):
            _add_past_draft(session, spec, moment, seeded)
        refresh_work_items(session)
        _shape_open_items(session, [m for m in planned if m.open], seeded)
        for spec in files.drafts_in_progress:
            _add_draft_in_progress(session, spec, moment, seeded)
        _add_voice_guides(session, files, moment)
        _add_feedback(session, files, moment, seeded)
        summary = DemoSummary(
            customers=_count(session, Customer),
            interactions=_count(session, Interaction),
            open_items=_count(session, WorkItem, WorkItem.__table__.c.status.in_([s.value for s in _OPEN_STATUSES])),  # type: ignore[attr-defined]  # SQLModel table
            users=tuple(str(u["name"]) for u in files.users),
        )
        record_event(
            session,
            action="demo.seeded",
            entity="workspace",
            details={
                "customers": summary.customers,
                "interactions": summary.interactions,
                "open_items": summary.open_items,
                "users": list(summary.users),
            },
            occurred_at=moment,
        )
    return summary


def _backup_target(path: Path, moment: datetime) -> Path:
    """A new file next to the database, never one that exists already."""
    stem = f"{path.stem}.before-demo-reset.{moment.strftime('%Y%m%dT%H%M%S')}"
    target = path.with_name(f"{stem}.sqlite3")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{stem}-{n}.sqlite3")
    return target


def reset_workspace(db: Database) -> Path | None:
    """Empty the workspace (schema kept at head); on SQLite back the file up first and return the copy."""
    saved = None
    if db.path is not None and db.path.exists():
        saved = db.backup(_backup_target(db.path, utcnow()))
    db.downgrade_to_empty()
    db.upgrade(backup=False)
    return saved
