"""An assessment scheme: its indicators and grade bands, edited one at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter.enums import Grade
from commandcenter.services.assessment import schemes
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table


def _definition(metric: str | None) -> str:
    return METRICS[metric].rule if metric in METRICS else "人工评分指标。"


class SchemeDialog(QDialog):
    """The scheme's indicators and grade bands; editable until a sheet is locked."""

    def __init__(self, runner: Runner, scheme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.scheme_id = scheme_id
        self.resize(900, 520)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table: QTableWidget = read_only_table(
            ["代码", "指标", "评价方", "来源", "统计口径", "权重", "满分值", "零分值"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self._edit())
        # The chosen indicator's definition: what its figure counts, as the sheet prints it.
        self.definition = QLabel()
        self.definition.setObjectName("indicatorDefinition")
        self.definition.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._show_definition)
        edit = QPushButton(icon("edit"), "修改指标")
        edit.clicked.connect(self._edit)
        bands = QPushButton("等次分数线")
        bands.clicked.connect(self._bands)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(edit)
        bar.addWidget(bands)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.definition)
        layout.addLayout(bar)
        self.load()

    def load(self) -> None:
        scheme = self.runner.read_now(
            lambda session, actor: schemes.view(session, actor, self.scheme_id)
        )
        self.rows, self.bands = scheme.indicators, scheme.bands
        problems, locked = scheme.problems, scheme.locked_sheets
        self.setWindowTitle(scheme.name)
        total = sum(f.weight for _, f in self.rows)
        band_text = "，".join(f"{g.label} ≥ {v:g}" for g, v in self.bands.items())
        self.info.setText(
            f"权重合计 {total:g}；等次分数线：{band_text}。"
            + (
                f"<br><span style='color:{palette.ERROR_TEXT}'>{'；'.join(problems)}</span>"
                if problems
                else ""
            )
            + (f"<br>已有 {locked} 份考核评价表锁定签发，方案只能查看。" if locked else "")
        )
        fill(
            self.table,
            [
                [
                    indicator.code,
                    indicator.name,
                    indicator.side.label,
                    indicator.source.label,
                    METRICS[indicator.metric].label if indicator.metric in METRICS else "—",
                    f"{indicator.weight:g}",
                    "—" if indicator.full_at is None else f"{indicator.full_at:g}",
                    "—" if indicator.zero_at is None else f"{indicator.zero_at:g}",
                ]
                for _, indicator in self.rows
            ],
        )
        for row, (_, indicator) in enumerate(self.rows):
            cell = self.table.item(row, 4)
            if cell is not None:
                cell.setToolTip(_definition(indicator.metric))
        self._show_definition()

    def _show_definition(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.definition.setText("选中一项指标，这里显示其统计口径。")
            return
        indicator = self.rows[rows[0].row()][1]
        self.definition.setText(f"统计口径：{_definition(indicator.metric)}")

    def _edit(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        indicator_id, form = self.rows[rows[0].row()]
        fields = [
            form_dialog.text("name", "指标名称"),
            form_dialog.decimal("weight", "权重", maximum=100),
        ]
        if form.metric:
            fields += [
                form_dialog.decimal("full_at", "满分值（达到即得满分）", maximum=100_000),
                form_dialog.decimal("zero_at", "零分值（达到即不得分）", maximum=100_000),
            ]

        def submit(values: dict[str, Any]) -> Any:
            changed = schemes.IndicatorForm(
                **{**vars(form), **{k: values[k] for k in values}}  # the fields the dialog shows
            )
            return lambda session, actor: (
                schemes.save_indicator(session, actor, self.scheme_id, changed, indicator_id).id
            )

        dialog = form_dialog.FormDialog(
            self.runner,
            f"修改指标：{form.name}",
            fields,
            submit,
            parent=self,
            intro=_definition(form.metric),
        ).load(vars(form))
        if dialog.exec():
            self.load()

    def _bands(self) -> None:
        fields = [
            form_dialog.decimal("excellent", "优秀（不低于）", maximum=100),
            form_dialog.decimal("good", "良好（不低于）", maximum=100),
            form_dialog.decimal("pass", "合格（不低于）", maximum=100),
        ]
        dialog = form_dialog.FormDialog(
            self.runner,
            "等次分数线",
            fields,
            lambda values: (
                lambda session, actor: schemes.set_bands(
                    session,
                    actor,
                    self.scheme_id,
                    {
                        Grade.EXCELLENT: values["excellent"],
                        Grade.GOOD: values["good"],
                        Grade.PASS: values["pass"],
                    },
                )
            ),
            parent=self,
        ).load({g.value: self.bands.get(g, 0) for g in Grade})
        if dialog.exec():
            self.load()
