"""节假日日历 in 系统设置: the years on record, each year's days, and the admin's changes.

The State Council publishes next year's schedule each autumn. An admin loads it from the
bundled package where it covers the year, imports it from Excel, or enters it day by day and
then confirms the year complete; until then deadlines through that year are marked uncertain.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import CalendarDayKind
from commandcenter.services import calendar_changes, work_calendar
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import cell_text, read_only_table


class CalendarTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        may_edit = allowed(runner.actor, Action.EDIT_CALENDAR)
        self.years = read_only_table(["年度", "安排", "法定节假日", "调休上班", "依据"])
        self.years.setObjectName("calendarYears")
        self.years.setMinimumWidth(440)
        self.years.setMaximumWidth(560)
        self.years.itemSelectionChanged.connect(self.show_days)
        self.days = read_only_table(["日期", "星期", "类别", "名称"])
        self.days.setObjectName("calendarDays")
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        self.exchange = ExchangeActions(runner, "calendar", self, ask=self._ask_source)
        for text, slot in (
            ("载入国务院安排", self.load_official),
            ("从 Excel 导入", self.exchange.import_file),
            ("下载模板", self.exchange.save_template),
            ("新增或修改日期", self.set_day),
            ("删除所选日期", self.remove_day),
            ("确认该年安排完整", self.confirm_year),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(may_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        tables = QHBoxLayout()
        tables.addWidget(self.years)
        tables.addWidget(self.days, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addLayout(tables, 1)

    def refresh(self) -> None:
        rows = self.runner.read_now(work_calendar.years)
        chosen = self.chosen_year()
        self.years.setRowCount(len(rows))
        for i, row in enumerate(rows):
            values = [
                str(row.year),
                "完整" if row.known else "未确认（期限待核）",
                str(row.holidays),
                str(row.workdays),
                row.source,
            ]
            for j, value in enumerate(values):
                self.years.setItem(i, j, QTableWidgetItem(value))
        self.years.resizeColumnsToContents()
        this_year = timeutil.today().year
        missing = [
            year
            for year in (this_year, this_year + 1)
            if not any(r.year == year and r.known for r in rows)
        ]
        self.note.setText(
            "办理期限按本日历计算工作日。"
            + (
                f"尚未确认 {'、'.join(map(str, missing))} 年的节假日安排：跨入该年的期限将标记为“待核”。"
                "国务院办公厅每年秋季公布次年安排，请及时录入。"
                if missing
                else ""
            )
        )
        target = chosen or (rows[0].year if rows else None)
        for i, row in enumerate(rows):
            if row.year == target:
                self.years.selectRow(i)
        self.show_days()

    def chosen_year(self) -> int | None:
        items = self.years.selectedItems()
        return int(cell_text(self.years, items[0].row())) if items else None

    def show_days(self) -> None:
        year = self.chosen_year()
        days = (
            self.runner.read_now(lambda session, actor: work_calendar.days_of(session, actor, year))
            if year
            else []
        )
        self.days.setRowCount(len(days))
        weekdays = "一二三四五六日"
        for i, day in enumerate(days):
            for j, value in enumerate(
                [
                    day.day.isoformat(),
                    f"星期{weekdays[day.day.weekday()]}",
                    day.kind.label,
                    day.name or "",
                ]
            ):
                self.days.setItem(i, j, QTableWidgetItem(value))

    def _ask_source(self) -> dict[str, object] | None:
        text, ok = QInputDialog.getText(
            self, "导入节假日安排", "依据（例如：国务院办公厅关于2027年部分节假日安排的通知）："
        )
        return {"source": text} if ok else None

    def load_official(self) -> None:
        year, ok = QInputDialog.getInt(
            self, "载入国务院安排", "年度：", timeutil.today().year + 1, 2004, 2100
        )
        if not ok:
            return

        def done(result: tuple[list[int], int]) -> None:
            loaded, moved = result
            if not loaded:
                QMessageBox.information(
                    self,
                    "载入国务院安排",
                    f"随程序提供的日历数据尚不包含 {year} 年。请从 Excel 导入或逐日录入，"
                    "然后确认该年安排完整。",
                )
            self.followed(moved)

        self.runner.run(
            lambda session, actor: calendar_changes.load_official_years(session, actor, [year]),
            done,
            write=True,
            parent=self,
        )

    def set_day(self) -> None:
        fields = [
            form_dialog.day("day", "日期", optional=False),
            form_dialog.choice("kind", "类别", form_dialog.labelled(CalendarDayKind)),
            form_dialog.text("name", "名称", "例如：春节、春节调休"),
        ]
        dialog = form_dialog.FormDialog(
            self.runner,
            "新增或修改节假日",
            fields,
            lambda values: (
                lambda session, actor: calendar_changes.set_day(
                    session, actor, values["day"], values["kind"], values["name"]
                )[1]
            ),
            parent=self,
        )
        dialog.exec()
        self.followed(dialog.result_value or 0)

    def remove_day(self) -> None:
        items = self.days.selectedItems()
        if not items:
            QMessageBox.information(self, "删除日期", "请先在右侧选择一天。")
            return
        day = date.fromisoformat(cell_text(self.days, items[0].row()))
        self.runner.run(
            lambda session, actor: calendar_changes.remove_day(session, actor, day),
            self.followed,
            write=True,
            parent=self,
        )

    def confirm_year(self) -> None:
        year = self.chosen_year()
        if year is None:
            QMessageBox.information(self, "确认年度", "请先在左侧选择年度。")
            return
        source, ok = QInputDialog.getText(self, f"确认 {year} 年安排完整", "依据（通知名称）：")
        if not ok:
            return
        self.runner.run(
            lambda session, actor: calendar_changes.mark_year_complete(
                session, actor, year, source
            ),
            self.followed,
            write=True,
            parent=self,
        )

    def followed(self, moved: int) -> None:
        """Show the calendar as it now is, and how many open deadlines it moved."""
        self.refresh()
        if moved:
            QMessageBox.information(self, "办理时限", calendar_changes.followed_message(moved))
