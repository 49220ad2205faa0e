"""Code values of the domain with the Chinese labels people see (domain.md glossary).

Plain enums with no database in them: the models store them, and every layer, the windows
included, may name them.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A code value with the Chinese label people see: ``OPERATOR = "operator", "值班员"``."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def from_label(cls, label: str) -> Labelled:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(label)


class Role(Labelled):
    OPERATOR = "operator", "值班员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"


class UnitKind(Labelled):
    STREET_OFFICE = "street_office", "街道办事处"
    COMMAND_CENTRE = "command_centre", "指挥中心"
    SQUAD = "squad", "综合行政执法中队"
    DEPARTMENT = "department", "区级部门"
    AGENCY = "agency", "派驻机构"
    COMMUNITY = "community", "村社区"


class DepartmentType(Labelled):
    """R9 thresholds differ: 80% for the comprehensive enforcement department, 50% for others."""

    COMPREHENSIVE = "comprehensive", "综合行政执法部门"
    PROFESSIONAL = "professional", "专业执法部门"
    OTHER = "other", "其他部门"


class Gender(Labelled):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Staffing(Labelled):
    ADMINISTRATIVE = "administrative", "行政编制"
    INSTITUTION = "institution", "事业编制"
    DISPATCHED = "dispatched", "派驻"
    AUXILIARY = "auxiliary", "编外协勤"


class Stationing(Labelled):
    RESIDENT = "resident", "常驻"
    DISPATCHED = "dispatched", "派驻"
    ON_CALL = "on_call", "随叫随驻"


class PersonStatus(Labelled):
    ON_DUTY = "on_duty", "在岗"
    LEAVE = "leave", "请假"
    SECONDED = "seconded", "借调"
    TRANSFERRED = "transferred", "调离"
    RETIRED = "retired", "退休"


class CertificateState(Labelled):
    """The recorded state; 即将到期 and 已过期 are derived from the dates, never stored."""

    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class TrainingKind(Labelled):
    CENTRAL = "central", "集中培训"
    TOURING = "touring", "专业巡讲"
    CASE_BASED = "case_based", "以案代训"


class LiaisonRole(Labelled):
    MAIN = "main", "主联络人"
    BACKUP = "backup", "备用联络人"


class ListType(Labelled):
    EMPOWERED = "empowered", "赋权事项"
    LINKED = "linked", "联动事项"
    DEPARTMENT = "department", "部门事项"


class CalendarDayKind(Labelled):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班"


class Channel(Labelled):
    HOTLINE_12345 = "hotline_12345", "12345热线"
    PLATFORM = "platform", "基层治理四平台"
    GRID_PATROL = "grid_patrol", "网格巡查"
    PUBLIC_REPORT = "public_report", "群众举报"
    DEPARTMENT_TRANSFER = "department_transfer", "部门移送"
    SUPERIOR = "superior", "上级交办"
    OWN_PATROL = "own_patrol", "自行巡查"
    MEDIA = "media", "媒体曝光"


class ReplyChannel(Labelled):
    """How the reporter was told the result at closing (办结回复)."""

    PHONE = "phone", "电话回复"
    SMS = "sms", "短信回复"
    PLATFORM = "platform", "平台回复"
    IN_PERSON = "in_person", "当面答复"
    LETTER = "letter", "书面答复"


class ReplyOutcome(Labelled):
    """办理结果 as the 12345 and 四平台 systems take it back."""

    RESOLVED = "resolved", "已解决"
    PARTLY = "partly", "部分解决"
    EXPLAINED = "explained", "未解决（已解释说明）"
    UNFOUNDED = "unfounded", "反映情况不属实"


class IncidentStatus(Labelled):
    REGISTERED = "registered", "已登记"
    TRIAGED = "triaged", "已研判"
    AWAITING_APPROVAL = "awaiting_approval", "待领导审批"  # a major incident's dispatch
    DISPATCHED = "dispatched", "已派单"
    ACCEPTED = "accepted", "已签收"
    IN_PROGRESS = "in_progress", "处置中"
    REPORTED = "reported", "已反馈"
    RETURNED = "returned", "已退回"  # by the unit, waiting for the centre's ruling
    CLOSED = "closed", "已办结"
    TRANSFERRED = "transferred", "已移送"
    REFERRED = "referred", "已上报"
    MERGED = "merged", "已并单"


OPEN_INCIDENT_STATUSES = frozenset(
    {
        IncidentStatus.REGISTERED,
        IncidentStatus.TRIAGED,
        IncidentStatus.AWAITING_APPROVAL,
        IncidentStatus.DISPATCHED,
        IncidentStatus.ACCEPTED,
        IncidentStatus.IN_PROGRESS,
        IncidentStatus.REPORTED,
        IncidentStatus.RETURNED,
    }
)


class Priority(Labelled):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class Route(Labelled):
    SQUAD = "squad", "街道执法中队办理"
    WHISTLE = "whistle", "街道牵头、部门吹哨报到"
    TRANSFER = "transfer", "制止后移送部门"
    UPWARD = "upward", "提请联合执法决定"


class IncidentEventKind(Labelled):
    REGISTERED = "registered", "登记"
    TRIAGED = "triaged", "研判"
    REFERRED = "referred", "提请联合执法决定"
    DISPATCHED = "dispatched", "派单"
    APPROVED = "approved", "审批派单"
    ACCEPTED = "accepted", "签收"
    RETURNED = "returned", "退回"
    RULED = "ruled", "退回裁定"
    STARTED = "started", "开始处置"
    REPORTED = "reported", "反馈"
    LEGAL_REVIEW = "legal_review", "法制审核"
    CLOSED = "closed", "办结"
    REOPENED = "reopened", "重新办理"
    CALLBACK = "callback", "回访"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENDED = "extended", "延期审批"
    TRANSFERRED = "transferred", "移送"
    TRANSFER_RECEIPT = "transfer_receipt", "移送回执"
    SUPERVISED = "supervised", "督办"
    WHISTLE = "whistle", "吹哨"
    REPORT_IN = "report_in", "部门报到"
    MERGED = "merged", "并单"
    ATTACHMENT = "attachment", "附件"
    NOTE = "note", "备注"


class ReturnReason(Labelled):
    """Why a unit sends a dispatch back (seed 004 II.2)."""

    WRONG_AREA = "wrong_area", "属地不符"
    UNCLEAR_OWNERSHIP = "unclear_ownership", "权属不清"
    OVERLAPPING_DUTIES = "overlapping_duties", "职能交叉"
    OTHER = "other", "其他"


class ReturnRuling(Labelled):
    """The centre's ruling on a return: the unit keeps it, or the incident is triaged anew."""

    UPHELD = "upheld", "维持原派单"
    REASSIGN = "reassign", "重新研判派单"


class WhistleReason(Labelled):
    """Why the street calls a department in (吹哨事由)."""

    PROFESSIONAL = "professional", "需专业执法力量"
    JOINT = "joint", "需多部门联合处置"
    EMERGENCY = "emergency", "突发或重大事件"
    PERSISTENT = "persistent", "群众反映强烈的疑难问题"
    OTHER = "other", "其他"


class UnitRole(Labelled):
    LEAD = "lead", "主办"
    CO = "co", "协办"


class LegalReviewOutcome(Labelled):
    """法制审核的结论: a failed review sends the case back to the unit for 补正."""

    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"


class PartState(Labelled):
    """Where a co-operating unit's part of an incident stands (协办部分)."""

    DISPATCHED = "dispatched", "待签收"
    ACCEPTED = "accepted", "已签收"
    REPORTED = "reported", "已反馈"
    WAIVED = "waived", "已免除"


class AssignmentRole(Labelled):
    OFFICER = "officer", "执法人员"
    AUXILIARY = "auxiliary", "协勤人员"


class ExtensionState(Labelled):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class SupervisionKind(Labelled):
    LETTER = "letter", "督办函"
    NOTICE = "notice", "工作提示单"
    SUGGESTION = "suggestion", "执法建议书"
    RISK = "risk", "风险提示单"


class FollowUpState(Labelled):
    """Where a supervision paper or a 约谈 stands: waiting for the unit, answered, ended."""

    AWAITING = "awaiting", "待回复"
    OVERDUE = "overdue", "逾期未回复"
    ANSWERED = "answered", "已回复待办结"
    CLOSED = "closed", "已办结"


class InterviewState(Labelled):
    SCHEDULED = "scheduled", "待约谈"
    HELD = "held", "已约谈待跟进"
    FOLLOW_UP_DUE = "follow_up_due", "跟进逾期"
    CLOSED = "closed", "已办结"


class TransferState(Labelled):
    WAITING = "waiting", "待回执"
    LATE = "late", "回执逾期"
    RECEIVED = "received", "已签收待结果"
    ANSWERED = "answered", "已函告结果"


class TransferResult(Labelled):
    """What the receiving department did with a transferred case (案件移送抄告)."""

    FILED = "filed", "已立案查处"
    HANDLED = "handled", "已处理完毕"
    NOT_FILED = "not_filed", "不予立案"
    RETURNED = "returned", "退回街道"


class CreditGrade(Labelled):
    GREEN = "green", "绿"
    YELLOW = "yellow", "黄"
    RED = "red", "红"


class PlanTheme(Labelled):
    COMBINED = "combined", "综合查一次"
    CAMPAIGN = "campaign", "专项整治"
    RANDOM = "random", "双随机抽查"
    CONSULTATION = "consultation", "联合会诊"


class PlanStatus(Labelled):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    IN_PROGRESS = "in_progress", "实施中"
    DONE = "done", "已完成"
    SUMMARISED = "summarised", "已总结"
    CANCELLED = "cancelled", "已取消"


class InspectionResult(Labelled):
    PENDING = "pending", "待检查"
    COMPLIANT = "compliant", "合格"
    RECTIFY = "rectify", "责令整改"
    CASE_OPENED = "case_opened", "立案"


class DrawKind(Labelled):
    INSPECTORS = "inspectors", "执法人员"
    TARGETS = "targets", "检查对象"


class AssessmentSubject(Labelled):
    AGENCY = "agency", "派驻机构"
    PERSON = "person", "执法人员"


class PersonGroup(Labelled):
    """Who a person scheme assesses (person_groups.group_of decides it from the posting)."""

    OFFICER = "officer", "执法人员"
    COMMAND = "command", "指挥室人员"
    SQUAD_LEADER = "squad_leader", "中队负责人"
    AUXILIARY = "auxiliary", "协勤人员"


class IndicatorSource(Labelled):
    COMPUTED = "computed", "系统计算"
    MANUAL = "manual", "人工评分"


class IndicatorSide(Labelled):
    """双向考核: which of the two evaluations an indicator belongs to."""

    STREET = "street", "街道评价"
    DEPARTMENT = "department", "部门评价"


class SheetStatus(Labelled):
    DRAFT = "draft", "待复核"
    REVIEWED = "reviewed", "已复核"
    LOCKED = "locked", "已锁定签发"


class Grade(Labelled):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class MeetingKind(Labelled):
    JOINT = "joint", "联席会议"
    DAILY = "daily", "日碰头"
    WEEKLY = "weekly", "周例会"
    MONTHLY = "monthly", "月通报会"


class AgreedItemStatus(Labelled):
    OPEN = "open", "推进中"
    DONE = "done", "已完成"
    DROPPED = "dropped", "已撤销"


class DocType(Labelled):
    """Numbered document types; the code is the middle of the number, 梅执 + 指派 + 〔2026〕15号."""

    DISPATCH = "指派", "指挥调度单"
    TRANSFER = "移", "案件移送函"
    SUPERVISION = "督", "督办函"
    NOTICE = "示", "工作提示单"
    SUGGESTION = "建", "执法建议书"
    RISK = "险", "风险提示单"
    PLAN = "案", "联合执法行动方案"
    DRAW = "抽", "随机抽取记录"
    ASSESSMENT = "考", "考核评价表"
    BULLETIN = "通", "月通报"
    RESULTS_LETTER = "考通", "考核结果通报函"
    RECOMMENDATION = "荐", "推荐提名函"
    MOTION = "动", "人事调整动议书"
    INTERVIEW = "约", "约谈提醒书"
