"""The forms that issue, answer and close follow-ups, and the window of one paper or 约谈.

Each form is a FormDialog whose keys mirror the service's form dataclass; the record window
shows the facts and offers what may be done next: 登记回复 / 登记约谈情况, 办结, 打印.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import papers
from commandcenter.enums import SupervisionKind
from commandcenter.services.actor import Actor
from commandcenter.services.followups import interviews, supervision, views
from commandcenter.services.incidents import choices
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.fitting import FittingScrollArea
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, UnitOfWork, Work

SUPERVISION, INTERVIEW = "supervision", "interview"


def attachment_field(key: str, label: str) -> form_dialog.Field:
    """A file chosen to copy into the data folder, or only the name of a paper kept on file."""
    box = QWidget()
    edit = QLineEdit()
    edit.setPlaceholderText("选择文件复制存档，或只填写纸质回复的名称")
    choose = QPushButton("选择文件…")
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(choose)

    def pick() -> None:
        path = file_dialogs.open_file_name(box, "选择回复附件")
        if path:
            edit.setText(path)

    choose.clicked.connect(pick)
    box.setFocusProxy(edit)

    def put(value: Any) -> None:
        edit.setText(str(value or ""))

    return form_dialog.Field(key, label, box, edit.text, put)


def _units(runner: Runner) -> list[tuple[str, Any]]:
    return runner.read_now(lambda session, actor: choices.units(session, actor))


def issue_unit_supervision(parent: QWidget, runner: Runner) -> int | None:
    """A paper about a unit's general conduct; returns its id once issued."""
    fields = [
        form_dialog.choice("kind", "文书类别", form_dialog.labelled(SupervisionKind)),
        form_dialog.searchable("unit_id", "督办对象", _units(runner), blank="（请选择）"),
        form_dialog.text("content", "督办内容", multiline=True),
        form_dialog.integer("reply_days", "回复期限（工作日）", maximum=30, minimum=1),
    ]

    def submit(values: dict[str, Any]) -> Work:
        form = supervision.UnitSupervisionForm(**values)
        return lambda session, actor: supervision.supervise_unit(session, actor, form).id

    dialog = form_dialog.FormDialog(
        runner,
        "发出督办文书（单位整体工作）",
        fields,
        submit,
        parent=parent,
        intro="针对单位整体工作、不涉及单个事件的督办；文书编号自动生成，"
        "回复期限按工作日计，逾期未回复列入工作台并计入单位考核。",
    )
    dialog.load({"reply_days": 5})
    return dialog.result_value if dialog.exec() else None


def schedule_interview(parent: QWidget, runner: Runner) -> int | None:
    fields = [
        form_dialog.searchable("unit_id", "被约谈单位", _units(runner), blank="（请选择）"),
        form_dialog.text("person_name", "被约谈人"),
        form_dialog.text("person_title", "职务"),
        form_dialog.text("conducted_by", "约谈人", "姓名和职务"),
        form_dialog.text("reason", "约谈事由", multiline=True),
        form_dialog.moment("scheduled_at", "约谈时间"),
        form_dialog.text("place", "约谈地点"),
    ]

    def submit(values: dict[str, Any]) -> Work:
        form = interviews.InterviewForm(**values)
        return lambda session, actor: interviews.schedule(session, actor, form).id

    dialog = form_dialog.FormDialog(
        runner,
        "约谈",
        fields,
        submit,
        parent=parent,
        intro="保存后生成《约谈提醒书》编号，可在约谈记录中打印送达；"
        "约谈后登记整改承诺和跟进核查日期。",
    )
    return dialog.result_value if dialog.exec() else None


def _reply_work(supervision_id: int, values: dict[str, Any], store: Path) -> Work:
    def work(session: UnitOfWork, actor: Actor) -> int:
        typed = (values["attachment"] or "").strip()
        path = Path(typed) if typed else None
        is_file = path is not None and path.is_file()
        form = supervision.ReplyForm(
            replied_on=values["replied_on"],
            summary=values["summary"],
            attachment=path if is_file else None,
            attachment_name="" if is_file else typed,
        )
        return supervision.record_reply(session, actor, supervision_id, form, store).id

    return work


class FollowUpDialog(QDialog):
    """One supervision paper or 约谈: its facts, and the next steps it allows."""

    def __init__(self, runner: Runner, kind: str, record_id: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner, self.kind, self.record_id = runner, kind, record_id
        self.open_incident_id: int | None = None  # set when the user asks for the incident
        self.setObjectName("followUpDialog")
        self.setMinimumWidth(560)
        self.state = QLabel()
        self.state.setObjectName("followUpState")
        body = QWidget()
        self.facts = QFormLayout(body)
        may = allowed(runner.actor, Action.ISSUE_SUPERVISION)
        self.answer = QPushButton("登记回复…" if kind == SUPERVISION else "登记约谈情况…")
        self.answer.setObjectName("followUpAnswer")
        self.close_button = QPushButton("办结…")
        self.close_button.setObjectName("followUpClose")
        self.print_button = QPushButton("打印文书" if kind == SUPERVISION else "打印约谈提醒书")
        self.print_button.setObjectName("followUpPrint")
        self.incident_button = QPushButton("打开所涉事件")
        self.incident_button.setObjectName("followUpIncident")
        self.answer.clicked.connect(self.record_answer)
        self.close_button.clicked.connect(self.close_record)
        self.print_button.clicked.connect(self.print_paper)
        self.incident_button.clicked.connect(self._to_incident)
        self.answer.setVisible(may)
        self.close_button.setVisible(may)
        self.print_button.setEnabled(allowed(runner.actor, Action.PRINT_DOCUMENT))
        actions = QHBoxLayout()
        for button in (self.answer, self.close_button, self.print_button, self.incident_button):
            actions.addWidget(button)
        actions.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(FittingScrollArea(body), 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self.view: views.FollowUpView | None = None
        self.reload()

    def reload(self) -> None:
        kind, record_id = self.kind, self.record_id
        if kind == SUPERVISION:
            view = self.runner.read_now(
                lambda session, actor: views.supervision_view(session, actor, record_id)
            )
        else:
            view = self.runner.read_now(
                lambda session, actor: views.interview_view(session, actor, record_id)
            )
        self.view = view
        self.setWindowTitle(view.title)
        colour = palette.ERROR_TEXT if view.overdue else palette.MUTED_TEXT
        self.state.setText(f"{view.title}　状态：{view.state}")
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in view.lines:
            text = QLabel(value)
            text.setWordWrap(True)
            self.facts.addRow(label, text)
        self.answer.setEnabled(view.can_answer)
        self.close_button.setEnabled(view.can_close)
        self.incident_button.setVisible(view.incident_id is not None)

    def record_answer(self) -> None:
        assert self.view is not None
        record_id, store = self.record_id, self.runner.attachments_dir
        if self.kind == SUPERVISION:
            fields = [
                form_dialog.day("replied_on", "回复日期", optional=False),
                form_dialog.text("summary", "回复内容摘要", multiline=True),
                attachment_field("attachment", "回复附件"),
            ]

            def submit(values: dict[str, Any]) -> Work:
                return _reply_work(record_id, values, store)

            title = "登记书面回复"
        else:
            fields = [
                form_dialog.day("held_on", "约谈日期", optional=False),
                form_dialog.text("commitments", "整改承诺", multiline=True),
                form_dialog.day("follow_up_on", "跟进核查日期", optional=False),
            ]

            def submit(values: dict[str, Any]) -> Work:
                form = interviews.InterviewOutcome(**values)
                return lambda session, actor: (
                    interviews.record_outcome(session, actor, record_id, form).id
                )

            title = "登记约谈情况"
        dialog = form_dialog.FormDialog(self.runner, title, fields, submit, parent=self)
        # Days default to Beijing's today (the machine's zone may differ), or what was recorded.
        today = timeutil.local_date(timeutil.now())
        first = {"replied_on": today, "held_on": today, "follow_up_on": today + timedelta(days=7)}
        dialog.load(first | {k: v for k, v in self.view.defaults.items() if v})
        if dialog.exec():
            self.reload()

    def close_record(self) -> None:
        record_id = self.record_id
        label = "办结意见" if self.kind == SUPERVISION else "跟进核查情况"

        def submit(values: dict[str, Any]) -> Work:
            note = values["note"]
            if self.kind == SUPERVISION:
                return lambda session, actor: supervision.close_supervision(
                    session, actor, record_id, note
                )
            return lambda session, actor: interviews.close(session, actor, record_id, note)

        dialog = form_dialog.FormDialog(
            self.runner,
            "办结",
            [form_dialog.text("note", label, multiline=True)],
            submit,
            parent=self,
        )
        if dialog.exec():
            self.reload()

    def print_paper(self) -> None:
        assert self.view is not None
        kind = papers.SUPERVISION if self.kind == SUPERVISION else papers.INTERVIEW_NOTICE
        record_id = self.record_id
        generate_and_preview(
            self,
            self.runner,
            kind,
            self.view.title,
            lambda session, actor, path: papers.render_paper(session, actor, kind, record_id, path),
        )

    def _to_incident(self) -> None:
        assert self.view is not None
        self.open_incident_id = self.view.incident_id
        self.accept()
