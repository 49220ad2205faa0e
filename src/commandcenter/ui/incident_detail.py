"""The detail pane of the queue: one incident's facts, its steps, its papers and its timeline."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import papers
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import detail, intake, replies
from commandcenter.services.incidents.deadlines import DeadlineState
from commandcenter.services.incidents.detail import IncidentDetail, Paper
from commandcenter.services.incidents.replies import ReplyView
from commandcenter.services.incidents.workflow import Step
from commandcenter.ui import palette
from commandcenter.ui.dialogs.incident_steps import run_step
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, UnitOfWork
from commandcenter.ui.step_keys import step_caption
from commandcenter.ui.tables import clear_layout

_BADGE = {
    DeadlineState.ON_TIME: (palette.OK_BACKGROUND, palette.OK_TEXT),
    DeadlineState.WARNING: (palette.WARNING_BACKGROUND, palette.WARNING_TEXT),
    DeadlineState.OVERDUE: (palette.OVERDUE_BACKGROUND, palette.OVERDUE_TEXT),
}


def _fmt(moment: datetime | None) -> str:
    return timeutil.format_local(moment) if moment else ""


def facts_html(detail: IncidentDetail) -> str:
    rows = [
        ("事件名称", detail.title),
        ("来源渠道", detail.channel + (f"（{detail.channel_ref}）" if detail.channel_ref else "")),
        ("受理时间", _fmt(detail.received_at)),
        ("事发地点", detail.address + (f"（{detail.grid}）" if detail.grid else "")),
        ("检查对象", detail.entity),
        ("反映人", detail.reporter),
        ("事件描述", detail.description),
        ("紧急程度", detail.priority + ("；重大执法决定" if detail.is_major else "")),
        ("执法事项", detail.item + (f"（{detail.list_type}）" if detail.list_type else "")),
        (
            "处置路径",
            detail.route
            + (
                f"；调整理由：{detail.route_override_reason}"
                if detail.route_override_reason
                else ""
            ),
        ),
        ("主办单位", detail.lead_unit),
        ("协办单位", "、".join(detail.co_units)),
        # Each co-operating unit's own part: signed, reported, waived, overdue.
        ("协办部分", "；".join(p.line for p in detail.parts)),
        ("现场人员", "；".join(p.text for p in detail.team)),
        ("办理要求", detail.requirements),
        (
            "办理期限",
            _fmt(detail.deadline_at)
            + ("（跨越未载入节假日安排的年度，期限待核）" if detail.deadline_uncertain else ""),
        ),
        ("首问负责人", detail.first_responsible),
        ("法制审核", detail.legal_review or detail.legal_reviewed),
        (
            "待补正",
            f"{detail.correction_requested} 起，待承办单位补正后重新反馈"
            if detail.correction_requested
            else "",
        ),
        ("回访满意度", f"{detail.satisfaction} 分" if detail.satisfaction else ""),
        ("并入事件", detail.merged_into),
        ("待审批延期", detail.pending_extension),
        ("待裁定退回", detail.pending_return),
    ]
    cells = "".join(
        f"<tr><td style='color:{palette.MUTED_TEXT};padding:2px 8px 2px 0;white-space:nowrap' "
        f"valign='top'>{escape(label)}</td>"
        f"<td style='padding:2px 0'>{escape(value)}</td></tr>"
        for label, value in rows
        if value
    )
    return f"<table cellspacing='0'>{cells}</table>"


def reply_html(reply: ReplyView | None) -> str:
    """The 办结回复 of the incident's closing, below its facts."""
    if reply is None:
        return ""
    rows = [
        ("回复方式", f"{reply.channel}（{reply.outcome}）"),
        ("回复时间", f"{_fmt(reply.replied_at)}　{reply.replied_by}"),
        ("回复内容", reply.text),
    ]
    cells = "".join(
        f"<tr><td style='color:{palette.MUTED_TEXT};padding:2px 8px 2px 0;white-space:nowrap' "
        f"valign='top'>{escape(label)}</td><td style='padding:2px 0'>{escape(value)}</td></tr>"
        for label, value in rows
    )
    return (
        f"<p style='margin:8px 0 2px 0'><b>办结回复</b></p><table cellspacing='0'>{cells}</table>"
    )


class IncidentDetailPane(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.current: IncidentDetail | None = None
        self.reply: ReplyView | None = None
        self.heading = QLabel("请在左侧列表中选择一件事件")
        self.heading.setObjectName("incidentHeading")
        self.heading.setProperty("role", "page-title")
        self.heading.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setObjectName("deadlineBadge")
        self.steps_box = QGridLayout()
        self.papers_box = QHBoxLayout()
        self.facts = QTextBrowser()
        self.facts.setObjectName("incidentFacts")
        self.facts.setOpenLinks(False)
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("incidentTimeline")
        self.timeline.setHeaderLabels(["时间", "环节", "经办人", "内容"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setWordWrap(True)
        for i, width in enumerate((120, 80, 70)):
            self.timeline.setColumnWidth(i, width)
        self.whistles = QTreeWidget()
        self.whistles.setObjectName("incidentWhistles")
        self.whistles.setHeaderLabels(
            ["部门", "事由", "同意领导", "联络人", "吹哨", "响应", "到场", "用时"]
        )
        self.whistles.setRootIsDecorated(False)
        self.attachments = QTreeWidget()
        self.attachments.setObjectName("incidentAttachments")
        self.attachments.setHeaderLabels(["文件", "大小"])
        self.attachments.setRootIsDecorated(False)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.facts, "概况")
        self.tabs.addTab(self.timeline, "办理过程")
        self.tabs.addTab(self.whistles, "吹哨报到")
        self.tabs.addTab(self.attachments, "附件")

        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(self.steps_box)
        layout.addLayout(self.papers_box)
        layout.addWidget(self.tabs, 1)

    def show_incident(self, incident_id: int | None) -> None:
        if incident_id is None:
            self.current = self.reply = None
            self._render()
            return
        self.current = self.runner.read_now(
            lambda session, actor: detail.load(session, actor, incident_id)
        )
        self.reply = self.runner.read_now(
            lambda session, actor: replies.latest(session, actor, incident_id)
        )
        self._render()

    def reload(self) -> None:
        if self.current is not None:
            self.show_incident(self.current.id)

    def _render(self) -> None:
        detail = self.current
        for box in (self.steps_box, self.papers_box):
            clear_layout(box)
        self.timeline.clear()
        self.whistles.clear()
        self.attachments.clear()
        if detail is None:
            self.heading.setText("请在左侧列表中选择一件事件")
            self.badge.clear()
            self.facts.clear()
            return
        self.heading.setText(f"{detail.number}　{detail.status}")
        colours = _BADGE.get(detail.deadline_state)
        if colours and detail.time_left:
            background, foreground = colours
            self.badge.setText(f" {detail.deadline_state.label}：{detail.time_left} ")
            self.badge.setStyleSheet(
                f"background:{background};color:{foreground};border-radius:4px;padding:3px 6px;"
            )
        else:
            self.badge.setText(detail.deadline_state.label if detail.deadline_state else "")
            self.badge.setStyleSheet(f"color:{palette.MUTED_TEXT};")
        for i, step in enumerate(detail.steps):
            button = QPushButton(step_caption(step))
            button.setObjectName(f"step_{step.value}")
            # clicked passes the checked flag; the default binds this button's step, not the last
            button.clicked.connect(lambda _=False, step=step: self._run(step))
            self.steps_box.addWidget(button, i // 4, i % 4)
        for paper in detail.papers:
            button = QPushButton(f"打印{paper.title}")
            button.setObjectName(f"paper_{paper.kind}")
            button.setToolTip(paper.number)
            button.clicked.connect(lambda _=False, paper=paper: self.print_paper(paper))
            self.papers_box.addWidget(button)
        if self.reply is not None:
            reply_paper = Paper(papers.REPLY_SLIP, "办结回复单", detail.number, detail.id)
            button = QPushButton("打印办结回复单")
            button.setObjectName("paper_reply-slip")
            button.clicked.connect(lambda _=False, paper=reply_paper: self.print_paper(paper))
            self.papers_box.addWidget(button)
        self.papers_box.addStretch(1)
        self.facts.setHtml(facts_html(detail) + reply_html(self.reply))
        for entry in detail.timeline:
            note = entry.note + (f"（→{entry.status}）" if entry.status else "")
            self.timeline.addTopLevelItem(
                QTreeWidgetItem([_fmt(entry.at), entry.kind, entry.user, note])
            )
        for whistle in detail.whistles:
            minutes = whistle.response_minutes
            self.whistles.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        whistle.department,
                        whistle.reason,
                        whistle.approved_by,
                        whistle.liaison,
                        _fmt(whistle.called_at),
                        _fmt(whistle.acknowledged_at),
                        _fmt(whistle.arrived_at)
                        + (f" {whistle.arrived_names}" if whistle.arrived_names else ""),
                        f"{minutes} 分钟" if minutes is not None else "未到场",
                    ]
                )
            )
        for attachment_id, name, size in detail.attachments:
            item = QTreeWidgetItem([name, f"{size / 1024:.0f} KB"])
            item.setData(0, Qt.ItemDataRole.UserRole, attachment_id)
            self.attachments.addTopLevelItem(item)

    def _run(self, step: Step) -> None:
        if self.current is None:
            return
        run_step(self, self.runner, step, self.current)

    def print_paper(self, paper: Paper) -> None:
        def render(session: UnitOfWork, actor: Actor, path: Path) -> Path:
            return papers.render_paper(session, actor, paper.kind, paper.record_id, path)

        generate_and_preview(self, self.runner, paper.kind, f"{paper.title} {paper.number}", render)

    def _open_attachment(self, item: QTreeWidgetItem) -> None:
        attachment_id = item.data(0, Qt.ItemDataRole.UserRole)
        store = self.runner.attachments_dir
        path = self.runner.read_now(
            lambda session, actor: intake.attachment_file(session, actor, attachment_id, store)
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
