"""The dialogs behind a plan's step buttons; each runs one service call as one write.

`PLAN_STEPS`, at the end, gives every step of `plans.PLAN_RULES` its entry (see `step_forms`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from functools import partial
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from commandcenter import timeutil
from commandcenter.enums import InspectionResult, PlanTheme
from commandcenter.services import catalogue, draws, plans
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import choices
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.plans import PlanDetail, PlanStep
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.step_forms import (
    Confirmation,
    OwnDialog,
    StepEntry,
    StepForm,
    Values,
    entry_for,
)
from commandcenter.ui.runner import Runner, UnitOfWork


def plan_fields(runner: Runner) -> list[form_dialog.Field]:
    today = timeutil.today()
    units = runner.read_now(choices.units)
    departments = runner.read_now(
        lambda session, actor: choices.units(session, actor, choices.DEPARTMENTS)
    )
    grids = runner.read_now(choices.grids)
    items = runner.read_now(
        lambda session, actor: catalogue.search_items(session, actor, "", today, limit=5000)
    )
    return [
        form_dialog.text("title", "行动名称", "例如：11月餐饮单位“综合查一次”"),
        form_dialog.choice("theme", "行动类型", form_dialog.labelled(PlanTheme)),
        form_dialog.choice("lead_unit_id", "牵头单位", units),
        form_dialog.many("department_ids", "参加部门", departments),
        form_dialog.day("planned_on", "行动日期", optional=False),
        form_dialog.clock("start_time", "开始时间", time(9, 0)),
        form_dialog.clock("end_time", "结束时间", time(16, 30)),
        form_dialog.many("grid_ids", "检查网格", grids),
        form_dialog.many(
            "item_ids",
            "检查事项",
            [(f"{i.code} {i.name}（{i.department or '街道执法中队'}）", i.id) for i in items],
        ),
        form_dialog.text("objective", "行动目标", "进一次门、查多项事", multiline=True),
    ]


def _form(values: dict[str, Any]) -> plans.PlanForm:
    return plans.PlanForm(**{k: values[k] for k in plans.PlanForm.__dataclass_fields__})


def new_plan(parent: QWidget, runner: Runner) -> int | None:
    dialog = form_dialog.FormDialog(
        runner,
        "编制行动方案",
        plan_fields(runner),
        lambda values: partial(_create, values),
        parent=parent,
        intro="编制后随机抽取执法人员和检查对象，再提交领导审批。",
    )
    dialog.setMinimumWidth(640)
    return dialog.result_value if dialog.exec() else None


def _create(values: Values, session: UnitOfWork, actor: Actor) -> int:
    return plans.create_plan(session, actor, _form(values)).id


@dataclass(frozen=True)
class Chosen:
    """What a plan step acts on: the plan, and the target chosen in its list (if any)."""

    plan: PlanDetail
    target_id: int | None


# Steps on the target chosen in the list rather than on the plan as a whole.
ON_A_TARGET = frozenset({PlanStep.RESULT})


def run_plan_step(
    parent: QWidget, runner: Runner, step: PlanStep, detail: PlanDetail, target_id: int | None
) -> None:
    """Open the dialog for *step* on plan *d*; a step without an entry raises NoStepEntry."""
    entry = entry_for(PLAN_STEPS, step)
    if step in ON_A_TARGET and target_id is None:
        QMessageBox.information(parent, step.label, "请先在检查对象列表中选择一家。")
        return
    entry.open(parent, runner, f"{step.label}：{detail.title}", Chosen(detail, target_id))


def _edit_dialog(parent: QWidget, runner: Runner, chosen: Chosen) -> None:
    plan_id = chosen.plan.id
    form, version = runner.read_now(lambda session, actor: plans.plan_form(session, actor, plan_id))
    dialog = form_dialog.FormDialog(
        runner,
        f"{PlanStep.EDIT.label}：{chosen.plan.title}",
        plan_fields(runner),
        lambda values: partial(_update, plan_id, version, values),
        parent=parent,
    ).load(vars(form))
    dialog.setMinimumWidth(640)
    dialog.exec()


def _update(plan_id: int, version: int, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return plans.update_plan(session, actor, plan_id, _form(values), version).id


def _redraw_reason() -> form_dialog.Field:
    return form_dialog.text("reason", "重新抽取理由", "原抽取记录将保留")


def _draw_inspectors_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    fields = [
        form_dialog.integer("teams", "组数", maximum=20, minimum=1),
        form_dialog.integer("per_team", "每组人数", maximum=10, minimum=draws.MIN_PER_TEAM),
    ]
    if any(r.kind == "执法人员" for r in chosen.plan.draws):
        fields.append(_redraw_reason())
    return fields


def _draw_inspectors(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return draws.draw_inspectors(
        session,
        actor,
        chosen.plan.id,
        teams=values["teams"],
        per_team=values["per_team"],
        reason=values.get("reason"),
    ).id


def _draw_targets_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    fields = [
        form_dialog.integer("count", "抽取数量", maximum=200, minimum=1),
        form_dialog.text("industry", "行业（可不填）", "不填则按检查事项适用的行业抽取"),
        form_dialog.text(
            "widen_reason", "扩大范围理由", "超出检查事项适用的行业时填写，印在抽取记录上"
        ),
    ]
    if any(r.kind == "检查对象" for r in chosen.plan.draws):
        fields.append(_redraw_reason())
    return fields


def _draw_targets(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> int:
    return draws.draw_targets(
        session,
        actor,
        chosen.plan.id,
        count=values["count"],
        industry=values["industry"].strip() or None,
        widen_reason=values["widen_reason"].strip() or None,
        reason=values.get("reason"),
    ).id


_CHOOSE_INTRO = (
    "专项整治、联合会诊等可按问题线索选定检查对象；双随机抽查请用“抽取检查对象”。"
    "本年度检查次数已达上限的对象须经领导批准并写明理由。"
)


class ChooseTargetsDialog(form_dialog.FormDialog):
    """Targets picked by hand. One over the yearly cap: a leader is asked for the reason and
    the choice is saved with it; anyone else reads that a leader must approve."""

    def __init__(self, parent: QWidget, runner: Runner, chosen: Chosen) -> None:
        plan_id = chosen.plan.id
        options = runner.read_now(
            lambda session, actor: plans.target_choices(session, actor, plan_id)
        )
        super().__init__(
            runner,
            f"{PlanStep.CHOOSE_TARGETS.label}：{chosen.plan.title}",
            [form_dialog.many("entity_ids", "检查对象", options)],
            lambda values: partial(_choose_targets, plan_id, values["entity_ids"], ""),
            parent=parent,
            intro=_CHOOSE_INTRO,
        )
        self.plan_id = plan_id

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, plans.OverCap) and allowed(self.runner.actor, Action.APPROVE_PLAN):
            self.buttons.setEnabled(True)
            ids = self.values()["entity_ids"]
            approval = form_dialog.FormDialog(
                self.runner,
                "超出年度检查上限",
                [form_dialog.text("reason", "批准理由", "例如：群众反复投诉，需再次检查", True)],
                lambda values: partial(_choose_targets, self.plan_id, ids, values["reason"]),
                parent=self,
                intro=f"{exc}\n理由记入方案，打印在检查对象表下。",
            )
            if approval.exec():
                self._saved(approval.result_value)
            return
        super()._failed(exc)


def _choose_targets_dialog(parent: QWidget, runner: Runner, chosen: Chosen) -> None:
    ChooseTargetsDialog(parent, runner, chosen).exec()


def _choose_targets(
    plan_id: int, entity_ids: list[int], reason: str, session: UnitOfWork, actor: Actor
) -> int:
    return plans.choose_targets(session, actor, plan_id, entity_ids, override_reason=reason)


def _submit(chosen: Chosen, session: UnitOfWork, actor: Actor) -> None:
    plans.submit(session, actor, chosen.plan.id)


def _approve_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("approved", "审批意见", [("同意", True), ("退回修改", False)]),
        form_dialog.text("note", "意见", multiline=True),
    ]


def _approve(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> None:
    plans.approve(session, actor, chosen.plan.id, approved=values["approved"], note=values["note"])


def _start(chosen: Chosen, session: UnitOfWork, actor: Actor) -> None:
    plans.start(session, actor, chosen.plan.id)


def _result_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    return [
        form_dialog.choice(
            "result",
            "检查结果",
            form_dialog.labelled(r for r in InspectionResult if r is not InspectionResult.PENDING),
        ),
        form_dialog.text("findings", "发现的问题", "责令整改或立案时必填", multiline=True),
        form_dialog.moment("at", "检查时间"),
    ]


def _record_result(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> int:
    assert chosen.target_id is not None  # run_plan_step asks for one first
    return plans.record_result(
        session,
        actor,
        chosen.target_id,
        result=values["result"],
        findings=values["findings"],
        at=values["at"],
    ).id


ATTENDED = [("参加", True), ("未参加", False)]


def _finish_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    """参加 / 未参加 and a note for each invited department, as recorded so far."""
    fields: list[form_dialog.Field] = []
    for row in chosen.plan.attendance:
        came = form_dialog.choice(f"attended_{row.unit_id}", row.name, ATTENDED, "（请选择）")
        came.put(row.attended)
        note = form_dialog.text(
            f"attendance_note_{row.unit_id}", "　说明", "参加人员，或未参加的原因（必填）"
        )
        note.put(row.note)
        fields += [came, note]
    return fields


def _finish(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> None:
    attendance = {
        row.unit_id: plans.Attendance(
            values[f"attended_{row.unit_id}"], values[f"attendance_note_{row.unit_id}"]
        )
        for row in chosen.plan.attendance
    }
    plans.finish(session, actor, chosen.plan.id, attendance)


def _finish_intro(chosen: Chosen) -> str:
    if not chosen.plan.attendance:
        return "确认行动已实施完毕？本方案没有邀请参加部门。"
    return (
        "请登记每个参加部门是否参加了本次行动（计入派驻机构考核的联合执法参与率），"
        "未参加的写明原因；确认后方案为“已完成”。"
    )


def _summarise_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    return [form_dialog.text("remarks", "总结意见", multiline=True)]


def _summarise(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> str:
    return plans.summarise(session, actor, chosen.plan.id, values["remarks"]).text


def _cancel_fields(runner: Runner, chosen: Chosen) -> list[form_dialog.Field]:
    return [form_dialog.text("reason", "取消理由")]


def _cancel(chosen: Chosen, values: Values, session: UnitOfWork, actor: Actor) -> None:
    plans.cancel(session, actor, chosen.plan.id, values["reason"])


# Every step of a plan's life (plans.PLAN_RULES) and what its button opens; a test keeps the two
# equal.
PLAN_STEPS: dict[PlanStep, StepEntry[Chosen]] = {
    PlanStep.EDIT: OwnDialog(_edit_dialog),
    PlanStep.DRAW_INSPECTORS: StepForm(
        _draw_inspectors_fields,
        _draw_inspectors,
        "从持有效执法证、在岗、非协勤且无回避关系的人员中随机抽取；每组至少 2 名。",
        defaults={"teams": 2, "per_team": 2},
        save_text="抽取(&D)",
    ),
    PlanStep.DRAW_TARGETS: StepForm(
        _draw_targets_fields,
        _draw_targets,
        "从方案网格内的检查对象中随机抽取；红、黄等级和近一年被投诉的对象概率更高，"
        "本年度检查次数已达上限的不参与抽取。",
        defaults={"count": 5},
        save_text="抽取(&D)",
    ),
    PlanStep.CHOOSE_TARGETS: OwnDialog(_choose_targets_dialog),
    PlanStep.SUBMIT: Confirmation("提交领导审批？", _submit),
    PlanStep.APPROVE: StepForm(
        _approve_fields, _approve, "同意后生成方案编号；方案编制人不能审批自己的方案。"
    ),
    PlanStep.START: Confirmation("开始实施该行动？", _start),
    PlanStep.RESULT: StepForm(
        _result_fields,
        _record_result,
        "选择“立案”将自动登记一件事件，关联本行动，进入事件队列研判派单。",
    ),
    PlanStep.FINISH: StepForm(_finish_fields, _finish, _finish_intro),
    PlanStep.SUMMARISE: StepForm(
        _summarise_fields, _summarise, "检查家数、问题、立案和减少进门次数由系统统计。"
    ),
    PlanStep.CANCEL: StepForm(_cancel_fields, _cancel),
}
