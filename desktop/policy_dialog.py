"""Team → Approval policy…: the four-eyes rules, self-approval and expiry, set by a lead.

Everyone can read the rules; only a lead can change them (the dialog says so, and
`drafting.policy.save_policy` refuses anyone else, whatever the dialog shows).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from drafting.policy import Policy, PolicyError, load_policy, save_policy
from storage.database import Database
from storage.models import Role
from storage.people import user_by_name


@dataclass(frozen=True)
class PolicyView:
    policy: Policy
    may_edit: bool


def load_policy_view(db: Database, user: str) -> PolicyView:
    with db.session() as session:
        person = user_by_name(session, name=user) if user else None
        return PolicyView(load_policy(session), person is not None and person.role == Role.LEAD.value)


def _save(db: Database, user: str, changes: dict[str, bool | float | int]) -> Policy:
    return save_policy(db, actor=user, changes=changes)


class PolicyDialog(QDialog):
    """Shows the rules at once (loaded in the background) and saves the changes a lead makes."""

    saved = Signal(object)

    def __init__(self, db: Database, *, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.user = db, user
        self.background = Background(self)
        self.setWindowTitle(self.tr("Approval policy"))
        self.setAccessibleName(self.tr("Approval policy"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "When does a reply need a second approver? The second approver must be a different person, "
                "and one of the two must be a lead. These rules apply everywhere: here, on the command line "
                "and just before sending."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.trainee = QCheckBox(self.tr("Drafts written by a &trainee"))
        self.commitments = QCheckBox(self.tr("Drafts that make a &commitment (refunds, dates, prices…)"))
        self.escalated = QCheckBox(self.tr("Drafts for &escalated items"))
        self.edit_pct = QDoubleSpinBox()
        self.edit_pct.setRange(0, 100)
        self.edit_pct.setDecimals(0)
        self.edit_pct.setSuffix(" %")
        self.edit_pct.setSpecialValueText(self.tr("off"))
        self.self_approval = QCheckBox(self.tr("The writer of a draft may &approve it"))
        self.expires = QSpinBox()
        self.expires.setRange(0, 3650)
        self.expires.setSpecialValueText(self.tr("never"))
        self.expires.setSuffix(self.tr(" days"))
        for widget, name in (
            (self.trainee, self.tr("Trainee drafts need a lead")),
            (self.commitments, self.tr("Commitments need a lead")),
            (self.escalated, self.tr("Escalated items need a lead")),
            (self.edit_pct, self.tr("Edited more than")),
            (self.self_approval, self.tr("Self-approval allowed")),
            (self.expires, self.tr("Approvals expire after")),
        ):
            widget.setAccessibleName(name)
        form.addRow(QLabel(self.tr("A lead must approve too:")))
        form.addRow(self.trainee)
        form.addRow(self.commitments)
        form.addRow(self.escalated)
        form.addRow(self.tr("Drafts &edited more than:"), self.edit_pct)
        form.addRow(self.self_approval)
        form.addRow(self.tr("Approvals e&xpire if not sent after:"), self.expires)
        layout.addLayout(form)
        self.status = QLabel(self.tr("Loading…"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Policy status"))
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save the policy"))
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._set_editable(False)
        self.background.run(load_policy_view, db, user, on_done=self._loaded, on_error=self._failed)

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.trainee, self.commitments, self.escalated, self.edit_pct, self.self_approval, self.expires):
            widget.setEnabled(editable)
        self.save_button.setEnabled(editable)

    def _show(self, policy: Policy) -> None:
        self.trainee.setChecked(policy.trainee)
        self.commitments.setChecked(policy.commitments)
        self.escalated.setChecked(policy.escalated)
        self.edit_pct.setValue(policy.edit_pct_above)
        self.self_approval.setChecked(policy.self_approval)
        self.expires.setValue(policy.expires_days)

    def _loaded(self, view: PolicyView) -> None:
        self._show(view.policy)
        self._set_editable(view.may_edit)
        self.status.setText(
            "" if view.may_edit else self.tr("Only a lead can change these rules; you can read them here.")
        )

    def changes(self) -> dict[str, bool | float | int]:
        return {
            "trainee": self.trainee.isChecked(),
            "commitments": self.commitments.isChecked(),
            "escalated": self.escalated.isChecked(),
            "edit_pct_above": float(self.edit_pct.value()),
            "self_approval": self.self_approval.isChecked(),
            "expires_days": int(self.expires.value()),
        }

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.background.run(_save, self.db, self.user, self.changes(), on_done=self._saved, on_error=self._failed)

    def _saved(self, policy: Policy) -> None:
        self._show(policy)
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved. The new rules apply to every approval from now on."))
        self.saved.emit(policy)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        reason = str(error) if isinstance(error, PolicyError) else f"{type(error).__name__}: {error}"
        self.status.setText(reason.splitlines()[0] if reason else type(error).__name__)

    def done(self, result: int) -> None:
        self.background.quit_all()
        super().done(result)
