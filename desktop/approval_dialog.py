"""Approve (Ctrl+Enter): the exact text that will leave, what must be acknowledged, and one deliberate click.

The dialog shows the subject and body byte for byte as they will be sent,
with their hash. Blocking findings (an unfilled placeholder) keep Approve
disabled; each commitment must be ticked before Approve is enabled. The
approval itself is recorded by `drafting.approval.approve`, which checks all
of this again: the dialog is a view of the gate, not the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import tone
from drafting.approval import findings_for, latest_revision
from drafting.checks import Finding, Severity
from storage.database import Database
from storage.models import Draft

if TYPE_CHECKING:
    from drafting.policy import Requirement


@dataclass(frozen=True)
class ApprovalView:
    """What the dialog shows, loaded in the background."""

    draft_id: int
    subject: str
    body: str
    content_hash: str
    findings: tuple[Finding, ...]
    policy: Requirement | None = None
    """What the team's approval policy asks of this text (None: nothing beyond one approval)."""
    approved_by: tuple[str, ...] = ()
    """Who has already approved this exact text (the first of two approvals)."""


def load_approval_view(db: Database, draft_id: int) -> ApprovalView:
    from drafting.approval import standing_approvals
    from drafting.policy import requirement

    with db.session() as session:
        draft = session.get(Draft, draft_id)
        revision = latest_revision(session, draft_id=draft_id)
        if draft is None or revision is None:
            raise LookupError(f"draft {draft_id} has no text to approve")
        findings = findings_for(session, draft=draft, revision=revision)
        needed = requirement(
            session, draft=draft, body=revision.body, has_commitments=any(f.code == "commitment" for f in findings)
        )
        standing = standing_approvals(session, draft_id=draft_id, content_hash=revision.content_hash)
    policy = needed if needed.needs_lead or not needed.self_approval else None
    return ApprovalView(
        draft_id,
        revision.subject,
        revision.body,
        revision.content_hash,
        tuple(findings),
        policy,
        tuple(r.reviewer for r in standing),
    )


def span_key(finding: Finding) -> str:
    """How an acknowledgement names one finding: `code@start-end` (what the gate accepts)."""
    return f"{finding.code}@{finding.start}-{finding.end}"


class ApprovalDialog(QDialog):
    def __init__(self, view: ApprovalView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(self.tr("Approve this reply"))
        self.setAccessibleName(self.tr("Approve this reply"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("This exact text will be sent:")))
        text = QPlainTextEdit()
        text.setReadOnly(True)
        text.setAccessibleName(self.tr("Text to be sent"))
        subject = (self.tr("Subject: {subject}").format(subject=view.subject) + "\n\n") if view.subject else ""
        text.setPlainText(subject + view.body)
        layout.addWidget(text, 1)
        digest = QLabel(self.tr("SHA-256 {hash}").format(hash=view.content_hash))
        digest.setTextFormat(Qt.TextFormat.PlainText)
        digest.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(digest)

        self.blocking = [f for f in view.findings if f.severity is Severity.BLOCK]
        self.to_confirm = [f for f in view.findings if f.code == "commitment"]
        self.checks: list[tuple[QCheckBox, Finding]] = []
        if self.blocking:
            lines = "\n".join(f"• {f.message}" for f in self.blocking)
            blocked = QLabel(self.tr("Fix these before approving:\n{lines}").format(lines=lines))
            blocked.setTextFormat(Qt.TextFormat.PlainText)
            blocked.setWordWrap(True)
            blocked.setStyleSheet(f"color: {tone('danger', self.palette()).name()};")  # readable in light and dark
            layout.addWidget(blocked)
        if self.to_confirm:
            layout.addWidget(QLabel(self.tr("This reply promises something. Tick each one you stand behind:")))
            for finding in self.to_confirm:
                quote = view.body[finding.start : finding.end]
                box = QCheckBox(f"“{quote}”")
                box.setAccessibleName(self.tr("Confirm: {quote}").format(quote=quote))
                box.toggled.connect(self._update)
                layout.addWidget(box)
                self.checks.append((box, finding))
        if view.policy is not None:
            layout.addWidget(self._policy_note(view.policy, view.approved_by))
        others = [f for f in view.findings if f.severity is not Severity.BLOCK and f.code != "commitment"]
        if others:
            notes = QLabel("\n".join(f"• {f.message}" for f in others))
            notes.setTextFormat(Qt.TextFormat.PlainText)
            notes.setWordWrap(True)
            layout.addWidget(notes)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.approve_button = self.buttons.addButton(self.tr("&Approve"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setAccessibleName(self.tr("Approve and queue for sending"))
        self.changes_button = self.buttons.addButton(
            self.tr("Request &changes…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.changes_button.setAccessibleName(self.tr("Send back to the writer with a reason"))
        self.changes_button.clicked.connect(lambda: self._decide("request_changes"))
        self.reject_button = self.buttons.addButton(self.tr("Re&ject…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.reject_button.setAccessibleName(self.tr("Reject this draft with a reason"))
        self.reject_button.clicked.connect(lambda: self._decide("reject"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_box = QLineEdit()
        self.reason_box.setPlaceholderText(self.tr("Why? (shown to the writer and kept in the history)"))
        self.reason_box.setAccessibleName(self.tr("Reason"))
        layout.addWidget(self.reason_box)
        self.decision: str = "approve"
        """What the person chose: approve, request_changes or reject (with `reason`)."""
        self.reason = ""
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._approve_if_allowed)
        self._update()

    def _policy_note(self, policy: Requirement, approved_by: tuple[str, ...]) -> QLabel:
        """The team's rule for this text, said plainly: who else must approve, and who already did."""
        why = {
            "trainee": self.tr("a trainee wrote it"),
            "commitments": self.tr("it makes a commitment"),
            "escalated": self.tr("the item is escalated"),
            "edit_pct_above": self.tr("the AI draft was heavily rewritten"),
        }
        lines: list[str] = []
        if policy.needs_lead:
            reasons = ", ".join(why.get(code, code) for code in policy.codes)
            lines.append(
                self.tr("Team policy: a second approver is needed, one of the two a lead, because {reasons}.").format(
                    reasons=reasons
                )
            )
        if not policy.self_approval and policy.author:
            lines.append(
                self.tr("Team policy: {author} wrote this draft and may not approve it.").format(author=policy.author)
            )
        if approved_by:
            lines.append(self.tr("Already approved by: {people}.").format(people=", ".join(approved_by)))
        note = QLabel("\n".join(lines))
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setAccessibleName(self.tr("Approval policy"))
        self.policy_note = note
        return note

    def _update(self) -> None:
        ready = not self.blocking and all(box.isChecked() for box, _ in self.checks)
        self.approve_button.setEnabled(ready)

    def _approve_if_allowed(self) -> None:
        if self.approve_button.isEnabled():
            self.accept()

    def _decide(self, decision: str) -> None:
        """Request changes or reject: both need a reason, typed in the box above the buttons."""
        reason = self.reason_box.text().strip()
        if not reason:
            self.reason_box.setFocus()
            self.reason_box.setPlaceholderText(self.tr("A reason is needed to send it back or reject it"))
            return
        self.decision, self.reason = decision, reason
        self.done(QDialog.DialogCode.Accepted)

    def acknowledged(self) -> list[str]:
        return [span_key(f) for box, f in self.checks if box.isChecked()]
