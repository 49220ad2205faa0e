"""The dialogs behind a plan's step buttons; each runs one service call as one write."""

from __future__ import annotations

from datetime import time
from functools import partial
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from commandcenter import timeutil
from commandcenter.db.models import InspectionResult, PlanTheme
from commandcenter.services import catalogue, draws, plans
from commandcenter.services.incidents import choices
from commandcenter.services.plans import PlanDetail, PlanStep
from commandcenter.ui.dialogs import form_dialog as fd
from commandcenter.ui.operations import Operations

AREAS = frozenset({"plans", "incidents"})


def plan_fields(ops: Operations) -> list[fd.Field]:
    today = timeutil.today()
    units = ops.read_now(choices.units)
    departments = ops.read_now(lambda s, a: choices.units(s, a, choices.DEPARTMENTS))
    grids = ops.read_now(choices.grids)
    items = ops.read_now(lambda s, a: catalogue.search_items(s, a, "", today, limit=5000))
    return [
        fd.text("title", "行动名称", "例如：11月餐饮单位“综合查一次”"),
        fd.choice("theme", "行动类型", [(t.label, t) for t in PlanTheme]),
        fd.choice("lead_unit_id", "牵头单位", units),
        fd.many("department_ids", "参加部门", departments),
        fd.day("planned_on", "行动日期", optional=False),
        fd.clock("start_time", "开始时间", time(9, 0)),
        fd.clock("end_time", "结束时间", time(16, 30)),
        fd.many("grid_ids", "检查网格", grids),
        fd.many(
            "item_ids",
            "检查事项",
            [(f"{i.code} {i.name}（{i.department or '街道执法中队'}）", i.id) for i in items],
        ),
        fd.text("objective", "行动目标", "进一次门、查多项事", multiline=True),
    ]


def _form(values: dict[str, Any]) -> plans.PlanForm:
    return plans.PlanForm(**{k: values[k] for k in plans.PlanForm.__dataclass_fields__})


def new_plan(parent: QWidget, ops: Operations) -> int | None:
    dialog = fd.FormDialog(
        ops,
        "编制行动方案",
        plan_fields(ops),
        lambda v: lambda s, a: plans.create_plan(s, a, _form(v)).id,
        areas=AREAS,
        parent=parent,
        intro="编制后随机抽取执法人员和检查对象，再提交领导审批。",
    )
    dialog.setMinimumWidth(640)
    return dialog.result_value if dialog.exec() else None


_simple = partial(fd.ask, areas=AREAS)
_confirm = partial(fd.confirm, areas=AREAS)


def run_plan_step(
    parent: QWidget, ops: Operations, step: PlanStep, d: PlanDetail, target_id: int | None
) -> None:
    n = d.id
    title = f"{step.label}：{d.title}"
    if step is PlanStep.EDIT:
        form, version = ops.read_now(lambda s, a: plans.plan_form(s, n))
        dialog = fd.FormDialog(
            ops,
            title,
            plan_fields(ops),
            lambda v: lambda s, a: plans.update_plan(s, a, n, _form(v), version).id,
            areas=AREAS,
            parent=parent,
        ).load(vars(form))
        dialog.setMinimumWidth(640)
        dialog.exec()
    elif step is PlanStep.DRAW_INSPECTORS:
        again = any(r.kind == "执法人员" for r in d.draws)
        fields = [
            fd.integer("teams", "组数", maximum=20, minimum=1),
            fd.integer("per_team", "每组人数", maximum=10, minimum=draws.MIN_PER_TEAM),
        ]
        if again:
            fields.append(fd.text("reason", "重新抽取理由", "原抽取记录将保留"))
        dialog = fd.FormDialog(
            ops,
            title,
            fields,
            lambda v: (
                lambda s, a: (
                    draws.draw_inspectors(
                        s, a, n, teams=v["teams"], per_team=v["per_team"], reason=v.get("reason")
                    ).id
                )
            ),
            areas=AREAS,
            parent=parent,
            intro="从持有效执法证、在岗、非协勤且无回避关系的人员中随机抽取；每组至少 2 名。",
        ).load({"teams": 2, "per_team": 2})
        dialog.exec()
    elif step is PlanStep.DRAW_TARGETS:
        again = any(r.kind == "检查对象" for r in d.draws)
        fields = [
            fd.integer("count", "抽取数量", maximum=200, minimum=1),
            fd.text("industry", "行业（可不填）", "例如：餐饮"),
        ]
        if again:
            fields.append(fd.text("reason", "重新抽取理由", "原抽取记录将保留"))
        fd.FormDialog(
            ops,
            title,
            fields,
            lambda v: (
                lambda s, a: (
                    draws.draw_targets(
                        s,
                        a,
                        n,
                        count=v["count"],
                        industry=v["industry"].strip() or None,
                        reason=v.get("reason"),
                    ).id
                )
            ),
            areas=AREAS,
            parent=parent,
            intro="从方案网格内的检查对象中随机抽取；红、黄等级和近一年被投诉的对象概率更高，"
            "本年度检查次数已达上限的不参与抽取。",
        ).load({"count": 5}).exec()
    elif step is PlanStep.CHOOSE_TARGETS:
        options = ops.read_now(lambda s, a: plans.target_choices(s, a, n))
        _simple(
            parent,
            ops,
            title,
            [fd.many("entity_ids", "检查对象", options)],
            lambda v: lambda s, a: plans.choose_targets(s, a, n, v["entity_ids"]),
            "专项整治、联合会诊等可按问题线索选定检查对象；双随机抽查请用“抽取检查对象”。",
        )
    elif step is PlanStep.SUBMIT:
        _confirm(parent, ops, title, "提交领导审批？", lambda s, a: plans.submit(s, a, n))
    elif step is PlanStep.APPROVE:
        _simple(
            parent,
            ops,
            title,
            [
                fd.choice("approved", "审批意见", [("同意", True), ("退回修改", False)]),
                fd.text("note", "意见", multiline=True),
            ],
            lambda v: lambda s, a: plans.approve(s, a, n, approved=v["approved"], note=v["note"]),
            "同意后生成方案编号；方案编制人不能审批自己的方案。",
        )
    elif step is PlanStep.START:
        _confirm(parent, ops, title, "开始实施该行动？", lambda s, a: plans.start(s, a, n))
    elif step is PlanStep.RESULT:
        if target_id is None:
            QMessageBox.information(parent, step.label, "请先在检查对象列表中选择一家。")
            return
        _simple(
            parent,
            ops,
            title,
            [
                fd.choice(
                    "result",
                    "检查结果",
                    [(r.label, r) for r in InspectionResult if r is not InspectionResult.PENDING],
                ),
                fd.text("findings", "发现的问题", "责令整改或立案时必填", multiline=True),
                fd.moment("at", "检查时间"),
            ],
            lambda v: (
                lambda s, a: (
                    plans.record_result(
                        s, a, target_id, result=v["result"], findings=v["findings"], at=v["at"]
                    ).id
                )
            ),
            "选择“立案”将自动登记一件事件，关联本行动，进入事件队列研判派单。",
        )
    elif step is PlanStep.FINISH:
        _confirm(parent, ops, title, "确认行动已实施完毕？", lambda s, a: plans.finish(s, a, n))
    elif step is PlanStep.SUMMARISE:
        _simple(
            parent,
            ops,
            title,
            [fd.text("remarks", "总结意见", multiline=True)],
            lambda v: lambda s, a: plans.summarise(s, a, n, v["remarks"]).text,
            "检查家数、问题、立案和减少进门次数由系统统计。",
        )
    elif step is PlanStep.CANCEL:
        _simple(
            parent,
            ops,
            title,
            [fd.text("reason", "取消理由")],
            lambda v: lambda s, a: plans.cancel(s, a, n, v["reason"]),
        )
