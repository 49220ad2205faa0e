"""One agreed item: its facts and reports, and the steps that move it (report, done, withdraw).

Opened from the 议定事项 list, a meeting's minutes, the 工作台 and the briefings, so an item is
handled the same way wherever it is met.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import AgreedItemStatus
from commandcenter.services import meetings
from commandcenter.services.incidents import choices
from commandcenter.services.meetings import ItemLine
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner


def item_fields(runner: Runner) -> list[form_dialog.Field]:
    units = runner.read_now(choices.units)
    return [
        form_dialog.text("task", "工作任务", "会议议定要做的事", multiline=True),
        form_dialog.day("deadline", "完成时限", optional=False),
        form_dialog.text("standard", "工作标准", "怎样才算完成", multiline=True),
        form_dialog.searchable("unit_id", "责任单位", units, blank="（请选择）"),
        form_dialog.text("responsible_person", "责任人"),
    ]


def _html(item: ItemLine) -> str:
    state = item.state_text
    if item.overdue_on(timeutil.today()) and item.status is AgreedItemStatus.OPEN:
        state = f"<span style='color:{palette.ALERT_RED}'>{state}（已逾期）</span>"
    facts = [
        ("工作任务", escape(item.task)),
        ("工作标准", escape(item.standard) or "—"),
        ("责任单位", escape(item.unit)),
        ("责任人", escape(item.responsible_person)),
        ("完成时限", item.deadline.isoformat()),
        ("状态", state),
        ("议定会议", f"{item.held_on.isoformat()} {escape(item.meeting_title)}"),
    ]
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in facts)
    reports = "".join(
        f"<li>{timeutil.format_local(report.at)}　{escape(report.text)}"
        f"<span style='color:{palette.FAINT_TEXT}'>（{escape(report.by)}记录）</span></li>"
        for report in item.reports
    )
    history = (
        f"<ol>{reports}</ol>"
        if reports
        else f"<p style='color:{palette.FAINT_TEXT}'>尚无进展报告。</p>"
    )
    return f"<table cellpadding='3'>{rows}</table><h4>进展报告</h4>{history}"


class ItemDialog(QDialog):
    def __init__(self, runner: Runner, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreedItemDialog")
        self.setWindowTitle("议定事项")
        self.resize(620, 520)
        self.runner, self.item_id = runner, item_id
        self.view = QTextBrowser()
        self.view.setObjectName("itemView")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        may = allowed(runner.actor, Action.EDIT_MEETING)
        for key, text, slot in (
            ("report", "报告进展", self.report),
            ("done", "标记完成", self.complete),
            ("drop", "撤销", self.drop),
            ("reopen", "重新推进", self.reopen),
            ("edit", "修改", self.edit),
        ):
            button = QPushButton(text)
            button.setObjectName(f"item_{key}")
            button.clicked.connect(slot)
            button.setVisible(may)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.line: ItemLine | None = None
        self.refresh()

    def refresh(self) -> None:
        self.line = self.runner.read_now(
            lambda session, actor: meetings.item_line(session, actor, self.item_id)
        )
        line = self.line
        self.setWindowTitle(f"议定事项：{line.task[:30]}")
        self.view.setHtml(_html(line))
        is_open = line.status is AgreedItemStatus.OPEN
        for key in ("report", "done", "drop", "edit"):
            self.buttons[key].setEnabled(is_open)
        self.buttons["reopen"].setEnabled(not is_open)

    def _step(self, title: str, fields: list[form_dialog.Field], work: Any) -> None:
        dialog = form_dialog.FormDialog(self.runner, title, fields, work, parent=self)
        dialog.load({"done_on": timeutil.today()})
        if dialog.exec():
            self.refresh()

    def report(self) -> None:
        self._step(
            "报告进展",
            [form_dialog.text("text", "进展情况", "责任单位报告的进展", multiline=True)],
            lambda values: (
                lambda session, actor: (
                    meetings.report_progress(session, actor, self.item_id, values["text"]).id
                )
            ),
        )

    def complete(self) -> None:
        version = self.line.version if self.line else None
        self._step(
            "标记完成",
            [
                form_dialog.day("done_on", "完成日期", optional=False),
                form_dialog.text("note", "完成情况", "如：经指挥中心复核销号", multiline=True),
            ],
            lambda values: (
                lambda session, actor: (
                    meetings.complete_item(
                        session,
                        actor,
                        self.item_id,
                        values["done_on"],
                        values["note"],
                        version=version,
                    ).id
                )
            ),
        )

    def drop(self) -> None:
        version = self.line.version if self.line else None
        self._step(
            "撤销议定事项",
            [form_dialog.text("reason", "撤销理由", "如：经 11 月 20 日会议研究并入专项行动")],
            lambda values: (
                lambda session, actor: (
                    meetings.drop_item(
                        session, actor, self.item_id, values["reason"], version=version
                    ).id
                )
            ),
        )

    def reopen(self) -> None:
        version = self.line.version if self.line else None
        self._step(
            "重新推进",
            [form_dialog.text("reason", "理由", "如：复查发现仍未整改到位")],
            lambda values: (
                lambda session, actor: (
                    meetings.reopen_item(
                        session, actor, self.item_id, values["reason"], version=version
                    ).id
                )
            ),
        )

    def edit(self) -> None:
        line = self.line
        if line is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            "修改议定事项",
            item_fields(self.runner),
            lambda values: (
                lambda session, actor: (
                    meetings.save_item(
                        session,
                        actor,
                        line.meeting_id,
                        meetings.ItemForm(**values),
                        line.id,
                        version=line.version,
                    ).id
                )
            ),
            parent=self,
        )
        dialog.load(
            {
                "task": line.task,
                "deadline": line.deadline,
                "standard": line.standard,
                "unit_id": line.unit_id,
                "responsible_person": line.responsible_person,
            }
        )
        if dialog.exec():
            self.refresh()
