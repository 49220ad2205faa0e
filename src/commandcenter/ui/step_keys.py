"""Alt+letter for every step button, the same letter whatever else is offered, so a hand
learns it: 研判 is Alt+Y on every incident, 审批 Alt+S on every plan.

The menu bar's letters (文件 F, 视图 V, 工具 T, 帮助 H) are left to the menus; most letters come
from the step's pinyin; the letters used up, the last steps take digits.
"""

from __future__ import annotations

from commandcenter.services.incidents.workflow import Step
from commandcenter.services.plans import PlanStep

MENU_LETTERS = frozenset("FVTH")

STEP_KEYS: dict[Step, str] = {
    Step.EDIT: "X",  # 修改
    Step.TRIAGE: "Y",  # 研判
    Step.MERGE: "B",  # 并单
    Step.DISPATCH: "P",  # 派单
    Step.APPROVE: "S",  # 审批
    Step.ACCEPT: "Q",  # 签收
    Step.RETURN: "I",  # 退回
    Step.RULE: "C",  # 裁定
    Step.START: "K",  # 开始
    Step.REPORT: "N",  # 反馈
    Step.LEGAL_REVIEW: "Z",  # 法制
    Step.PART_ACCEPT: "1",  # the co-operating unit's steps are numbered: the letters ran out
    Step.PART_REPORT: "2",
    Step.PART_WAIVE: "3",
    Step.MARK_MAJOR: "M",  # major
    Step.CLOSE: "J",  # 办结
    Step.REOPEN: "G",  # 重新
    Step.EXTEND: "E",  # 申请延期
    Step.DECIDE_EXTENSION: "A",  # 延期审批
    Step.WHISTLE: "D",  # 报到
    Step.SUPERVISE: "U",  # 督办
    Step.TRANSFER: "O",  # 移送
    Step.TRANSFER_RECEIPT: "R",  # 回执 (receipt)
    # The alphabet is spent: the follow-up steps take the digits after the co-unit's parts.
    Step.TRANSFER_RESULT: "4",  # 移送结果
    Step.ESCALATION_DECISION: "5",  # 上级决定
    Step.ATTACH: "L",  # 附件
    Step.NOTE: "W",  # 备注
}

PLAN_STEP_KEYS: dict[PlanStep, str] = {
    PlanStep.EDIT: "X",  # 修改
    PlanStep.DRAW_INSPECTORS: "R",  # 人员
    PlanStep.DRAW_TARGETS: "D",  # 对象
    PlanStep.CHOOSE_TARGETS: "C",  # 检查
    PlanStep.SUBMIT: "J",  # 提交
    PlanStep.APPROVE: "S",  # 审批
    PlanStep.START: "K",  # 开始
    PlanStep.RESULT: "G",  # 结果
    PlanStep.FINISH: "W",  # 完毕
    PlanStep.SUMMARISE: "Z",  # 总结
    PlanStep.CANCEL: "Q",  # 取消
}


def step_caption(step: Step | PlanStep) -> str:
    """The step's button text with its Alt+letter: 研判(&Y)."""
    key = STEP_KEYS[step] if isinstance(step, Step) else PLAN_STEP_KEYS[step]
    return f"{step.label}(&{key})"
