"""人员名册: people and certificates, units and grids, establishment (R9), training and exams,
grid patrols.

Every edit goes through a service with the signed-in user; buttons a role may not use are
hidden, and the service refuses them anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import (
    TrainingKind,
)
from commandcenter.services import certificate_review, organisation, training
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.roster import people
from commandcenter.services.roster.listings import PEOPLE
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.certificates import CertificatesDialog
from commandcenter.ui.dialogs.roster_forms import (
    grid_fields,
    person_fields,
    person_form,
    unit_choices,
    unit_fields,
)
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page, Refreshable
from commandcenter.ui.pages.grid_patrols import PatrolsTab
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.pages.training_exams import ExamsPanel
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, UnitOfWork
from commandcenter.ui.tables import fill, read_only_table

_RED = QBrush(QColor(palette.OVERDUE_BACKGROUND))
_AMBER = QBrush(QColor(palette.WARNING_BACKGROUND))


def _fill(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    fill(table, rows)


def _mark(table: QTableWidget, row: int, column: int, brush: QBrush) -> None:
    item = table.item(row, column)
    if item is not None:
        item.setBackground(brush)


def _button(
    text: str, icon_name: str, slot: Callable[[], None], visible: bool = True
) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.clicked.connect(slot)
    button.setVisible(visible)
    return button


# --- people ---------------------------------------------------------------------------------


class PeopleTab(QWidget):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.page = ListPage(
            runner,
            settings,
            PEOPLE,
            "人员名册",
            hint=(
                "【协勤】为编外协勤，不计入执法人员；黄色：执法证即将到期；红色：已过期或失效；"
                "输入姓名、拼音首字母（如 zw）、证号或单位查找"
            ),
        )
        can_edit = allowed(runner.actor, Action.EDIT_ROSTER)
        for text_, icon_name, slot, visible in (
            ("新增人员", "add", self.add_person, can_edit),
            ("编辑", "edit", self.edit_person, can_edit),
            ("执法证", "certificate", self.open_certificates, True),
            (
                "执法证年度清理",
                "print",
                self.print_review,
                allowed(runner.actor, Action.PRINT_DOCUMENT),
            ),
        ):
            action = QAction(icon(icon_name), text_, self)
            action.triggered.connect(slot)
            self.page.add_action(action).setVisible(visible)
        ExchangeActions(runner, "people", self.page).install(self.page)
        self.page.view.activated.connect(lambda _id: self.open_certificates())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)

    def refresh(self) -> None:
        self.page.refresh()

    def add_person(self) -> None:
        dialog = form_dialog.FormDialog(
            self.runner,
            "新增人员",
            person_fields(self.runner),
            lambda values: (
                lambda session, actor: people.create_person(session, actor, person_form(values)).id
            ),
            parent=self,
        )
        dialog.exec()

    def edit_person(self) -> None:
        person_id = self.page.view.selected_id()
        if person_id is None:
            QMessageBox.information(self, "编辑人员", "请先在列表中选中一人。")
            return
        name = self.runner.read_now(
            lambda session, actor: people.person_form(session, actor, person_id)[0].name
        )
        form_dialog.edit_record(
            self.runner,
            f"编辑人员：{name}",
            person_fields(self.runner),
            lambda session, actor: form_dialog.stored(
                people.person_form(session, actor, person_id)
            ),
            lambda values, version: (
                lambda session, actor: (
                    people.update_person(session, actor, person_id, person_form(values), version).id
                )
            ),
            parent=self,
        ).exec()

    def open_certificates(self) -> None:
        person_id = self.page.view.selected_id()
        if person_id is None:
            QMessageBox.information(self, "执法证", "请先在列表中选中一人。")
            return
        CertificatesDialog(self.runner, person_id, self).exec()

    def print_review(self) -> None:
        year, ok = QInputDialog.getInt(
            self, "执法证年度清理", "清理年度：", timeutil.today().year, 2000, 2100
        )
        if not ok:
            return

        # The paper's layout (reportlab) loads when it is printed, not with the page.
        from commandcenter.documents import certificate_review as review_paper

        def render(session: UnitOfWork, actor: Actor, path: Path) -> Path:
            return review_paper.render(certificate_review.build(session, actor, year), path)

        generate_and_preview(
            self, self.runner, "certificate-review", f"{year}年度执法证清理表", render
        )


# --- units and grids ------------------------------------------------------------------------


class UnitsTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        can_edit = allowed(runner.actor, Action.EDIT_ROSTER)
        self.tree = QTreeWidget()
        self.tree.setObjectName("unitTree")
        self.tree.setHeaderLabels(["单位", "简称", "类别", "在册人数", "状态"])
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_unit() if can_edit else None)
        self.grids = read_only_table()
        self.grids.setObjectName("gridTable")
        self.grids.doubleClicked.connect(lambda *_: self.edit_grid() if can_edit else None)
        self._grid_rows: list[organisation.GridRow] = []
        unit_bar = QHBoxLayout()
        unit_bar.addWidget(QLabel("单位（双击编辑）"))
        unit_bar.addStretch(1)
        unit_bar.addWidget(_button("新增单位", "add", self.add_unit, can_edit))
        unit_bar.addWidget(_button("编辑单位", "edit", self.edit_unit, can_edit))
        grid_bar = QHBoxLayout()
        grid_bar.addWidget(QLabel("网格"))
        grid_bar.addStretch(1)
        grid_bar.addWidget(_button("新增网格", "add", self.add_grid, can_edit))
        grid_bar.addWidget(_button("编辑网格", "edit", self.edit_grid, can_edit))
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addLayout(unit_bar)
        left.addWidget(self.tree)
        right.addLayout(grid_bar)
        right.addWidget(self.grids)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def refresh(self) -> None:
        nodes = self.runner.read_now(lambda session, actor: organisation.unit_tree(session, actor))
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for node in nodes:
            item = QTreeWidgetItem(
                [
                    node.name,
                    node.short_name,
                    node.kind.label,
                    str(node.people),
                    "启用" if node.active else "停用",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, node.id)
            items[node.id] = item
        for node in nodes:
            parent = items.get(node.parent_id) if node.parent_id else None
            (parent.addChild if parent else self.tree.addTopLevelItem)(items[node.id])
        self.tree.expandAll()
        for column in range(5):
            self.tree.resizeColumnToContents(column)
        self._grid_rows = self.runner.read_now(
            lambda session, actor: organisation.grids(session, actor)
        )
        _fill(
            self.grids,
            ["编码", "名称", "村社区", "网格员"],
            [[g.code, g.name, g.community, g.worker] for g in self._grid_rows],
        )

    def add_unit(self) -> None:
        dialog = form_dialog.FormDialog(
            self.runner,
            "新增单位",
            unit_fields(self.runner),
            lambda values: (
                lambda session, actor: (
                    organisation.create_unit(session, actor, organisation.UnitForm(**values)).id
                )
            ),
            parent=self,
        ).load({"active": True})
        if dialog.exec():
            self.refresh()

    def edit_unit(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            QMessageBox.information(self, "编辑单位", "请先选中一个单位。")
            return
        unit_id = int(item.data(0, Qt.ItemDataRole.UserRole))
        dialog = form_dialog.edit_record(
            self.runner,
            f"编辑单位：{item.text(0)}",
            unit_fields(self.runner),
            lambda session, actor: form_dialog.stored(
                organisation.unit_form(session, actor, unit_id)
            ),
            lambda values, version: (
                lambda session, actor: (
                    organisation.update_unit(
                        session, actor, unit_id, organisation.UnitForm(**values), version
                    ).id
                )
            ),
            parent=self,
        )
        if dialog.exec():
            self.refresh()

    def add_grid(self) -> None:
        dialog = form_dialog.FormDialog(
            self.runner,
            "新增网格",
            grid_fields(self.runner),
            lambda values: (
                lambda session, actor: (
                    organisation.save_grid(session, actor, organisation.GridForm(**values)).id
                )
            ),
            parent=self,
        ).load({"active": True})
        if dialog.exec():
            self.refresh()

    def edit_grid(self) -> None:
        row = self.grids.currentRow()
        if not 0 <= row < len(self._grid_rows):
            QMessageBox.information(self, "编辑网格", "请先选中一个网格。")
            return
        grid = self._grid_rows[row]
        form = organisation.GridForm(
            grid.code, grid.name, grid.community_id, grid.worker_id, grid.description, grid.active
        )
        dialog = form_dialog.FormDialog(
            self.runner,
            f"编辑网格：{grid.name}",
            grid_fields(self.runner),
            lambda values: (
                lambda session, actor: (
                    organisation.save_grid(
                        session, actor, organisation.GridForm(**values), grid.id, grid.version
                    ).id
                )
            ),
            parent=self,
        ).load(vars(form))
        if dialog.exec():
            self.refresh()


# --- establishment and force allocation (R9) ------------------------------------------------


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


class ForceTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(timeutil.today().year)
        self.year.setPrefix("年度 ")
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.table = read_only_table()
        self.table.setObjectName("forceTable")
        bar = QHBoxLayout()
        bar.addWidget(self.year)
        rules = QLabel(
            "空编率不得高于 20%；区级部门执法人员下沉锁定比例：综合行政执法部门不低于 80%，"
            "专业执法部门不低于 50%；协勤在岗人数不得超过核定数。红色为未达标。"
        )
        rules.setWordWrap(True)  # fits the smallest screen beside the buttons
        bar.addWidget(rules, 1)
        bar.addWidget(
            _button("核定编制", "edit", self.edit, allowed(runner.actor, Action.EDIT_ROSTER))
        )
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        year = self.year.value()
        rows: list[organisation.ForceRow] = self.runner.read_now(
            lambda session, actor: organisation.force_report(session, actor, year)
        )
        _fill(
            self.table,
            [
                "单位",
                "类别",
                "核定编制",
                "在编在岗",
                "空编率",
                "执法人员总数",
                "下沉锁定",
                "锁定比例",
                "应达比例",
                "协勤核定数",
                "协勤在岗",
                "协勤超核定",
            ],
            [
                [
                    row.unit,
                    row.department_type.label if row.department_type else row.kind.label,
                    row.approved,
                    row.in_post,
                    _percent(row.vacancy_rate),
                    row.enforcement_total,
                    row.enforcement_locked,
                    _percent(row.locked_share),
                    _percent(row.locked_threshold),
                    # Only the street's own units have auxiliaries on our roster to hold to it.
                    "未核定"
                    if row.approved_auxiliaries is None and row.auxiliaries is not None
                    else row.approved_auxiliaries,
                    row.auxiliaries,
                    row.auxiliary_excess,
                ]
                for row in rows
            ],
        )
        for i, row in enumerate(rows):
            if row.vacancy_breached:
                _mark(self.table, i, 4, _RED)
            if row.locked_breached:
                _mark(self.table, i, 7, _RED)
            if row.auxiliary_breached:
                _mark(self.table, i, 11, _RED)
        if not rows:
            self.table.setRowCount(1)
            self.table.setItem(0, 0, QTableWidgetItem(f"{year} 年尚未核定编制，请点“核定编制”。"))

    def edit(self) -> None:
        year = self.year.value()
        dialog = form_dialog.FormDialog(
            self.runner,
            f"核定 {year} 年编制",
            [
                form_dialog.choice("unit_id", "单位", unit_choices(self.runner), blank="请选择"),
                form_dialog.integer("approved_headcount", "核定编制数"),
                form_dialog.optional_integer("enforcement_total", "执法人员总数（区级部门）"),
                form_dialog.optional_integer("enforcement_locked", "下沉锁定到本街道人数"),
                form_dialog.optional_integer("approved_auxiliaries", "协勤核定数（空白不变）"),
            ],
            lambda values: (
                lambda session, actor: (
                    organisation.set_establishment(
                        session,
                        actor,
                        values["unit_id"] or -1,
                        year,
                        values["approved_headcount"],
                        values["enforcement_total"],
                        values["enforcement_locked"],
                        values["approved_auxiliaries"],
                    ).id
                )
            ),
            parent=self,
            intro="同一单位同一年度再次核定会覆盖原数。",
        )
        if dialog.exec():
            self.refresh()


# --- training -------------------------------------------------------------------------------


class TrainingTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(timeutil.today().year)
        self.year.setPrefix("年度 ")
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.street = QLabel()
        self.street.setObjectName("trainingStreet")
        self.departments = read_only_table()
        self.departments.setObjectName("trainingDepartments")
        self.people = read_only_table()
        self.people.setObjectName("trainingPeople")
        bar = QHBoxLayout()
        bar.addWidget(self.year)
        bar.addWidget(self.street, 1)
        bar.addWidget(
            _button("登记培训", "add", self.add_course, allowed(runner.actor, Action.EDIT_ROSTER))
        )
        tables = QHBoxLayout()
        for caption, table in (
            ("各部门专业巡讲和以案代训（以案代训每部门每年不少于 3 件）", self.departments),
            ("个人年度培训学时", self.people),
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(caption))
            box.addWidget(table)
            tables.addLayout(box)
        self.exams = ExamsPanel(runner)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(tables, 1)
        layout.addWidget(self.exams, 1)

    def refresh(self) -> None:
        year = self.year.value()
        self.exams.refresh(year)
        summary: training.TrainingSummary = self.runner.read_now(
            lambda session, actor: training.summary(session, actor, year)
        )
        hours: list[training.PersonHours] = self.runner.read_now(
            lambda session, actor: training.hours_by_person(session, actor, year)
        )
        parts = []
        for kind in (TrainingKind.CENTRAL, TrainingKind.TOURING):
            target = training.STREET_TARGETS[kind]
            mark = "达标" if summary.street_target_met(kind) else "未达标"
            parts.append(
                f"{kind.label} {summary.street.get(kind, 0)} 次（应不少于 {target} 次，{mark}）"
            )
        parts.append(f"以案代训 {summary.street.get(TrainingKind.CASE_BASED, 0)} 次")
        self.street.setText("本街道：" + "；".join(parts))
        _fill(
            self.departments,
            ["部门", "专业巡讲", "以案代训", "以案代训达标"],
            [
                [
                    department.department,
                    department.touring,
                    department.case_based,
                    "是" if department.case_target_met else "否",
                ]
                for department in summary.departments
            ],
        )
        for i, department in enumerate(summary.departments):
            if not department.case_target_met:
                _mark(self.departments, i, 3, _AMBER)
        _fill(
            self.people,
            ["姓名", "单位", "培训次数", "学时"],
            [[h.name, h.unit, h.courses, f"{h.hours:g}"] for h in hours],
        )

    def add_course(self) -> None:
        dialog = form_dialog.FormDialog(
            self.runner,
            "登记培训",
            [
                form_dialog.text("title", "培训名称"),
                form_dialog.choice(
                    "kind", "类别", form_dialog.labelled(TrainingKind), blank="请选择"
                ),
                form_dialog.day("held_on", "日期", optional=False),
                form_dialog.decimal("hours", "学时"),
                form_dialog.choice(
                    "organiser_id", "组织单位", unit_choices(self.runner), blank="（未指定）"
                ),
                form_dialog.many(
                    "attendee_ids", "参训人员", self.runner.read_now(training.attendee_choices)
                ),
            ],
            lambda values: (
                lambda session, actor: (
                    training.save_course(session, actor, training.CourseForm(**values)).id
                )
            ),
            parent=self,
            intro="专业巡讲、以案代训请选择组织的区级部门，以便统计各部门完成情况。",
        )
        if dialog.exec():
            self.refresh()


class RosterPage(Page):
    """The five tabs of 人员名册."""

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = PeopleTab(runner, settings)
        self.units = UnitsTab(runner)
        self.force = ForceTab(runner)
        self.training = TrainingTab(runner)
        self.patrols = PatrolsTab(runner)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("rosterTabs")
        for widget, title in (
            (self.people, "人员与执法证"),
            (self.units, "单位与网格"),
            (self.force, "编制与力量配置"),
            (self.training, "培训"),
            (self.patrols, "网格巡查"),
        ):
            self.tabs.addTab(widget, title)
        # What each tab shows, in tab order: only the visible one reads.
        self.tab_contents: tuple[Refreshable, ...] = (
            self.people,
            self.units,
            self.force,
            self.training,
            self.patrols,
        )
        self.tabs.currentChanged.connect(lambda _n: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.tab_contents[self.tabs.currentIndex()].refresh()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.people)
        self.people.page.focus_search()
