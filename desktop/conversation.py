"""The conversation view: who the customer is, what they wrote, what happened lately, and what the draft knew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.inbox import channel_name
from desktop.theme import tone
from desktop.widgets import plain_label
from drafting.timeago import duration, relative_time

if TYPE_CHECKING:
    # Only names of types: the view is built before the window is first shown, the models are imported later.
    from drafting.context import DraftContext
    from storage.timeline import CustomerContext, InteractionRow, ItemDetail

ARROWS = {"in": "←", "out": "→"}
VERY_RECENT = timedelta(hours=24)
RECENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A timeline row's flag: True when it happened within VERY_RECENT (drawn highlighted)."""
# Triage's reason codes, as the escalation banner names them.
REASONS = {
    "repeat_issue": QT_TRANSLATE_NOOP("ConversationView", "repeat issue"),
    "anger": QT_TRANSLATE_NOOP("ConversationView", "anger"),
    "legal_threat": QT_TRANSLATE_NOOP("ConversationView", "legal threat"),
    "churn_risk": QT_TRANSLATE_NOOP("ConversationView", "churn risk"),
    "safety": QT_TRANSLATE_NOOP("ConversationView", "safety"),
}


class ConversationView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customer_card = plain_label(self.tr("Customer"))
        self.customer_card.setFrameShape(QFrame.Shape.StyledPanel)
        self.customer_card.setMargin(6)
        self.escalation = plain_label(self.tr("Escalation"))
        self.escalation.hide()
        self.recent_contact = plain_label(self.tr("Recent contact"))
        self.recent_contact.hide()
        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setAccessibleName(self.tr("Incoming message"))
        self.timeline_list = QListWidget()
        self.timeline_list.setAccessibleName(self.tr("History across channels"))
        self.timeline_list.setWordWrap(True)
        self.timeline = QPlainTextEdit()  # the same history as plain text, for copying
        self.timeline.setReadOnly(True)
        self.timeline.hide()
        self.context_toggle = QToolButton()
        self.context_toggle.setText(self.tr("What the draft knows ▸"))
        self.context_toggle.setCheckable(True)
        self.context_toggle.setAccessibleName(self.tr("Show what the draft knows"))
        self.context_text = QPlainTextEdit()
        self.context_text.setReadOnly(True)
        self.context_text.setAccessibleName(self.tr("What the draft knows"))
        self.context_text.hide()
        self.context_toggle.toggled.connect(self._toggle_context)
        self._recolor()

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.message)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(self.tr("History across channels")))
        history_layout.addWidget(self.timeline_list)
        split.addWidget(history)
        split.setSizes([160, 220])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.customer_card)
        layout.addWidget(self.escalation)
        layout.addWidget(self.recent_contact)
        layout.addWidget(split, 1)
        layout.addWidget(self.context_toggle)
        layout.addWidget(self.context_text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolor()  # the theme changed: accents switch to the shade that reads on the new background

    def _recolor(self) -> None:
        self.escalation.setStyleSheet(f"color: {tone('danger', self.palette()).name()}; font-weight: bold;")
        self.recent_contact.setStyleSheet(f"color: {tone('recent', self.palette()).name()}; font-weight: bold;")
        for row in range(self.timeline_list.count()):
            self._paint(self.timeline_list.item(row))

    def _paint(self, item: QListWidgetItem) -> None:
        if item.data(RECENT_ROLE):
            item.setForeground(tone("recent", self.palette()))
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)  # the palette's own text colour

    def _toggle_context(self, shown: bool) -> None:
        self.context_text.setVisible(shown)
        self.context_toggle.setText(self.tr("What the draft knows ▾") if shown else self.tr("What the draft knows ▸"))

    def show(self, detail: ItemDetail, dctx: DraftContext, cctx: CustomerContext | None = None) -> None:  # type: ignore[override]  # a view's "show this item", not QWidget.show()
        lang = shown_language()  # times read in the interface's language, not the customer's
        now = datetime.now(UTC)
        c = dctx.customer
        tenure = duration(c.since, now, lang) if c.since is not None else c.tenure
        line2 = " · ".join(
            x
            for x in (
                c.plan,
                c.language,
                c.owner and self.tr("owner {owner}").format(owner=c.owner),
                tenure and self.tr("customer for {tenure}").format(tenure=tenure),
            )
            if x
        )
        open_count = len(dctx.open_issues)
        line3 = self.tr("{count} other open items or notes").format(count=open_count) if open_count else ""
        self.customer_card.setText("\n".join(x for x in (c.name, line2, line3) if x))
        reasons = [
            QCoreApplication.translate("ConversationView", REASONS.get(r, r))
            for r in detail.escalation_reasons.split(",")
            if r
        ]
        if detail.item.escalated:
            self.escalation.setText(
                self.tr("Escalated — needs a human: {reasons}").format(reasons=", ".join(reasons) or "—")
            )
            self.escalation.show()
        else:
            self.escalation.hide()
        self.message.setPlainText(detail.incoming.body)
        self._fill_timeline(dctx, cctx, lang, now)
        self._show_recent_contact(detail, cctx, lang, now)
        self.context_text.setPlainText(_context_summary(dctx))

    def _fill_timeline(self, dctx: DraftContext, cctx: CustomerContext | None, lang: str, now: datetime) -> None:
        self.timeline_list.clear()
        lines: list[str] = []
        rows = cctx.interactions if cctx is not None else ()
        if rows:
            for row in rows[:100]:
                text = f"{relative_time(row.occurred_at, now, lang)} · {channel_name(row.channel)} {ARROWS.get(row.direction, '')} {_one_line(row.body, 220)}"
                self._add_event(text, now - row.occurred_at < VERY_RECENT)
                lines.append(text)
        else:
            for event in dctx.recent:
                text = f"{relative_time(event.occurred_at, now, lang)} · {channel_name(event.channel)} {ARROWS.get(event.direction, '')} {event.summary}"
                self._add_event(text, event.very_recent)
                lines.append(text)
        self.timeline.setPlainText("\n".join(lines))

    def _show_recent_contact(self, detail: ItemDetail, cctx: CustomerContext | None, lang: str, now: datetime) -> None:
        """The newest other contact within a day, in words ("call, 5 minutes ago"): a reply must not ignore it."""
        rows = cctx.interactions if cctx is not None else ()
        recent = _newest_other(rows, detail.incoming.id, now)
        if recent is None:
            self.recent_contact.hide()
            return
        self.recent_contact.setText(
            self.tr("Recent contact: {channel}, {when} — {summary}").format(
                channel=channel_name(recent.channel),
                when=relative_time(recent.occurred_at, now, lang),
                summary=_one_line(recent.body, 120),
            )
        )
        self.recent_contact.show()

    def _add_event(self, text: str, recent: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(RECENT_ROLE, recent)
        if recent:
            font = QFont()
            font.setBold(True)
            item.setFont(font)
        self._paint(item)
        self.timeline_list.addItem(item)


def _one_line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _newest_other(rows: tuple[InteractionRow, ...], incoming_id: int, now: datetime) -> InteractionRow | None:
    """The newest interaction other than the one being answered, if it happened within VERY_RECENT."""
    for row in rows:  # newest first
        if row.id != incoming_id and timedelta(0) <= now - row.occurred_at < VERY_RECENT:
            return row
    return None


def _context_summary(ctx: DraftContext) -> str:
    """The context a draft is written from, as plain lines a person can read."""
    out = [f"{ctx.customer.name} · {ctx.language} · {channel_name(ctx.channel)}"]
    if ctx.rules.max_chars:
        out.append(
            QCoreApplication.translate("ConversationView", "limit {limit} characters").format(limit=ctx.rules.max_chars)
        )
    recent = QCoreApplication.translate("ConversationView", "recent: {line}")
    out += [recent.format(line=f"{e.relative} · {channel_name(e.channel)} · {e.summary}") for e in ctx.recent[:8]]
    open_ = QCoreApplication.translate("ConversationView", "open: {line}")
    out += [open_.format(line=f"{o.relative} · {o.kind} · {o.summary}") for o in ctx.open_issues[:5]]
    promise = QCoreApplication.translate("ConversationView", "promise: {line}")
    out += [promise.format(line=f"{p.relative} · {p.text}") for p in ctx.promises[:5]]
    similar = QCoreApplication.translate("ConversationView", "similar reply: {text}")
    out += [similar.format(text=r.body[:160]) for r in ctx.similar_replies[:3]]
    if ctx.dropped:
        dropped = ", ".join(f"{kind} ×{n}" for kind, n in ctx.dropped)
        out.append(QCoreApplication.translate("ConversationView", "left out for length: {parts}").format(parts=dropped))
    return "\n".join(out)
