"""The detail pane of the queue: one incident's facts, its steps, its papers and its timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
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
from commandcenter.ui.runner import Runner, UnitOfWork, user_message
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
    shown = Signal()  # the incident asked for (or none) is on screen

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.current: IncidentDetail | None = None
        self.reply: ReplyView | None = None
        self._asked = 0  # reads in a worker, so that only the latest is shown
        self._shown = 0  # the read whose incident is on screen
        self.asked_id: int | None = None  # the incident last asked for, on screen or coming
        self._offered: tuple[tuple[Step, ...], tuple[Paper, ...]] = ((), ())  # the buttons shown
        # A step key pressed while the incident is read: what it does, and whether it is offered.
        self._waiting: tuple[Callable[[], None], Callable[[IncidentDetail], bool]] | None = None
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
        """Read the incident in a worker and show it when it comes (75–150 ms on a large
        street: the list the operator is moving through must not freeze meanwhile). An answer
        overtaken by a later choice is dropped; :attr:`shown` says when one is on screen."""
        self._asked += 1
        self.asked_id = incident_id
        asked = self._asked
        if incident_id is None:
            self._settle(asked, None, None)
            return

        def work(session: UnitOfWork, actor: Actor) -> tuple[IncidentDetail, ReplyView | None]:
            return (
                detail.load(session, actor, incident_id),
                replies.latest(session, actor, incident_id),
            )

        def failed(exc: BaseException) -> None:
            # Nothing shown rather than the incident before; an overtaken read says nothing.
            if self._settle(asked, None, None):
                QMessageBox.warning(self, "读取事件", user_message(exc))

        self.runner.run(
            work, lambda found: self._settle(asked, *found), parent=self, on_error=failed
        )

    def _settle(self, asked: int, current: IncidentDetail | None, reply: ReplyView | None) -> bool:
        """Show what read *asked* found; False where a later choice overtook it."""
        if asked != self._asked:
            return False
        self.current, self.reply, self._shown = current, reply, asked
        self._render()
        self.shown.emit()
        return True

    @property
    def reading(self) -> bool:
        """The incident last asked for is still being read."""
        return self._shown != self._asked

    def reload(self) -> None:
        if self.asked_id is not None:
            self.show_incident(self.asked_id)

    def _render(self) -> None:
        detail = self.current
        self._render_buttons()
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

    def _render_buttons(self) -> None:
        """The step and paper buttons, built again only when they change: a button pressed by
        its Alt+letter clicks a moment later, and must still be there when a reload lands."""
        detail = self.current
        papers_offered = list(detail.papers) if detail else []
        if detail is not None and self.reply is not None:
            papers_offered.append(Paper(papers.REPLY_SLIP, "办结回复单", detail.number, detail.id))
        offered = (tuple(detail.steps) if detail else (), tuple(papers_offered))
        if offered == self._offered:
            return
        self._offered = offered
        for box in (self.steps_box, self.papers_box):
            clear_layout(box)
        made: list[QPushButton] = []
        for i, step in enumerate(offered[0]):
            button = QPushButton(step_caption(step))
            button.setObjectName(f"step_{step.value}")
            # clicked passes the checked flag; the default binds this button's step, not the last
            button.clicked.connect(lambda _=False, step=step: self._run(step))
            self.steps_box.addWidget(button, i // 4, i % 4)
            made.append(button)
        for paper in papers_offered:
            button = QPushButton(f"打印{paper.title}")
            button.setObjectName(f"paper_{paper.kind}")
            button.setToolTip(paper.number)
            button.clicked.connect(lambda _=False, paper=paper: self.print_paper(paper))
            self.papers_box.addWidget(button)
            made.append(button)
        if detail is not None:
            self.papers_box.addStretch(1)
        if self.isVisible():
            # Shown now, not by the layout's queued show a moment later: the Alt+letter the
            # operator presses next must find its button on screen.
            for button in made:
                button.show()

    def _run(self, step: Step) -> None:
        """*step* on the incident on screen. A key pressed while the next incident is read
        waits for it and takes that incident's own step, so a step never lands on the incident
        the operator has just moved away from."""
        if self.reading:
            self.when_shown(lambda: self._run(step), lambda shown: step in shown.steps)
            return
        if self.current is None:
            return
        run_step(self, self.runner, step, self.current)

    def when_shown(
        self, then: Callable[[], None], offered: Callable[[IncidentDetail], bool]
    ) -> None:
        """*then* once the incident being read is shown, if it *offered* it. Only the last key
        pressed meanwhile waits: a key pressed twice opens one form, as it did."""
        waiting = self._waiting is not None
        self._waiting = (then, offered)
        if waiting:
            return

        def go() -> None:
            pending, self._waiting = self._waiting, None
            if pending is not None and self.current is not None and pending[1](self.current):
                pending[0]()

        self.shown.connect(go, Qt.ConnectionType.SingleShotConnection)

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
