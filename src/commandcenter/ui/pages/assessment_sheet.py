"""The right half of 考核评价: one sheet's figures, totals and the steps its status allows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.enums import (
    AssessmentSubject,
    IndicatorSource,
    SheetStatus,
)
from commandcenter.services.assessment import sheets
from commandcenter.services.assessment.metrics import METRICS, Sources
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.figure_sources import SourcesDialog
from commandcenter.ui.icons import icon
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table


def points(value: float | None) -> str:
    """A score as the sheets print it: two decimals, or a dash when there is none yet."""
    return "—" if value is None else f"{value:.2f}"


class SheetPane(QWidget):
    """One sheet: its figures, totals and the steps its status allows."""

    changed = Signal()
    open_number = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.detail: sheets.SheetDetail | None = None
        self.title = QLabel("请在左侧选择一张考核评价表")
        self.title.setObjectName("paneTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = read_only_table(
            ["指标", "评价方", "来源", "考核数据", "权重", "得分", "折算分"]
        )
        self.table.setObjectName("scoreTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._open_row())
        self.totals = QLabel()
        self.totals.setObjectName("sheetTotals")
        self.totals.setStyleSheet("font-size: 14px;")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, name in (
            ("score", "录入评分", "edit"),
            ("sources", "查看数据明细", "details"),
            ("review", "复核", "review"),
            ("lock", "锁定签发", "lock"),
            ("unlock", "解锁", "unlock"),
            ("print", "打印预览", "print"),
        ):
            button = QPushButton(icon(name), text)
            button.setObjectName(f"sheet_{key}")
            button.clicked.connect(getattr(self, f"_{key}"))
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addLayout(bar)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def show_sheet(self, sheet_id: int | None) -> None:
        if sheet_id is None:
            self.detail = None
            self.title.setText("请在左侧选择一张考核评价表")
            self.info.clear()
            self.totals.clear()
            self.table.setRowCount(0)
            self._update_buttons()
            return
        # Read on the GUI thread: one sheet is a small read, and the buttons below and a
        # double-click act on it at once; a worker's late answer could show a sheet since left.
        self.detail = self.runner.read_now(
            lambda session, actor: sheets.detail(session, actor, sheet_id)
        )
        detail = self.detail
        assert detail is not None
        self.title.setText(f"{detail.subject_name}　{detail.year}年度考核评价表")
        agency = detail.subject is AssessmentSubject.AGENCY
        first = [
            f"{'主管部门' if agency else '所在单位'}：{detail.subject_detail}",
            f"考核期间：{detail.period.text if detail.period else '尚未计算'}",
        ]
        second = [f"状态：<b>{detail.status.label}</b>"]
        if detail.reviewed:
            second.append(f"复核：{detail.reviewed}")
        if detail.locked:
            second.append(f"锁定签发：{detail.locked}")
        # Figures that cannot apply to this person carry no weight; say which and why.
        reasons: dict[str, list[str]] = {}
        for line in detail.lines:
            if line.note.startswith("不适用："):
                reasons.setdefault(line.note.removeprefix("不适用："), []).append(line.name)
        third = [f"不适用（不计分）：{'、'.join(names)}——{why}" for why, names in reasons.items()]
        self.info.setText("<br>".join(("　".join(first), "　".join(second), *third)))
        fill(
            self.table,
            [
                [
                    line.name,
                    line.side.label,
                    line.source.label,
                    line.value_text,
                    f"{line.weight:g}",
                    points(line.score),
                    points(line.weighted),
                ]
                for line in detail.lines
            ],
        )
        for row, line in enumerate(detail.lines):
            if (name := self.table.item(row, 0)) is not None:
                name.setToolTip(line.note)
            value = self.table.item(row, 3)
            if value is not None and line.source is IndicatorSource.MANUAL and line.score is None:
                value.setForeground(QColor(palette.FAIL_TEXT))
        parts = [f"街道评价 {points(detail.street)}"]
        if detail.subject is AssessmentSubject.AGENCY:
            parts.append(f"部门评价 {points(detail.department)}")
        parts.append(f"综合得分 <b>{points(detail.total)}</b>")
        parts.append(f"等次 <b>{detail.grade.label if detail.grade else '待定'}</b>")
        if detail.missing:
            parts.append(
                f"<span style='color:{palette.ERROR_TEXT}'>待评分：{'、'.join(detail.missing)}</span>"
            )
        self.totals.setText("　".join(parts))
        self._update_buttons()

    def _line(self) -> sheets.ScoreLine | None:
        rows = self.table.selectionModel().selectedRows() if self.detail else []
        if not rows or self.detail is None:
            return None
        return self.detail.lines[rows[0].row()]

    def _update_buttons(self) -> None:
        detail, line, actor = self.detail, self._line(), self.runner.actor
        open_ = detail is not None and detail.status is not SheetStatus.LOCKED
        editor = allowed(actor, Action.EDIT_ASSESSMENT)
        leader = allowed(actor, Action.LOCK_ASSESSMENT)
        manual = line is not None and line.source is IndicatorSource.MANUAL
        self.buttons["score"].setEnabled(open_ and editor and manual)
        self.buttons["sources"].setEnabled(line is not None and line.metric in METRICS)
        self.buttons["review"].setEnabled(
            open_ and editor and detail is not None and detail.status is SheetStatus.DRAFT
        )
        self.buttons["lock"].setEnabled(
            leader and detail is not None and detail.status is SheetStatus.REVIEWED
        )
        self.buttons["unlock"].setEnabled(
            leader and detail is not None and detail.status is SheetStatus.LOCKED
        )
        self.buttons["print"].setEnabled(detail is not None)

    def _done(self, _result: Any = None) -> None:
        if self.detail is not None:
            self.show_sheet(self.detail.id)
        self.changed.emit()

    def _open_row(self) -> None:
        line = self._line()
        if line is None:
            return
        if line.metric in METRICS:
            self._sources()
        elif line.source is IndicatorSource.MANUAL and self.buttons["score"].isEnabled():
            self._score()

    def _score(self) -> None:
        detail, line = self.detail, self._line()
        if detail is None or line is None:
            return
        fields = [
            form_dialog.decimal("score", "评分（0–100）", maximum=100),
            form_dialog.text("note", "评分说明", "如：街道考核小组评分、区级部门反馈"),
        ]
        dialog = form_dialog.FormDialog(
            self.runner,
            f"录入评分：{line.name}",
            fields,
            lambda values: (
                lambda session, actor: (
                    sheets.enter_score(
                        session,
                        actor,
                        detail.id,
                        line.indicator_id,
                        values["score"],
                        note=values["note"],
                        expected_version=detail.version,
                    ).id
                )
            ),
            parent=self,
            intro=f"{detail.subject_name} · {line.name}（权重 {line.weight:g}）",
        ).load({"score": line.score or 0, "note": "" if line.metric else line.note})
        if dialog.exec():
            self._done()

    def _sources(self) -> None:
        detail, line = self.detail, self._line()
        if detail is None or line is None:
            return

        def show(sources: Sources) -> None:
            SourcesDialog(
                f"{detail.subject_name} · {line.name}：{line.value_text}",
                sources,
                self,
                self.open_number,
            ).exec()

        self.runner.run(
            lambda session, actor: sheets.figure_sources(
                session, actor, detail.id, line.indicator_id
            ),
            show,
            parent=self,
        )

    def _review(self) -> None:
        detail = self.detail
        if detail is None:
            return
        form_dialog.confirm(
            self,
            self.runner,
            "复核",
            f"确认{detail.subject_name}的考核数据已核对、人工评分已录入？",
            lambda session, actor: sheets.review(session, actor, detail.id, detail.version).id,
        )

    def _lock(self) -> None:
        detail = self.detail
        if detail is None:
            return
        form_dialog.confirm(
            self,
            self.runner,
            "锁定签发",
            f"锁定签发后{detail.subject_name}的考核评价表不能再修改（综合得分 {points(detail.total)}，"
            f"{detail.grade.label if detail.grade else ''}）。确定锁定？",
            lambda session, actor: sheets.lock(session, actor, detail.id, detail.version).id,
        )

    def _unlock(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            "解锁考核评价表",
            [form_dialog.text("reason", "解锁理由", "如：部门评价分数录入有误", multiline=True)],
            lambda values: (
                lambda session, actor: (
                    sheets.unlock(session, actor, detail.id, values["reason"], detail.version).id
                )
            ),
            parent=self,
            intro="解锁将记入操作记录；解锁后表格回到“已复核”，修改后须重新复核、锁定。",
        )
        if dialog.exec():
            self._done()

    def _print(self) -> None:
        from commandcenter.documents import assessment_papers

        detail = self.detail
        if detail is None:
            return
        generate_and_preview(
            self,
            self.runner,
            "考核评价表",
            f"{detail.subject_name} {detail.year}年度考核评价表",
            lambda session, actor, path: assessment_papers.print_sheet(
                session, actor, detail.id, path
            ),
        )
