"""The audit log's actions in the words a leader reads: 事件派单, not incident.dispatched.

Records keep their action codes (they are hashed into the chain and never rewritten); the
names are given when the log is read. Actions recorded in Chinese already read as they are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case

from commandcenter.db.models import AuditRecord, IncidentEventKind, PlanStatus

_NAMED: dict[str, str] = {
    "annual_plan.create": "建立年度检查总计划",
    "annual_plan.import": "导入年度检查总计划",
    "annual_plan.line": "修改年度检查总计划",
    "assessment.bands": "调整考核等次分数线",
    "assessment.compute": "计算考核数据",
    "assessment.indicator": "修改考核指标",
    "assessment.lock": "锁定签发考核评价表",
    "assessment.motion_consultation": "登记党工委研究人事调整动议",
    "assessment.review": "复核考核评价表",
    "assessment.scheme": "建立考核方案",
    "assessment.score": "考核人工评分",
    "assessment.unlock": "解锁考核评价表",
    "auth.failed": "登录失败",
    "auth.sign_in": "登录",
    "calendar.day": "修改节假日",
    "calendar.import": "导入节假日安排",
    "calendar.load": "载入节假日安排",
    "calendar.year": "确认年度节假日安排",
    "catalogue.version": "新增事项清单版本",
    "check.repair": "数据检查修复",
    "deadline.warning_percent": "修改临期提醒比例",
    "demo.generate": "生成演示数据",
    "docnumber.issue": "领取文书编号",
    "draw.run": "随机抽取",
    "entity.create": "新增检查对象",
    "entity.grade": "调整信用等级",
    "entity.update": "修改检查对象",
    "import.rows": "导入数据",
    "import.work_orders": "导入工单",
    "interview.close": "约谈办结",
    "interview.held": "登记约谈情况",
    "interview.schedule": "发出约谈提醒书",
    "incident.deadline": "重算办理期限",
    "inspection.publish": "登记抽查结果公示",
    "incident.mark_major": "标记重大执法决定",
    "incident.part_accepted": "协办单位签收",
    "incident.part_reported": "协办单位反馈",
    "incident.part_waived": "免除协办部分",
    "permission.denied": "操作被拒绝",
    "plan.attachment": "行动方案添加附件",
    "plan.attendance": "登记部门参加情况",
    "plan.cap_override": "批准超出年度检查上限",
    "plan.create": "编制行动方案",
    "plan.result": "登记检查结果",
    "plan.targets": "选定检查对象",
    "plan.update": "修改行动方案",
    "recusal.add": "登记回避",
    "recusal.end": "结束回避",
    "reply_template.create": "新增办结回复模板",
    "reply_template.update": "修改办结回复模板",
    "settings.update": "修改系统设置",
    "supervision.close": "督办文书办结",
    "supervision.issue": "发出督办文书（单位）",
    "supervision.reply": "登记督办回复",
    "setup.first_run": "首次设置",
    "transfer.result": "登记移送结果",
    "user.create": "新建用户",
    "user.disable": "停用用户",
    "user.enable": "启用用户",
    "user.password": "修改密码",
    "user.person": "关联账号与人员",
    "user.reset_password": "重置密码",
    "work_order_layout.save": "保存工单列对应",
}

ACTION_NAMES: dict[str, str] = {
    **{f"incident.{kind.value}": f"事件{kind.label}" for kind in IncidentEventKind},
    **{f"plan.{status.value}": f"行动方案{status.label}" for status in PlanStatus},
    **_NAMED,
}


def action_name(code: str) -> str:
    """The action in words; a code without a name reads as itself."""
    return ACTION_NAMES.get(code, code)


def action_name_expr() -> Any:
    """:func:`action_name` in SQL, so the log sorts, searches and exports by the names."""
    return case(ACTION_NAMES, value=AuditRecord.action, else_=AuditRecord.action)
