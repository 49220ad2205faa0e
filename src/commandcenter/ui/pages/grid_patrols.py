"""The 网格巡查 tab of 人员名册: the month's patrols per grid and per person, each patrol with the
problems found, and the one step that registers a problem as a 网格巡查 incident."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.services import organisation, patrols
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.statistics import Period, month_period
from commandcenter.ui.date_edits import DateEdit
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table

PROBLEMS_HINT = "每行一个问题；地点可写在“@”之后，如：店外占道经营@梅山大道 12 号"


def problem_forms(text: str) -> list[patrols.ProblemForm]:
    """The problems typed one per line, each with its place after "@"."""
    found = []
    for line in (text or "").splitlines():
        what, _at, where = line.partition("@")
        if what.strip():
            found.append(patrols.ProblemForm(what.strip(), where.strip()))
    return found


def _button(text: str, icon_name: str, slot: Callable[[], None], visible: bool) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.clicked.connect(slot)
    button.setVisible(visible)
    return button


def _titled(caption: str, table: QTableWidget) -> QVBoxLayout:
    box = QVBoxLayout()
    box.addWidget(QLabel(caption))
    box.addWidget(table)
    return box


class PatrolsTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        can_record = allowed(runner.actor, Action.REGISTER_INCIDENT)
        today = timeutil.today()
        self.month = DateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("patrolSummary")
        self.summary.setWordWrap(True)
        self.grids = read_only_table(["网格", "编码", "巡查", "发现问题", "立案"])
        self.grids.setObjectName("patrolGrids")
        self.grids.itemSelectionChanged.connect(self._show_patrols)
        self.people = read_only_table(["人员", "单位", "巡查", "发现问题"])
        self.people.setObjectName("patrolPeople")
        self.patrols = read_only_table(
            ["巡查时间", "网格", "巡查人员", "路线或点位", "问题", "未立案"]
        )
        self.patrols.setObjectName("patrolList")
        self.patrols.itemSelectionChanged.connect(self._show_problems)
        self.problems = read_only_table(["发现的问题", "地点", "事件编号"])
        self.problems.setObjectName("patrolProblems")
        self._grid_counts: list[patrols.PatrolCount] = []
        self._patrols: list[patrols.PatrolRow] = []
        self._all: list[patrols.PatrolRow] = []
        bar = QHBoxLayout()
        bar.addWidget(QLabel("月份"))
        bar.addWidget(self.month)
        bar.addWidget(self.summary, 1)
        bar.addWidget(_button("登记巡查", "add", self.add_patrol, can_record))
        bar.addWidget(_button("问题登记为事件", "edit", self.register_problem, can_record))
        bar.addWidget(_button("删除巡查", "delete", self.delete_patrol, can_record))
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addLayout(_titled("各网格巡查（选中只看该网格）", self.grids), 3)
        left.addLayout(_titled("人员巡查次数", self.people), 2)
        right.addLayout(_titled("巡查记录", self.patrols), 3)
        right.addLayout(_titled("选中巡查发现的问题", self.problems), 2)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(columns)

    def _period(self) -> Period:
        chosen = self.month.date()
        return month_period(chosen.year(), chosen.month())

    def refresh(self) -> None:
        period = self._period()
        figures: patrols.PatrolFigures = self.runner.read_now(
            lambda session, actor: patrols.figures(session, actor, period)
        )
        self._all = self.runner.read_now(
            lambda session, actor: patrols.patrols(session, actor, period)
        )
        self.summary.setText(f"{period.label}：{figures.text}")
        self._grid_counts = figures.by_grid
        fill(
            self.grids,
            [
                (row.name, row.where, row.patrols, row.problems, row.registered)
                for row in figures.by_grid
            ],
        )
        fill(
            self.people,
            [(row.name, row.where, row.patrols, row.problems) for row in figures.by_person],
        )
        self._show_patrols()

    def _chosen_grid(self) -> str | None:
        row = self.grids.currentRow()
        if self.grids.selectionModel().hasSelection() and 0 <= row < len(self._grid_counts):
            return self._grid_counts[row].name
        return None

    def _show_patrols(self) -> None:
        grid = self._chosen_grid()
        self._patrols = [row for row in self._all if grid is None or row.grid == grid]
        fill(
            self.patrols,
            [
                (
                    timeutil.format_local(row.started_at),
                    row.grid,
                    row.members,
                    row.route,
                    len(row.problems),
                    row.open_problems or "",
                )
                for row in self._patrols
            ],
        )
        self._show_problems()

    def _chosen_patrol(self) -> patrols.PatrolRow | None:
        row = self.patrols.currentRow()
        if self.patrols.selectionModel().hasSelection() and 0 <= row < len(self._patrols):
            return self._patrols[row]
        return None

    def _show_problems(self) -> None:
        patrol = self._chosen_patrol()
        rows = patrol.problems if patrol else ()
        fill(
            self.problems, [(p.description, p.address, p.incident_number or "未立案") for p in rows]
        )

    def add_patrol(self) -> None:
        grid_rows: list[organisation.GridRow] = self.runner.read_now(organisation.grids)
        grids = [(f"{row.name}（{row.code}）", row.id) for row in grid_rows if row.active]
        members = self.runner.read_now(patrols.member_choices)

        def submit(values: dict[str, Any]) -> Any:
            form = patrols.PatrolForm(
                grid_id=values["grid_id"],
                started_at=values["started_at"],
                minutes=values["minutes"],
                route=values["route"],
                member_ids=values["member_ids"],
                notes=values["notes"],
                problems=problem_forms(values["problems"]),
            )
            return lambda session, actor: patrols.record_patrol(session, actor, form).id

        dialog = form_dialog.FormDialog(
            self.runner,
            "登记巡查",
            [
                form_dialog.searchable("grid_id", "网格", grids, blank="请选择"),
                form_dialog.moment("started_at", "巡查时间"),
                form_dialog.optional_integer("minutes", "用时（分钟）", maximum=1440),
                form_dialog.text("route", "路线或点位"),
                form_dialog.many("member_ids", "巡查人员", members),
                form_dialog.text("problems", "发现的问题", PROBLEMS_HINT, multiline=True),
                form_dialog.text("notes", "备注"),
            ],
            submit,
            parent=self,
            intro="发现的问题可在保存后选中，点“问题登记为事件”登记为网格巡查事件。",
        )
        if dialog.exec():
            self.refresh()

    def register_problem(self) -> None:
        patrol = self._chosen_patrol()
        row = self.problems.currentRow()
        if patrol is None or not 0 <= row < len(patrol.problems):
            QMessageBox.information(self, "问题登记为事件", "请先选中一条巡查记录和其中的问题。")
            return
        problem = patrol.problems[row]
        if problem.incident_id is not None:
            QMessageBox.information(
                self, "问题登记为事件", f"该问题已登记为事件 {problem.incident_number}。"
            )
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            "问题登记为事件",
            [form_dialog.text("title", "事件名称")],
            lambda values: (
                lambda session, actor: (
                    patrols.register_problem(session, actor, problem.id, values["title"]).number
                )
            ),
            parent=self,
            intro=(
                f"以“网格巡查”渠道登记，网格为{patrol.grid}，巡查人员和路线写入事件描述；"
                "登记人为首问负责人。登记后在事件列表中研判派单。"
            ),
        ).load({"title": problem.description[:200]})
        if dialog.exec():
            QMessageBox.information(self, "问题登记为事件", f"已登记为事件 {dialog.result_value}。")
            self.refresh()

    def delete_patrol(self) -> None:
        patrol = self._chosen_patrol()
        if patrol is None:
            QMessageBox.information(self, "删除巡查", "请先选中一条巡查记录。")
            return
        form_dialog.confirm(
            self,
            self.runner,
            "删除巡查",
            f"删除 {timeutil.format_local(patrol.started_at)} {patrol.grid} 的巡查记录？",
            lambda session, actor: patrols.delete_patrol(session, actor, patrol.id),
        )
        self.refresh()
