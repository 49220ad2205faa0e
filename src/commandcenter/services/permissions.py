"""Who may do what: a role x action matrix, deny by default.

The matrix is the single source; ``docs/permissions.md`` is generated from it. A hidden button
is never the only guard: every service action calls :func:`require`.
"""

from __future__ import annotations

from enum import StrEnum

from commandcenter.db.models import Role
from commandcenter.errors import PermissionDenied
from commandcenter.services.actor import SYSTEM, Actor


class Action(StrEnum):
    VIEW = "view"  # read the centre's records
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked ID and phone numbers
    MANAGE_USERS = "manage_users"
    EDIT_SETTINGS = "edit_settings"
    EDIT_ROSTER = "edit_roster"
    EDIT_DIRECTORY = "edit_directory"
    EDIT_CATALOGUE = "edit_catalogue"
    EDIT_CALENDAR = "edit_calendar"
    REGISTER_INCIDENT = "register_incident"
    TRIAGE_INCIDENT = "triage_incident"
    DISPATCH_INCIDENT = "dispatch_incident"
    RECORD_PROGRESS = "record_progress"
    APPROVE_MAJOR_DISPATCH = "approve_major_dispatch"
    APPROVE_EXTENSION = "approve_extension"
    LEGAL_REVIEW = "legal_review"
    CLOSE_INCIDENT = "close_incident"
    MARK_MAJOR = "mark_major"  # 重大执法决定 at any stage before closing
    CLOSE_MAJOR_DECISION = "close_major_decision"  # the leader decides a major case's closing
    WAIVE_PART = "waive_part"  # the centre waives a co-operating unit's part
    ISSUE_SUPERVISION = "issue_supervision"
    EDIT_ENTITIES = "edit_entities"
    EDIT_RECUSALS = "edit_recusals"
    CHANGE_CREDIT_GRADE = "change_credit_grade"  # the centre's decision, with its reason
    EDIT_PLAN = "edit_plan"
    APPROVE_PLAN = "approve_plan"
    RUN_DRAW = "run_draw"
    EDIT_ASSESSMENT = "edit_assessment"
    LOCK_ASSESSMENT = "lock_assessment"
    EDIT_MEETING = "edit_meeting"
    PRINT_DOCUMENT = "print_document"
    PRINT_ASSESSMENT_RESULTS = "print_assessment_results"  # 考核结果运用 letters and motions
    RECORD_CONSULTATION = "record_consultation"  # the party working committee's decision
    BACKUP_RESTORE = "backup_restore"
    IMPORT_DATA = "import_data"


_OP, _LEAD, _ADMIN = Role.OPERATOR, Role.LEADER, Role.ADMIN

MATRIX: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({_OP, _LEAD, _ADMIN}),
    Action.VIEW_PERSONAL_DATA: frozenset({_LEAD, _ADMIN}),
    Action.MANAGE_USERS: frozenset({_ADMIN}),
    Action.EDIT_SETTINGS: frozenset({_ADMIN}),
    Action.EDIT_ROSTER: frozenset({_LEAD, _ADMIN}),
    Action.EDIT_DIRECTORY: frozenset({_OP, _ADMIN}),
    Action.EDIT_CATALOGUE: frozenset({_ADMIN}),
    Action.EDIT_CALENDAR: frozenset({_ADMIN}),
    Action.REGISTER_INCIDENT: frozenset({_OP, _LEAD}),
    Action.TRIAGE_INCIDENT: frozenset({_OP, _LEAD}),
    Action.DISPATCH_INCIDENT: frozenset({_OP, _LEAD}),
    Action.RECORD_PROGRESS: frozenset({_OP, _LEAD}),
    Action.APPROVE_MAJOR_DISPATCH: frozenset({_LEAD}),
    Action.APPROVE_EXTENSION: frozenset({_LEAD}),
    Action.LEGAL_REVIEW: frozenset({_LEAD}),
    Action.CLOSE_INCIDENT: frozenset({_OP, _LEAD}),
    Action.MARK_MAJOR: frozenset({_LEAD}),
    Action.CLOSE_MAJOR_DECISION: frozenset({_LEAD}),
    Action.WAIVE_PART: frozenset({_OP, _LEAD}),
    Action.ISSUE_SUPERVISION: frozenset({_OP, _LEAD}),
    Action.EDIT_ENTITIES: frozenset({_OP, _LEAD, _ADMIN}),
    Action.EDIT_RECUSALS: frozenset({_LEAD, _ADMIN}),
    Action.CHANGE_CREDIT_GRADE: frozenset({_LEAD}),
    Action.EDIT_PLAN: frozenset({_OP, _LEAD}),
    Action.APPROVE_PLAN: frozenset({_LEAD}),
    Action.RUN_DRAW: frozenset({_OP, _LEAD}),
    Action.EDIT_ASSESSMENT: frozenset({_OP, _LEAD}),
    Action.LOCK_ASSESSMENT: frozenset({_LEAD}),
    Action.EDIT_MEETING: frozenset({_OP, _LEAD}),
    Action.PRINT_DOCUMENT: frozenset({_OP, _LEAD, _ADMIN}),
    Action.PRINT_ASSESSMENT_RESULTS: frozenset({_LEAD}),
    Action.RECORD_CONSULTATION: frozenset({_LEAD}),
    Action.BACKUP_RESTORE: frozenset({_ADMIN}),
    Action.IMPORT_DATA: frozenset({_ADMIN}),
}

ACTION_LABELS: dict[Action, str] = {
    Action.VIEW: "查看业务记录",
    Action.VIEW_PERSONAL_DATA: "查看完整身份证号和电话",
    Action.MANAGE_USERS: "管理用户和角色",
    Action.EDIT_SETTINGS: "修改系统设置",
    Action.EDIT_ROSTER: "维护人员名册和执法证",
    Action.EDIT_DIRECTORY: "维护联络名录",
    Action.EDIT_CATALOGUE: "维护执法事项清单",
    Action.EDIT_CALENDAR: "维护节假日日历",
    Action.REGISTER_INCIDENT: "登记事件",
    Action.TRIAGE_INCIDENT: "研判事件，登记上报的上级决定",
    Action.DISPATCH_INCIDENT: "派单、吹哨和移送（含回执和处理结果）",
    Action.RECORD_PROGRESS: "记录签收、退回、反馈和延期申请",
    Action.APPROVE_MAJOR_DISPATCH: "审批重大事件派单",
    Action.APPROVE_EXTENSION: "审批延期",
    Action.LEGAL_REVIEW: "记录法制审核",
    Action.CLOSE_INCIDENT: "办结事件",
    Action.MARK_MAJOR: "标记重大执法决定",
    Action.CLOSE_MAJOR_DECISION: "办结重大执法决定事件",
    Action.WAIVE_PART: "免除协办单位的办理部分",
    Action.ISSUE_SUPERVISION: "发出督办文书和约谈，登记回复、约谈情况和办结",
    Action.EDIT_ENTITIES: "维护检查对象名录",
    Action.EDIT_RECUSALS: "登记和解除回避",
    Action.CHANGE_CREDIT_GRADE: "依检查结果调整检查对象信用等级",
    Action.EDIT_PLAN: "编制行动方案",
    Action.APPROVE_PLAN: "审批行动方案",
    Action.RUN_DRAW: "随机抽取",
    Action.EDIT_ASSESSMENT: "计算和录入考核",
    Action.LOCK_ASSESSMENT: "锁定签发或解锁考核表",
    Action.EDIT_MEETING: "记录会议和议定事项",
    Action.PRINT_DOCUMENT: "生成和打印文书",
    Action.PRINT_ASSESSMENT_RESULTS: "打印考核结果通报、推荐和人事调整动议",
    Action.RECORD_CONSULTATION: "记录街道党工委研究人事调整动议",
    Action.BACKUP_RESTORE: "备份和恢复",
    Action.IMPORT_DATA: "导入数据",
}


def allowed(actor: Actor, action: Action) -> bool:
    if actor is SYSTEM:
        return True
    return actor.role is not None and actor.role in MATRIX.get(action, frozenset())


def require(actor: Actor, action: Action) -> None:
    """Raise :class:`PermissionDenied` unless *actor*'s role may perform *action*."""
    if not allowed(actor, action):
        role = actor.role.label if actor.role else "未登录用户"
        raise PermissionDenied(
            f"{role}无权{ACTION_LABELS[action]}。如确需办理，请联系有权限的同事。",
            actor=actor,
            action=action.value,
        )


def matrix_markdown() -> str:
    """The matrix as a Markdown table, for docs/permissions.md."""
    roles = list(Role)
    lines = [
        "| 操作 | action | " + " | ".join(r.label for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in Action:
        marks = " | ".join("✓" if r in MATRIX[action] else "" for r in roles)
        lines.append(f"| {ACTION_LABELS[action]} | `{action.value}` | {marks} |")
    return "\n".join(lines) + "\n"
