"""The right half of the plans tab in 联合行动: one plan's facts, steps, targets, draws and papers."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import papers
from commandcenter.enums import PlanStatus
from commandcenter.services import draws, plans
from commandcenter.services.actor import Actor
from commandcenter.services.plans import PlanDetail
from commandcenter.ui import palette
from commandcenter.ui.dialogs.plan_steps import run_plan_step
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, UnitOfWork
from commandcenter.ui.step_keys import step_caption
from commandcenter.ui.tables import clear_layout, fill, read_only_table


class PlanPane(QWidget):
    """One plan: facts, steps, targets with results, draws, papers."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.current: PlanDetail | None = None
        self.heading = QLabel("请在左侧选择一个行动方案")
        self.heading.setProperty("role", "page-title")
        self.heading.setWordWrap(True)
        self.steps = QGridLayout()
        self.paper_bar = QHBoxLayout()
        self.facts = QTextBrowser()
        self.facts.setObjectName("planFacts")
        self.targets = read_only_table(
            ["组别", "检查对象", "地址", "信用等级", "结果", "发现问题", "立案事件", "附件", "备注"]
        )
        self.targets.setObjectName("planTargets")
        self.draws = read_only_table(["抽取", "记录编号", "时间", "候选", "种子", "重新抽取理由"])
        self.draws.setObjectName("planDraws")
        tabs = QTabWidget()
        tabs.addTab(self.facts, "方案")
        tabs.addTab(self.targets, "检查对象")
        tabs.addTab(self.draws, "抽取记录")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.steps)
        layout.addLayout(self.paper_bar)
        layout.addWidget(tabs, 1)
        self.tabs = tabs

    def show_plan(self, plan_id: int | None) -> None:
        self.current = (
            self.runner.read_now(lambda session, actor: plans.detail(session, actor, plan_id))
            if plan_id
            else None
        )
        self._render()

    def reload(self) -> None:
        if self.current is not None:
            self.show_plan(self.current.id)

    def _render(self) -> None:
        clear_layout(self.steps)
        clear_layout(self.paper_bar)
        detail = self.current
        if detail is None:
            self.heading.setText("请在左侧选择一个行动方案")
            self.facts.clear()
            fill(self.targets, [])
            fill(self.draws, [])
            return
        self.heading.setText(f"{detail.title}　{detail.status}")
        for i, step in enumerate(detail.steps):
            button = QPushButton(step_caption(step))
            button.setObjectName(f"planstep_{step.value}")
            # clicked passes the checked flag; the default binds this button's step, not the last
            button.clicked.connect(lambda _=False, step=step: self._run(step))
            self.steps.addWidget(button, i // 4, i % 4)
        for kind, caption in (("plan", "打印方案"), ("checklist", "打印检查记录表")):
            button = QPushButton(caption)
            button.setObjectName(f"planpaper_{kind}")
            button.setEnabled(bool(detail.number))
            button.setToolTip("" if detail.number else "方案审批后才有编号，可打印")
            button.clicked.connect(lambda _=False, kind=kind: self.print_paper(kind, detail.number))
            self.paper_bar.addWidget(button)
        for row in detail.draws:
            button = QPushButton(f"打印抽取记录（{row.kind}）")
            button.setObjectName("planpaper_draw")
            button.clicked.connect(
                lambda _=False, row=row: self.print_paper("draw-record", row.number)
            )
            self.paper_bar.addWidget(button)
        if detail.status in (PlanStatus.IN_PROGRESS.label, PlanStatus.DONE.label):
            attach = QPushButton("添加检查附件")
            attach.setObjectName("planAttach")
            attach.clicked.connect(self.attach)
            self.paper_bar.addWidget(attach)
        if detail.draws:
            verify = QPushButton("复算核验")
            verify.setObjectName("verifyDraws")
            verify.clicked.connect(self.verify)
            self.paper_bar.addWidget(verify)
        self.paper_bar.addStretch(1)
        facts = [
            ("方案编号", detail.number or "（审批后生成）"),
            ("行动类型", detail.theme),
            ("日期", f"{timeutil.chinese_date(detail.planned_on)} {detail.window}"),
            ("牵头单位", detail.lead_unit),
            ("参加部门", "、".join(detail.departments)),
            (
                "参加情况",
                "；".join(
                    f"{row.name}：{row.text}"
                    for row in detail.attendance
                    if row.attended is not None
                ),
            ),
            ("检查网格", "、".join(detail.grids)),
            (
                "超出上限",
                "；".join(
                    f"{target.entity}：{target.cap_override}"
                    for target in detail.targets
                    if target.cap_override
                ),
            ),
            ("检查事项", "；".join(detail.items)),
            ("执法人员", "；".join(detail.teams)),
            ("行动目标", detail.objective),
            ("总结", detail.summary),
        ]
        self.facts.setHtml(
            "<table>"
            + "".join(
                f"<tr><td style='color:{palette.MUTED_TEXT};padding-right:8px' valign='top'>"
                f"{escape(label)}</td>"
                f"<td>{escape(value)}</td></tr>"
                for label, value in facts
                if value
            )
            + "</table>"
        )
        fill(
            self.targets,
            [
                [
                    f"第{target.team}组",
                    target.entity,
                    target.address,
                    target.grade,
                    target.result,
                    target.findings,
                    target.incident,
                    target.attachments or "",
                    target.cap_override,
                ]
                for target in detail.targets
            ],
        )
        fill(
            self.draws,
            [
                [
                    draw.kind,
                    draw.number,
                    timeutil.format_local(draw.drawn_at),
                    draw.size,
                    draw.seed,
                    draw.redraw_reason,
                ]
                for draw in detail.draws
            ],
        )

    def selected_target(self) -> int | None:
        rows = self.targets.selectionModel().selectedRows()
        if not rows or self.current is None:
            return None
        return self.current.targets[rows[0].row()].id

    def _run(self, step: plans.PlanStep) -> None:
        if self.current is not None:
            if step is plans.PlanStep.RESULT:
                self.tabs.setCurrentWidget(self.targets)
            run_plan_step(self, self.runner, step, self.current, self.selected_target())

    def print_paper(self, kind: str, number: str) -> None:
        def render(session: UnitOfWork, actor: Actor, path: Path) -> Path:
            return papers.BY_NUMBER[kind](session, actor, number, path)

        generate_and_preview(self, self.runner, kind, number, render)

    def attach(self) -> None:
        target_id = self.selected_target()
        if target_id is None:
            self.tabs.setCurrentWidget(self.targets)
            QMessageBox.information(self, "添加检查附件", "请先在检查对象列表中选择一家。")
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "添加检查附件")
        store = self.runner.attachments_dir
        if paths:
            self.runner.run(
                lambda session, actor: [
                    plans.add_target_attachment(session, actor, target_id, Path(path), store).id
                    for path in paths
                ],
                write=True,
                parent=self,
            )

    def verify(self) -> None:
        if self.current is None:
            return
        ids = [r.id for r in self.current.draws]

        def show(results: list[draws.Replay]) -> None:
            lines = [f"{result.record}：{result.message}" for result in results]
            QMessageBox.information(self, "复算核验", "\n".join(lines))

        # Replaying draws the pool again from every record, up to thousands of people each: in a
        # worker, so the window keeps answering.
        self.runner.run(
            lambda session, actor: [draws.replay(session, actor, draw_id) for draw_id in ids],
            show,
            parent=self,
        )
