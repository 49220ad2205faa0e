"""联合行动: plans with their steps and papers, a month calendar, the entity directory and
the recusal register."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import CreditGrade
from commandcenter.services import entities, inspection_publication, plans
from commandcenter.services.entity_listings import ENTITIES
from commandcenter.services.incidents import choices
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.plan_listings import PLANS
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.plan_steps import new_plan
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page, Refreshable
from commandcenter.ui.pages.inspection_tabs import AnnualPlanTab, PublicationTab
from commandcenter.ui.pages.joint_operation_plan import PlanPane
from commandcenter.ui.pages.list_page import ListingView, ListPage, page_title
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table


class PlansTab(QWidget):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.view = ListingView(runner, settings, PLANS, self)
        self.pane = PlanPane(runner, self)
        self.view.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.pane.show_plan(self.view.model.row_id(current.row()))
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.pane)
        splitter.setSizes([620, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        self.view.refresh()
        if self.pane.current is None and self.view.model.rowCount():
            self.view.table.selectRow(0)
        self.pane.reload()


class MonthTab(QWidget):
    """A month calendar: days with plans in bold; the chosen day's plans listed."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("planCalendar")
        self.calendar.setGridVisible(True)
        self.calendar.currentPageChanged.connect(lambda *_: self.refresh())
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_list = QListWidget()
        self.day_list.setObjectName("planDay")
        layout = QHBoxLayout(self)
        layout.addWidget(self.calendar, 3)
        layout.addWidget(self.day_list, 2)
        self.by_day: dict[date, list[str]] = {}

    def refresh(self) -> None:
        year, month_no = self.calendar.yearShown(), self.calendar.monthShown()
        found = self.runner.read_now(
            lambda session, actor: {
                day: [f"{p.title}（{p.status.label}）" for p in day_plans]
                for day, day_plans in plans.month(session, actor, year, month_no).items()
            }
        )
        plain, bold = QTextCharFormat(), QTextCharFormat()
        bold.setFontWeight(700)
        bold.setBackground(QColor(palette.PLAN_DAY_BACKGROUND))
        for day in self.by_day:
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), plain)
        self.by_day = found
        for day in found:
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), bold)
        self._show_day()

    def _show_day(self) -> None:
        chosen = self.calendar.selectedDate()
        day = date(chosen.year(), chosen.month(), chosen.day())
        self.day_list.clear()
        for line in self.by_day.get(day, []) or ["（当日无行动）"]:
            self.day_list.addItem(line)


class EntitiesTab(ListPage):
    """检查对象名录 with its history; Excel import and export."""

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(runner, settings, ENTITIES, "检查对象", parent)
        may_edit = allowed(runner.actor, Action.EDIT_ENTITIES)
        for caption, name, slot in (
            ("新增", "add", self.add),
            ("编辑", "edit", self.edit),
        ):
            action = QAction(icon(name), caption, self)
            action.triggered.connect(slot)
            self.add_action(action).setVisible(may_edit)
        history = QAction(icon("history"), "检查和投诉记录", self)
        history.triggered.connect(self.show_history)
        self.add_action(history)
        grade = QAction(icon("edit"), "调整信用等级", self)
        grade.triggered.connect(self.change_grade)
        self.add_action(grade).setVisible(allowed(runner.actor, Action.CHANGE_CREDIT_GRADE))
        self.view.activated.connect(lambda _id: self.show_history())
        ExchangeActions(runner, "entities", self).install(self)

    def _fields(self) -> list[form_dialog.Field]:
        grids = self.runner.read_now(choices.grids)
        return [
            form_dialog.text("name", "名称"),
            form_dialog.text("uscc", "统一社会信用代码", "18 位，可不填"),
            form_dialog.text("address", "地址"),
            form_dialog.searchable("grid_id", "网格", grids, blank="（未定）"),
            form_dialog.text("industry", "行业", "例如：餐饮"),
            form_dialog.text("contact_name", "联系人"),
            form_dialog.text("contact_phone", "联系电话"),
            form_dialog.choice("credit_grade", "信用等级", form_dialog.labelled(CreditGrade)),
            form_dialog.flag("active", "状态", "在营"),
        ]

    def add(self) -> None:
        form_dialog.FormDialog(
            self.runner,
            "新增检查对象",
            self._fields(),
            lambda values: (
                lambda session, actor: (
                    entities.save_entity(session, actor, entities.EntityForm(**values)).id
                )
            ),
            parent=self,
        ).load({"active": True}).exec()

    def edit(self) -> None:
        entity_id = self.view.selected_id()
        if entity_id is None:
            QMessageBox.information(self, "编辑检查对象", "请先在列表中选中一家。")
            return
        name = self.runner.read_now(
            lambda session, actor: entities.entity_form(session, actor, entity_id)[0].name
        )
        form_dialog.edit_record(
            self.runner,
            f"编辑检查对象：{name}",
            self._fields(),
            lambda session, actor: form_dialog.stored(
                entities.entity_form(session, actor, entity_id)
            ),
            lambda values, version: (
                lambda session, actor: (
                    entities.save_entity(
                        session, actor, entities.EntityForm(**values), entity_id, version
                    ).id
                )
            ),
            parent=self,
        ).exec()

    def change_grade(self) -> None:
        """A leader's decision on an inspection's result (or other grounds), with the reason."""
        entity_id = self.view.selected_id()
        if entity_id is None:
            QMessageBox.information(self, "调整信用等级", "请先在列表中选中一家。")
            return
        form, version = self.runner.read_now(
            lambda session, actor: entities.entity_form(session, actor, entity_id)
        )
        bases = self.runner.read_now(
            lambda session, actor: inspection_publication.grade_bases(session, actor, entity_id)
        )
        form_dialog.FormDialog(
            self.runner,
            f"调整信用等级：{form.name}",
            [
                form_dialog.choice("grade", "调整为", form_dialog.labelled(CreditGrade)),
                form_dialog.choice(
                    "target_id",
                    "依据的检查",
                    [(b.caption, b.target_id) for b in bases],
                    blank="（不依据某次检查）",
                ),
                form_dialog.text("reason", "调整理由", "例如：抽查发现无证经营并已立案", True),
            ],
            lambda values: (
                lambda session, actor: (
                    inspection_publication.change_grade(
                        session,
                        actor,
                        entity_id,
                        values["grade"],
                        values["reason"],
                        target_id=values["target_id"],
                        expected_version=version,
                    ).id
                )
            ),
            parent=self,
            intro=f"当前信用等级：{form.credit_grade.label}。检查结果不会自动改变信用等级，"
            "由中心研究决定后在此登记，理由随记录保存。",
        ).load(
            {"grade": form.credit_grade, "target_id": bases[0].target_id if bases else None}
        ).exec()

    def show_history(self) -> None:
        entity_id = self.view.selected_id()
        if entity_id is None:
            return
        lines = self.runner.read_now(
            lambda session, actor: entities.history(session, actor, entity_id)
        )
        text = "\n".join(f"{line.at:%Y-%m-%d}　{line.kind}　{line.text}" for line in lines)
        QMessageBox.information(self, "检查和投诉记录", text or "暂无检查和投诉记录。")


class RecusalsTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.table = read_only_table(["人员", "检查对象", "回避理由"])
        self.table.setObjectName("recusals")
        self.rows: list[tuple[int, str, str, str]] = []
        may_edit = allowed(runner.actor, Action.EDIT_RECUSALS)
        add = QPushButton("登记回避")
        end = QPushButton("解除所选回避")
        for button, slot in ((add, self.add), (end, self.end)):
            button.setEnabled(may_edit)
            button.clicked.connect(slot)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("回避的人员不参与对该检查对象的随机抽取和派单。"))
        bar.addStretch(1)
        bar.addWidget(add)
        bar.addWidget(end)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        today = timeutil.today()
        self.rows = self.runner.read_now(
            lambda session, actor: entities.recusals_in_force(session, actor, today)
        )
        fill(self.table, [[r[1], r[2], r[3]] for r in self.rows])

    def add(self) -> None:
        people = self.runner.read_now(choices.people)
        targets = self.runner.read_now(choices.entities)
        form_dialog.FormDialog(
            self.runner,
            "登记回避",
            [
                form_dialog.searchable("person_id", "人员", people, blank="（请选择）"),
                form_dialog.searchable("entity_id", "检查对象", targets, blank="（请选择）"),
                form_dialog.text("reason", "回避理由", "例如：近亲属经营、曾任职"),
                form_dialog.day("from_date", "开始日期", optional=False),
                form_dialog.day("to_date", "结束日期"),
            ],
            lambda values: (
                lambda session, actor: (
                    entities.add_recusal(session, actor, entities.RecusalForm(**values)).id
                )
            ),
            parent=self,
        ).exec()
        self.refresh()

    def end(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            QMessageBox.information(self, "解除回避", "请先选择一条回避记录。")
            return
        recusal_id = self.rows[selected[0].row()][0]
        today = timeutil.today()
        self.runner.run(
            lambda session, actor: entities.end_recusal(session, actor, recusal_id, today),
            lambda _r: self.refresh(),
            write=True,
            parent=self,
        )


class JointOperationsPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.plans = PlansTab(runner, settings, self)
        self.month = MonthTab(runner, self)
        self.entities = EntitiesTab(runner, settings, self)
        self.recusals = RecusalsTab(runner, self)
        self.publication = PublicationTab(runner, self)
        self.annual_plan = AnnualPlanTab(runner, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.plans, "行动方案")
        self.tabs.addTab(self.month, "月历")
        self.tabs.addTab(self.entities, "检查对象")
        self.tabs.addTab(self.recusals, "回避登记")
        self.tabs.addTab(self.publication, "抽查公示")
        self.tabs.addTab(self.annual_plan, "年度检查计划")
        # What each tab shows, in tab order: only the visible one reads.
        self.tab_contents: tuple[Refreshable, ...] = (
            self.plans,
            self.month,
            self.entities,
            self.recusals,
            self.publication,
            self.annual_plan,
        )
        self.tabs.currentChanged.connect(lambda _n: self.refresh())
        new = QPushButton(icon("add"), "编制行动方案")
        new.setObjectName("newPlan")
        new.setShortcut(QKeySequence("Ctrl+N"))
        new.setEnabled(allowed(runner.actor, Action.EDIT_PLAN))
        new.clicked.connect(self.new_plan)
        head = QHBoxLayout()
        head.addWidget(page_title("联合行动"))
        head.addStretch(1)
        head.addWidget(new)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.tab_contents[self.tabs.currentIndex()].refresh()

    def new_plan(self) -> None:
        plan_id = new_plan(self, self.runner)
        if plan_id is not None:
            self.tabs.setCurrentWidget(self.plans)
            self.plans.pane.show_plan(plan_id)

    def focus_search(self) -> None:
        self.plans.view.search.setFocus()
