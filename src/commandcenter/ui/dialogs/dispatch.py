"""派单: lead and co-operating units, then the people, eligible officers first.

Officers who may not go are listed with the reason and cannot be ticked; auxiliary staff are in
their own list and never count. The count of officers is shown as it changes; the service
checks the same rules (R1, R2, R10, recusal) when 派单 is pressed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from commandcenter.errors import ValidationError
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import choices, dispatch
from commandcenter.services.incidents.detail import IncidentDetail
from commandcenter.ui import palette
from commandcenter.ui.runner import Runner, UnitOfWork, user_message

_GREY = QBrush(QColor(palette.UNAVAILABLE_TEXT))


def _checkable_list(name: str) -> QListWidget:
    listing = QListWidget()
    listing.setObjectName(name)
    listing.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    listing.setMinimumHeight(220)
    return listing


def _checked(listing: QListWidget) -> list[int]:
    return [
        listing.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(listing.count())
        if listing.item(i).checkState() == Qt.CheckState.Checked
    ]


class DispatchDialog(QDialog):
    def __init__(
        self, runner: Runner, incident: IncidentDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.incident = runner, incident
        self.setWindowTitle(f"派单：{incident.number} {incident.title}")
        self.setMinimumSize(820, 620)
        units = runner.read_now(choices.units)
        proposal: dispatch.DispatchForm = runner.read_now(
            lambda session, actor: dispatch.proposal(session, actor, incident.id)
        )
        self.candidates: list[dispatch.Candidate] = runner.read_now(
            lambda session, actor: dispatch.candidates(session, actor, incident.id)
        )

        self.lead = QComboBox()
        self.lead.setObjectName("field_lead_unit_id")
        for caption, uid in units:
            self.lead.addItem(caption, uid)
        self.lead.setCurrentIndex(max(self.lead.findData(proposal.lead_unit_id), 0))
        self.co_units = _checkable_list("field_co_unit_ids")
        self.co_units.setMinimumHeight(90)
        self.co_units.setMaximumHeight(110)
        for caption, uid in units:
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, uid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = uid in proposal.co_unit_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.co_units.addItem(item)

        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名或单位筛选")
        self.search.textChanged.connect(self._narrow)
        self.officers = _checkable_list("field_officer_ids")
        self.auxiliaries = _checkable_list("field_auxiliary_ids")
        for candidate in self.candidates:
            if candidate.auxiliary:
                text = f"{candidate.name}　{candidate.unit}　【协勤】不计入执法人员"
                target = self.auxiliaries
            elif candidate.eligible:
                text = f"{candidate.name}　{candidate.unit}　执法证 {candidate.certificate}"
                target = self.officers
            else:
                text = f"{candidate.name}　{candidate.unit}　不可派出：{candidate.reason}"
                target = self.officers
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, candidate.person_id)
            if candidate.reason is None:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setForeground(_GREY)
                item.setToolTip(candidate.reason)
            target.addItem(item)
        self.officers.itemChanged.connect(lambda _item: self._update_count())
        self.count = QLabel()
        self.count.setObjectName("officerCount")
        self.requirements = QPlainTextEdit()
        self.requirements.setObjectName("field_requirements")
        self.requirements.setTabChangesFocus(True)
        self.requirements.setFixedHeight(56)
        self.requirements.setPlaceholderText("例如：到场核实后依法处置，2 小时内反馈现场情况。")

        form = QFormLayout()
        form.addRow("主办单位", self.lead)
        form.addRow("协办单位", self.co_units)
        form.addRow("办理要求", self.requirements)
        people = QHBoxLayout()
        officers_box = QGroupBox("执法人员（持有效执法证，至少 2 名）")
        officers_layout = QVBoxLayout(officers_box)
        officers_layout.addWidget(self.officers)
        officers_layout.addWidget(self.count)
        aux_box = QGroupBox("协勤人员（可随同，不计入人数）")
        QVBoxLayout(aux_box).addWidget(self.auxiliaries)
        people.addWidget(officers_box, 3)
        people.addWidget(aux_box, 2)

        item_note = QLabel(
            f"执法事项：{incident.item}（{incident.item_field}领域）　处置路径：{incident.route}"
            + ("　【重大执法决定：提交后待领导审批】" if incident.is_major else "")
        )
        item_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {palette.ERROR_TEXT};")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "提交审批" if incident.is_major else "派单"
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(item_note)
        layout.addLayout(form)
        layout.addWidget(self.search)
        layout.addLayout(people, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # Tab follows the page as it reads: the form, then the search and the two lists.
        chain = [self.lead, self.co_units, self.requirements, self.search, self.officers]
        for first, second in pairwise([*chain, self.auxiliaries]):
            QWidget.setTabOrder(first, second)
        self._update_count()

    def _narrow(self, text: str) -> None:
        for listing in (self.officers, self.auxiliaries):
            for i in range(listing.count()):
                item = listing.item(i)
                item.setHidden(bool(text) and text not in item.text())

    def _update_count(self) -> None:
        chosen = len(_checked(self.officers))
        enough = chosen >= dispatch.MINIMUM_OFFICERS
        self.count.setText(f"已选执法人员 {chosen} 名" + ("" if enough else "，至少需要 2 名"))
        self.count.setStyleSheet("" if enough else f"color: {palette.ERROR_TEXT};")

    def form(self) -> dispatch.DispatchForm:
        return dispatch.DispatchForm(
            lead_unit_id=self.lead.currentData(),
            co_unit_ids=[u for u in _checked(self.co_units) if u != self.lead.currentData()],
            officer_ids=_checked(self.officers),
            auxiliary_ids=_checked(self.auxiliaries),
            requirements=self.requirements.toPlainText(),
        )

    def check(self, person_id: int, auxiliary: bool = False) -> None:
        """Tick a person as a user would (for keyboard users and tests)."""
        listing = self.auxiliaries if auxiliary else self.officers
        for i in range(listing.count()):
            item = listing.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == person_id:
                item.setCheckState(Qt.CheckState.Checked)

    def submit(self) -> None:
        form = self.form()
        incident_id, version = self.incident.id, self.incident.version
        self.error.hide()
        self.buttons.setEnabled(False)

        def work(session: UnitOfWork, actor: Actor) -> Any:
            return dispatch.dispatch(session, actor, incident_id, form, version).id

        self.runner.run(
            work,
            self._done,
            write=True,
            parent=self,
            on_error=self._failed,
        )

    def _done(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(user_message(exc))
        self.error.show()
        if isinstance(exc, ValidationError) and exc.field in ("officer_ids", "auxiliary_ids"):
            self.officers.setFocus()
