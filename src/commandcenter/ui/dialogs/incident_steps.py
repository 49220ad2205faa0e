"""The dialogs behind the incident's step buttons. Each gathers what its service needs and runs
it as one write; the service decides whether the step is allowed and says why not.

`INCIDENT_STEPS`, at the end, gives every step of `workflow.RULES` its entry: the form it asks
for and the call it makes, a question, or a dialog of its own (see `step_forms`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import (
    Channel,
    Priority,
    ReturnReason,
    ReturnRuling,
    Route,
    SupervisionKind,
    TransferResult,
    WhistleReason,
)
from commandcenter.services import catalogue
from commandcenter.services.actor import Actor
from commandcenter.services.followups import escalations, transfer_results
from commandcenter.services.incidents import (
    choices,
    dispatch,
    duplicates,
    followup,
    intake,
    progress,
    recall,
    triage,
)
from commandcenter.services.incidents.detail import IncidentDetail, WhistleRow
from commandcenter.services.incidents.workflow import Step
from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.dialogs import close_reply, form_dialog, review_steps
from commandcenter.ui.dialogs.dispatch import DispatchDialog
from commandcenter.ui.dialogs.step_forms import (
    Confirmation,
    OwnDialog,
    StepEntry,
    StepForm,
    Values,
    entry_for,
)
from commandcenter.ui.runner import Runner, UnitOfWork

# --- registration ---------------------------------------------------------------------------


def registration_fields(runner: Runner) -> list[form_dialog.Field]:
    grids = runner.read_now(choices.grids)
    entities = runner.read_now(choices.entities)
    return [
        form_dialog.choice("channel", "来源渠道", form_dialog.labelled(Channel)),
        form_dialog.text("channel_ref", "来源工单号", "如 12345 工单号，可不填"),
        form_dialog.moment("received_at", "受理时间"),
        form_dialog.text("title", "事件名称", "一句话概括：地点 + 问题"),
        form_dialog.text("address", "事发地点", "街道、路名门牌或小区楼幢"),
        form_dialog.searchable("grid_id", "所属网格", grids, blank="（未定）"),
        form_dialog.searchable("entity_id", "涉及检查对象", entities, blank="（无）"),
        form_dialog.text("description", "事件描述", "反映人所述的具体情况", multiline=True),
        form_dialog.text("reporter_name", "反映人", "可不填；仅有权限者可见完整信息"),
        form_dialog.text("reporter_phone", "反映人电话", "可不填"),
        form_dialog.flag("urgent", "紧急程度", "紧急（按工作小时计时限）"),
        form_dialog.flag(
            "is_major", "重大执法决定", "拟作出重大执法决定（派单须领导审批，办结前须法制审核）"
        ),
    ]


def _registration_form(values: dict[str, Any]) -> intake.IncidentForm:
    return intake.IncidentForm(
        channel=values["channel"],
        title=values["title"],
        description=values["description"],
        address=values["address"],
        grid_id=values["grid_id"],
        entity_id=values["entity_id"],
        channel_ref=values["channel_ref"],
        reporter_name=values["reporter_name"],
        reporter_phone=values["reporter_phone"],
        received_at=values["received_at"],
        priority=Priority.URGENT if values["urgent"] else Priority.NORMAL,
        is_major=values["is_major"],
    )


class RegisterDialog(form_dialog.FormDialog):
    """登记 with the keyboard alone: Tab through the fields, Enter saves. Likely duplicates
    appear below as the title and place are typed; one may be chosen to merge into."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        self.attachments: list[Path] = []
        self.merge_box = QCheckBox("登记后并入所选事件（并单，两条记录互相关联、只计一次）")
        self.similar = QListWidget()
        super().__init__(
            runner,
            "登记事件",
            registration_fields(runner),
            self._work,
            parent=parent,
            intro="登记人即为首问负责人，姓名将印在该事件的文书上。",
        )
        self.setMinimumWidth(620)
        self.similar.setObjectName("similarIncidents")
        self.merge_box.setEnabled(False)
        self.similar.currentItemChanged.connect(
            lambda item, _old: self.merge_box.setEnabled(item is not None)
        )
        files = QHBoxLayout()
        self.files_label = QLabel("附件：无")
        add_files = QPushButton("添加附件…")
        add_files.clicked.connect(self._choose_files)
        files.addWidget(self.files_label, 1)
        files.addWidget(add_files)
        self.earlier = QListWidget()
        self.earlier.setObjectName("earlierCalls")
        self.grid_hint = QLabel()
        self.grid_hint.setObjectName("gridHint")
        self.grid_hint.setStyleSheet(f"color: {palette.NOTE_TEXT};")
        self.grid_hint.setWordWrap(True)
        self.grid_hint.hide()  # until an address names a grid
        # The two look-ups side by side, a few lines each: the form keeps most of the height.
        lookups = QHBoxLayout()
        for caption, listing in (
            ("可能重复（同一网格或地址、近 7 天、内容相似）：", self.similar),
            ("此前来电（同一号码或地址、近一年）：", self.earlier),
        ):
            column = QVBoxLayout()
            title = QLabel(caption)
            title.setWordWrap(True)
            column.addWidget(title)
            column.addWidget(listing)
            listing.setMaximumHeight(84)
            lookups.addLayout(column, 1)
        self.body_area.setMinimumHeight(220)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        error_at = layout.indexOf(self.error)
        layout.insertWidget(error_at, self.grid_hint)
        layout.insertLayout(error_at + 1, files)
        layout.insertLayout(error_at + 2, lookups)
        layout.insertWidget(error_at + 3, self.merge_box)
        # Look for duplicates when typing pauses: each look is a query over recent incidents.
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.look_for_duplicates)
        for key in ("title", "address", "reporter_phone"):
            edit = self.fields[key].widget
            assert isinstance(edit, QLineEdit)  # fd.text, one line
            edit.textChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.recall)
        grid = self.fields["grid_id"].widget
        assert isinstance(grid, QComboBox)  # fd.searchable
        grid.currentIndexChanged.connect(self._debounce.start)

    def _choose_files(self) -> None:
        paths = file_dialogs.open_file_names(self, "选择附件")
        self.attachments += [Path(p) for p in paths]
        names = "、".join(p.name for p in self.attachments)
        self.files_label.setText(f"附件：{names}" if names else "附件：无")

    def look_for_duplicates(self) -> None:
        values = self.values()
        if not values["title"].strip():
            self.similar.clear()
            return
        found = self.runner.read_now(
            lambda session, actor: duplicates.likely_duplicates(
                session,
                actor,
                title=values["title"],
                description=values["description"],
                address=values["address"],
                grid_id=values["grid_id"],
                received_at=values["received_at"],
            )
        )
        self.similar.clear()
        for candidate in found:
            received = timeutil.format_local(candidate.received_at)
            item = QListWidgetItem(
                f"{candidate.number}　{candidate.title}　{received}　{candidate.status}"
                f"　（{candidate.why}）"
            )
            item.setData(Qt.ItemDataRole.UserRole, candidate.id)
            item.setToolTip(item.text())
            self.similar.addItem(item)

    def recall(self) -> None:
        """The caller's and the door's earlier incidents; the grid the door was filed under
        before, put in the grid box while it is still empty."""
        values = self.values()
        phone, address = values["reporter_phone"], values["address"]
        calls, grid = self.runner.read_now(
            lambda session, actor: (
                recall.earlier_calls(session, actor, phone=phone, address=address),
                recall.suggested_grid(session, actor, address),
            )
        )
        self.earlier.clear()
        for call in calls:
            item = QListWidgetItem(
                f"{call.number}　{call.title}　{timeutil.format_local(call.received_at)}"
                f"　{call.status}　（{call.why}）"
            )
            item.setData(Qt.ItemDataRole.UserRole, call.id)
            item.setToolTip(item.text())
            self.earlier.addItem(item)
        grid_field = self.fields["grid_id"]
        assert isinstance(grid_field, form_dialog.SearchableField)
        # Only an untouched box is filled: never over what the operator chose or is typing.
        untouched = grid_field.widget.currentText().strip() in ("", grid_field.blank)
        if grid is not None and untouched:
            grid_field.put(grid.grid_id)
            self.grid_hint.setText(
                f"已按该地址以往事件填入网格：{grid.name}（{grid.times} 件），可改选。"
            )
        elif grid is None:
            self.grid_hint.clear()
        self.grid_hint.setVisible(bool(self.grid_hint.text()))

    def _work(self, values: dict[str, Any]) -> Callable[[UnitOfWork, Actor], int]:
        form = _registration_form(values)
        files = list(self.attachments)
        store = self.runner.attachments_dir
        chosen = self.similar.currentItem()
        target = (
            chosen.data(Qt.ItemDataRole.UserRole)
            if chosen is not None and self.merge_box.isChecked()
            else None
        )

        def work(session: UnitOfWork, actor: Actor) -> int:
            incident = intake.register(session, actor, form, attachments=files, store=store)
            if target is not None:
                duplicates.merge(session, actor, incident.id, target, "登记时确认重复")
            return incident.id

        return work


def edit_registration(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    def stored(session: UnitOfWork, actor: Actor) -> tuple[dict[str, Any], int]:
        form, version = intake.registration_form(session, actor, detail.id)
        return vars(form) | {"urgent": form.priority is Priority.URGENT}, version

    form_dialog.edit_record(
        runner,
        f"修改登记信息：{detail.number}",
        registration_fields(runner),
        stored,
        lambda values, version: partial(_update, detail.id, _registration_form(values), version),
        parent=parent,
    ).exec()


def _update(
    incident_id: int, form: intake.IncidentForm, version: int, session: UnitOfWork, actor: Actor
) -> int:
    return intake.update_registration(session, actor, incident_id, form, version).id


# --- triage ---------------------------------------------------------------------------------


def triage_dialog(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    today = timeutil.today()
    items = runner.read_now(
        lambda session, actor: catalogue.search_items(session, actor, "", today, limit=5000)
    )
    options = [
        (
            f"{i.code}　{i.name}　〔{i.list_type}・{i.field}{'・' + i.department if i.department else ''}〕",
            i.id,
        )
        for i in items
    ]
    routes = {i.id: triage.ROUTE_FOR[i.kind] for i in items}
    item_field = form_dialog.pick(
        "item_id",
        "执法事项",
        [("（无单一适用事项：职责不清或涉及多个部门）", None), *options],
        "输入事项编码或名称关键词",
    )
    route_field = form_dialog.choice(
        "route", "处置路径", form_dialog.labelled(Route), blank="按清单类别自动确定"
    )
    proposal = QLabel()
    proposal.setWordWrap(True)

    def show_proposal() -> None:
        chosen = item_field.get()
        route = routes.get(chosen, Route.UPWARD) if chosen is not None else Route.UPWARD
        proposal.setText(f"按清单类别建议：{route.label}")

    item_field.list.currentItemChanged.connect(lambda *_: show_proposal())
    show_proposal()
    fields = [
        item_field,
        form_dialog.Field("proposal", "", proposal, lambda: None, lambda _value: None),
        route_field,
        form_dialog.text("override_reason", "调整理由", "改变建议路径时必填"),
        form_dialog.flag("urgent", "紧急程度", "紧急（按工作小时计时限）"),
        form_dialog.flag("is_major", "重大执法决定", "拟作出重大执法决定"),
    ]

    dialog = form_dialog.FormDialog(
        runner,
        f"研判：{detail.number} {detail.title}",
        fields,
        lambda values: partial(_triage, detail, values),
        parent=parent,
        intro="选择适用的执法事项，系统按清单类别给出处置路径并计算办理期限。",
    )
    dialog.setMinimumWidth(720)
    dialog.load({"urgent": detail.priority == Priority.URGENT.label, "is_major": detail.is_major})
    dialog.exec()


def _triage(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> Route:
    form = triage.TriageForm(
        item_id=values["item_id"],
        route=values["route"],
        override_reason=values["override_reason"],
        priority=Priority.URGENT if values["urgent"] else Priority.NORMAL,
        is_major=values["is_major"],
    )
    return triage.triage(session, actor, detail.id, form, detail.version)


# --- the step table ------------------------------------------------------------------------


def run_step(parent: QWidget, runner: Runner, step: Step, detail: IncidentDetail) -> None:
    """Open the dialog for *step* on incident *d*; a step without an entry raises NoStepEntry."""
    entry = entry_for(INCIDENT_STEPS, step)
    entry.open(parent, runner, f"{step.label}：{detail.number}", detail)


def _dispatch_dialog(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    DispatchDialog(runner, detail, parent).exec()


def _merge_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.text("primary", "并入事件编号", "如 2026-000123"),
        form_dialog.text("note", "说明"),
    ]


def _merge(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return duplicates.merge_into_number(
        session, actor, detail.id, values["primary"], values["note"], detail.version
    ).id


def _approve_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice(
            "approved", "审批意见", [("同意派单", True), ("不同意，退回研判", False)]
        ),
        form_dialog.text("note", "意见", multiline=True),
    ]


def _approve(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> object:
    return dispatch.approve(
        session,
        actor,
        detail.id,
        approved=values["approved"],
        note=values["note"],
        expected_version=detail.version,
    )


def _accept_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [form_dialog.text("signed_by", "签收人"), form_dialog.moment("at", "签收时间")]


def _accept(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    progress.accept(
        session,
        actor,
        detail.id,
        signed_by=values["signed_by"],
        at=values["at"],
        expected_version=detail.version,
    )


def _return_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("reason", "退回原因", form_dialog.labelled(ReturnReason)),
        form_dialog.text("note", "说明", "原因为“其他”时必填", multiline=True),
        form_dialog.moment("at", "退回时间"),
    ]


def _return(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> object:
    return progress.return_dispatch(
        session,
        actor,
        detail.id,
        reason=values["reason"],
        note=values["note"],
        at=values["at"],
        expected_version=detail.version,
    )


def _rule_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("ruling", "裁定", form_dialog.labelled(ReturnRuling)),
        form_dialog.text("note", "裁定意见", multiline=True),
    ]


def _rule(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    progress.rule_on_return(
        session,
        actor,
        detail.id,
        ruling=values["ruling"],
        note=values["note"],
        expected_version=detail.version,
    )


def _return_reason(detail: IncidentDetail) -> str:
    return f"退回理由：{detail.pending_return}"


def _start(detail: IncidentDetail, session: UnitOfWork, actor: Actor) -> None:
    progress.start(session, actor, detail.id, detail.version)


def _report_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.text("result", "处置结果", multiline=True),
        form_dialog.moment("at", "反馈时间"),
    ]


def _report(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    progress.report_back(
        session,
        actor,
        detail.id,
        result=values["result"],
        at=values["at"],
        expected_version=detail.version,
    )


def _reopen_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [form_dialog.text("reason", "理由", "如：回访不满意、问题反复", multiline=True)]


def _reopen(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    progress.reopen(
        session, actor, detail.id, reason=values["reason"], expected_version=detail.version
    )


def _extend_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.integer(
            "working_days", "延期（工作日）", maximum=followup.MAX_EXTENSION_DAYS, minimum=1
        ),
        form_dialog.text("reason", "延期理由", multiline=True),
    ]


def _extend(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> object:
    return followup.request_extension(
        session,
        actor,
        detail.id,
        working_days=values["working_days"],
        reason=values["reason"],
        expected_version=detail.version,
    )


def _decide_extension_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("approved", "审批意见", [("同意延期", True), ("不同意延期", False)]),
        form_dialog.text("note", "意见"),
    ]


def _decide_extension(
    detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor
) -> object:
    return followup.decide_extension(
        session,
        actor,
        detail.id,
        approved=values["approved"],
        note=values["note"],
        expected_version=detail.version,
    )


def _extension_request(detail: IncidentDetail) -> str:
    return detail.pending_extension or "该事件没有待审批的延期申请。"


def _supervise_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    incident_id = detail.id
    units = runner.read_now(
        lambda session, actor: choices.incident_units(session, actor, incident_id)
    )
    return [
        form_dialog.choice("kind", "文书类别", form_dialog.labelled(SupervisionKind)),
        form_dialog.choice("unit_id", "督办对象", units),
        form_dialog.text("content", "督办内容", multiline=True),
        form_dialog.integer("reply_days", "反馈期限（工作日）", maximum=30, minimum=1),
    ]


def _supervise(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return followup.supervise(
        session,
        actor,
        detail.id,
        unit_id=values["unit_id"],
        kind=values["kind"],
        content=values["content"],
        reply_days=values["reply_days"],
    ).id


def _transfer_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    departments = runner.read_now(
        lambda session, actor: choices.units(session, actor, choices.DEPARTMENTS)
    )
    return [
        form_dialog.choice("department_id", "接收部门", departments, blank="按事项清单的责任部门"),
        form_dialog.text("facts", "移送事实及已采取的措施", multiline=True),
    ]


def _transfer(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return followup.transfer(
        session,
        actor,
        detail.id,
        department_id=values["department_id"],
        facts=values["facts"],
        expected_version=detail.version,
    ).id


def _transfer_receipt_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [form_dialog.text("received_by", "签收人"), form_dialog.moment("at", "签收时间")]


def _transfer_receipt(
    detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor
) -> int:
    return followup.record_transfer_receipt(
        session, actor, detail.id, received_by=values["received_by"], at=values["at"]
    ).id


def _transfer_result_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("result", "处理结果", form_dialog.labelled(TransferResult)),
        form_dialog.day("result_on", "函告日期", optional=False),
        form_dialog.text("decision", "接收部门的处理决定", multiline=True),
    ]


def _transfer_result(
    detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor
) -> int:
    form = transfer_results.TransferResultForm(**values)
    return transfer_results.record_result(
        session, actor, detail.id, form, expected_version=detail.version
    ).id


def _escalation_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    units = runner.read_now(lambda session, actor: choices.units(session, actor))
    return [
        form_dialog.text("authority", "决定机关"),
        form_dialog.day("decided_on", "决定日期", optional=False),
        form_dialog.searchable("responsible_unit_id", "确定的责任单位", units, blank="（请选择）"),
        form_dialog.text("decision", "决定内容", multiline=True),
    ]


def _escalation(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> int:
    form = escalations.EscalationForm(**values)
    return escalations.record_decision(
        session, actor, detail.id, form, expected_version=detail.version
    ).id


def _attach(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    incident_id = detail.id
    paths = file_dialogs.open_file_names(parent, "添加附件")
    if paths:
        store = runner.attachments_dir
        runner.run(
            lambda session, actor: [
                intake.add_attachment(session, actor, incident_id, Path(path), store).id
                for path in paths
            ],
            write=True,
            parent=parent,
        )


def _note_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [form_dialog.text("note", "备注", multiline=True)]


def _note(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    intake.add_note(session, actor, detail.id, values["note"])


# --- whistle calls --------------------------------------------------------------------------


def whistle_dialog(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    """Blow the whistle to a department, or record a department's reply to a call."""
    waiting = [w for w in detail.whistles if w.arrived_at is None]
    if waiting:
        answer = QMessageBox.question(
            parent,
            "吹哨报到",
            f"{waiting[0].department}尚未到场报到。是否登记其响应或到场？\n选“否”则发起新的吹哨。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            _report_in_dialog(parent, runner, waiting[0])
            return
    departments = runner.read_now(
        lambda session, actor: choices.units(session, actor, choices.DEPARTMENTS)
    )
    leaders = runner.read_now(choices.leaders)
    liaisons = runner.read_now(choices.liaisons_by_unit)
    department = form_dialog.choice("department_id", "被吹哨部门", departments)
    liaison = form_dialog.choice("liaison_id", "联络人", [], blank="（未联系到联络人）")

    def narrow_liaisons() -> None:
        liaison.replace(liaisons.get(department.get(), []))

    department.widget.currentIndexChanged.connect(lambda *_: narrow_liaisons())
    narrow_liaisons()
    fields = [
        department,
        form_dialog.choice("reason", "吹哨事由", form_dialog.labelled(WhistleReason)),
        form_dialog.choice("approved_by_id", "同意吹哨的领导", leaders),
        liaison,
        form_dialog.moment("called_at", "吹哨时间"),
        form_dialog.text("note", "说明"),
    ]
    form = form_dialog.FormDialog(
        runner,
        f"吹哨报到：{detail.number}",
        fields,
        lambda values: partial(_call_whistle, detail, values),
        parent=parent,
        intro="部门响应和到场时间将计入年度考核的吹哨响应时间。",
    )
    form.exec()


def _call_whistle(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> int:
    form = followup.WhistleForm(
        department_id=values["department_id"],
        reason=values["reason"],
        approved_by_id=values["approved_by_id"],
        liaison_id=values["liaison_id"],
        called_at=values["called_at"],
        note=values["note"],
    )
    return followup.call_whistle(session, actor, detail.id, form, detail.version).id


def _report_in_dialog(parent: QWidget, runner: Runner, call: WhistleRow) -> None:
    """A called department's reply: acknowledged, arrived, who came."""
    fields = [
        form_dialog.flag("acknowledged", "已响应", "部门联络人已确认收到"),
        form_dialog.moment("acknowledged_at", "响应时间"),
        form_dialog.flag("arrived", "已到场", "部门人员已到场报到"),
        form_dialog.moment("arrived_at", "到场时间"),
        form_dialog.text("arrived_names", "到场人员"),
    ]
    form_dialog.ask(
        parent,
        runner,
        f"登记报到：{call.department}",
        fields,
        lambda values: partial(_record_report_in, call, values),
        f"吹哨时间：{timeutil.format_local(call.called_at)}",
    )


def _record_report_in(call: WhistleRow, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return followup.record_report_in(
        session,
        actor,
        call.id,
        acknowledged_at=values["acknowledged_at"] if values["acknowledged"] else None,
        arrived_at=values["arrived_at"] if values["arrived"] else None,
        arrived_names=values["arrived_names"],
    ).id


# Every step the workflow's rules offer, and what its button opens (a test keeps the two equal).
INCIDENT_STEPS: dict[Step, StepEntry[IncidentDetail]] = {
    Step.EDIT: OwnDialog(edit_registration),
    Step.TRIAGE: OwnDialog(triage_dialog),
    Step.MERGE: StepForm(
        _merge_fields,
        _merge,
        "本事件将标记为“已并单”，与并入的事件互相关联，统计时只计一次。",
    ),
    Step.DISPATCH: OwnDialog(_dispatch_dialog),
    Step.APPROVE: StepForm(
        _approve_fields,
        _approve,
        "重大执法决定事件：同意后生成调度单编号并下发；派单人和参与现场办理的人员不能审批。",
    ),
    Step.ACCEPT: StepForm(_accept_fields, _accept),
    Step.RETURN: StepForm(
        _return_fields,
        _return,
        "退回后由指挥中心裁定：维持原派单，或重新研判派单。退回次数计入单位考核。",
    ),
    Step.RULE: StepForm(_rule_fields, _rule, _return_reason),
    Step.START: Confirmation("确认承办单位已开始处置？", _start),
    Step.REPORT: StepForm(_report_fields, _report, "现场照片、处罚文书等可在详情中“添加附件”。"),
    Step.LEGAL_REVIEW: StepForm(
        review_steps.legal_review_fields,
        review_steps.legal_review_step,
        "重大执法决定须经法制审核通过后方可由领导办结；审核不通过的退回承办单位补正，"
        "补正反馈后重新审核。参与现场办理的人员不能审核。",
    ),
    Step.PART_ACCEPT: StepForm(review_steps.part_accept_fields, review_steps.part_accept),
    Step.PART_REPORT: StepForm(
        review_steps.part_report_fields,
        review_steps.part_report,
        "协办单位按派单的单位期限反馈其协办部分；全部协办部分反馈或免除后事件方可办结。",
    ),
    Step.PART_WAIVE: StepForm(
        review_steps.part_waive_fields,
        review_steps.part_waive,
        "免除后该协办单位无需再反馈，理由记入办理记录。",
    ),
    Step.MARK_MAJOR: StepForm(
        review_steps.mark_major_fields,
        review_steps.mark_major,
        "标记后：尚未派出的派单须经领导审批；办结前须经法制审核通过，并由领导决定办结。",
    ),
    Step.CLOSE: OwnDialog(close_reply.show_close),
    Step.REOPEN: StepForm(_reopen_fields, _reopen),
    Step.EXTEND: StepForm(
        _extend_fields, _extend, "延期须经领导审批，批准后按工作日顺延办理期限。"
    ),
    Step.DECIDE_EXTENSION: StepForm(
        _decide_extension_fields, _decide_extension, _extension_request
    ),
    Step.WHISTLE: OwnDialog(whistle_dialog),
    Step.SUPERVISE: StepForm(
        _supervise_fields, _supervise, "文书编号自动生成；督办记入被督办单位的考核。"
    ),
    Step.TRANSFER: StepForm(
        _transfer_fields,
        _transfer,
        "移送后事件结束街道办理，打印《案件移送函》送达部门并登记回执。",
    ),
    Step.TRANSFER_RECEIPT: StepForm(
        _transfer_receipt_fields,
        _transfer_receipt,
        "回执超过设定的工作日未登记，列入工作台“移送回执未回”并计入接收单位考核。",
    ),
    Step.TRANSFER_RESULT: StepForm(
        _transfer_result_fields,
        _transfer_result,
        "登记接收部门函告的处理结果（案件移送抄告）；再次登记将替换上次的结果。",
    ),
    Step.ESCALATION_DECISION: StepForm(
        _escalation_fields,
        _escalation,
        "登记上级对责任争议的决定：区级部门为责任单位的，事件转为移送；街道内单位为责任单位的，"
        "事件待派单，由该单位主办。",
        defaults={"authority": "区人民政府"},
    ),
    Step.ATTACH: OwnDialog(_attach),
    Step.NOTE: StepForm(_note_fields, _note),
}
