"""考核结果运用…: the results letters to the departments, the recommendations for agencies graded
优秀 and the personnel motions for 不合格 with their party committee consultation, for one agency
scheme. Printing and the consultation record are a leader's; the services check it again."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import assessment_results
from commandcenter.services.assessment import results
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.pages.assessment_sheet import points
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table

NOT_YET = "未编号（首次打印时编号）"


def _group(title: str, table: QTableWidget, buttons: list[QPushButton]) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(table, 1)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    layout.addLayout(row)
    return box


class ResultsDialog(QDialog):
    def __init__(self, runner: Runner, scheme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.scheme_id = runner, scheme_id
        self.setObjectName("assessmentResultsDialog")
        self.setWindowTitle("考核结果运用")
        self.resize(960, 640)  # within a 1366×768 screen, with the taskbar
        self.overview: results.Overview | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.letters = read_only_table(["区级部门", "派驻机构（等次）", "通报函编号"])
        self.letters.setObjectName("resultsLetters")
        self.recommendations = read_only_table(["派驻机构", "区级部门", "综合得分", "推荐函编号"])
        self.recommendations.setObjectName("resultsRecommendations")
        self.motions = read_only_table(
            ["派驻机构", "区级部门", "综合得分", "主要负责人", "党工委研究", "动议书编号"]
        )
        self.motions.setObjectName("resultsMotions")
        self.print_letter = QPushButton("打印通报函(&L)")
        self.print_recommendation = QPushButton("打印推荐函(&R)")
        self.consult = QPushButton("录入党工委研究记录(&C)…")
        self.print_motion = QPushButton("打印动议书(&M)")
        for button, name in (
            (self.print_letter, "printLetter"),
            (self.print_recommendation, "printRecommendation"),
            (self.consult, "recordConsultation"),
            (self.print_motion, "printMotion"),
        ):
            button.setObjectName(name)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(
            _group("考核结果通报函（每个区级部门一份）", self.letters, [self.print_letter]), 3
        )
        layout.addWidget(
            _group("推荐提名（考核等次为优秀）", self.recommendations, [self.print_recommendation]),
            2,
        )
        layout.addWidget(
            _group(
                "人事调整动议（考核等次为不合格；须经街道党工委研究后打印）",
                self.motions,
                [self.consult, self.print_motion],
            ),
            2,
        )
        layout.addWidget(close)

        self.print_letter.clicked.connect(self._print_letter)
        self.print_recommendation.clicked.connect(self._print_recommendation)
        self.consult.clicked.connect(self._consult)
        self.print_motion.clicked.connect(self._print_motion)
        for table in (self.letters, self.recommendations, self.motions):
            table.itemSelectionChanged.connect(self._enable)
        self.refresh()

    def refresh(self) -> None:
        self.overview = seen = self.runner.read_now(
            lambda session, actor: results.overview(session, actor, self.scheme_id)
        )
        text = (
            f"{seen.scheme_name}：文书按锁定签发的考核评价表生成，编号在首次打印时领取，"
            "重印沿用原编号和日期。"
        )
        if seen.refusal:
            text += f"<br/><span style='color:{palette.ERROR_TEXT}'>{seen.refusal}</span>"
        self.intro.setText(text)
        fill(self.letters, [[x.department, x.agencies, x.number or NOT_YET] for x in seen.letters])
        fill(
            self.recommendations,
            [
                [
                    line.agency,
                    line.department or "（未登记主管部门）",
                    points(line.total),
                    line.number or NOT_YET,
                ]
                for line in seen.recommendations
            ],
        )
        fill(
            self.motions,
            [
                [
                    motion.agency,
                    motion.department or "（未登记主管部门）",
                    points(motion.total),
                    f"{motion.head_position}{motion.head_name}" if motion.consulted else "—",
                    f"{motion.meeting_date} {motion.meeting_name}"
                    if motion.consulted
                    else "未录入",
                    motion.number or ("—" if not motion.consulted else NOT_YET),
                ]
                for motion in seen.motions
            ],
        )
        for table in (self.letters, self.recommendations, self.motions):
            if table.rowCount():
                table.selectRow(0)
        self._enable()
        (self.letters if seen.letters else self.motions).setFocus()

    def _row(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _enable(self) -> None:
        seen = self.overview
        actor = self.runner.actor
        may_print = allowed(actor, Action.PRINT_ASSESSMENT_RESULTS)
        final = seen is not None and seen.refusal is None
        self.print_letter.setEnabled(may_print and final and self._row(self.letters) is not None)
        self.print_recommendation.setEnabled(
            may_print and final and self._row(self.recommendations) is not None
        )
        motion = self._motion()
        self.consult.setEnabled(allowed(actor, Action.RECORD_CONSULTATION) and motion is not None)
        self.print_motion.setEnabled(
            may_print and final and motion is not None and motion.consulted
        )

    def _motion(self) -> results.MotionLine | None:
        row = self._row(self.motions)
        return self.overview.motions[row] if self.overview and row is not None else None

    def _print_letter(self) -> None:
        row = self._row(self.letters)
        if self.overview is None or row is None:
            return
        line, scheme_id = self.overview.letters[row], self.scheme_id
        generate_and_preview(
            self,
            self.runner,
            assessment_results.LETTER,
            f"{assessment_results.LETTER}（{line.department}）",
            lambda session, actor, path: assessment_results.print_letter(
                session, actor, scheme_id, line.department_id, path
            ),
            write=True,
            on_done=self.refresh,
        )

    def _print_recommendation(self) -> None:
        row = self._row(self.recommendations)
        if self.overview is None or row is None:
            return
        line = self.overview.recommendations[row]
        generate_and_preview(
            self,
            self.runner,
            assessment_results.RECOMMENDATION,
            f"{assessment_results.RECOMMENDATION}（{line.agency}）",
            lambda session, actor, path: assessment_results.print_recommendation(
                session, actor, line.sheet_id, path
            ),
            write=True,
            on_done=self.refresh,
        )

    def _print_motion(self) -> None:
        line = self._motion()
        if line is None:
            return
        generate_and_preview(
            self,
            self.runner,
            assessment_results.MOTION,
            f"{assessment_results.MOTION}（{line.agency}）",
            lambda session, actor, path: assessment_results.print_motion(
                session, actor, line.sheet_id, path
            ),
            write=True,
            on_done=self.refresh,
        )

    def _consult(self) -> None:
        line = self._motion()
        if line is None:
            return

        def submit(values: dict[str, Any]) -> Any:
            form = results.ConsultationForm(**values)
            return lambda session, actor: results.record_consultation(
                session, actor, line.sheet_id, form, expected_version=line.version
            )

        dialog = form_dialog.FormDialog(
            self.runner,
            f"党工委研究记录：{line.agency}",
            [
                form_dialog.text("head_name", "主要负责人"),
                form_dialog.text("head_position", "职务"),
                form_dialog.text("reasons", "动议理由", multiline=True),
                form_dialog.day("meeting_date", "会议日期", optional=False),
                form_dialog.text(
                    "meeting_name", "会议名称或纪要编号", "如：街道党工委会议（纪要〔2026〕21号）"
                ),
                form_dialog.text(
                    "decision", "研究意见", "如：同意提出人事调整动议", multiline=True
                ),
            ],
            submit,
            parent=self,
            intro="人事调整动议须经街道党工委研究。主要负责人按人员名册中的所长等职务预填，"
            "名册未登记时请填写。保存后记入操作记录，即可打印动议书。",
        )
        values: dict[str, Any] = {
            "head_name": line.head_name,
            "head_position": line.head_position,
            "reasons": line.reasons,
            "meeting_date": line.meeting_date or timeutil.today(),
            "meeting_name": line.meeting_name,
            "decision": line.decision,
        }
        if dialog.load(values).exec():
            self.refresh()
