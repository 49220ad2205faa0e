"""The columns of the three exchange tables; import, export and the blank templates share them."""

from __future__ import annotations

from dataclasses import dataclass

from commandcenter.db.models import (
    CalendarDayKind,
    CertificateState,
    CreditGrade,
    DepartmentType,
    Gender,
    Labelled,
    LiaisonRole,
    ListType,
    PersonStatus,
    Staffing,
    Stationing,
    UnitKind,
)
from commandcenter.exchange.columns import Column


def _labels(enum: type[Labelled]) -> tuple[str, ...]:
    return tuple(m.label for m in enum)


@dataclass(frozen=True)
class TableSpec:
    kind: str  # "people", "units", "liaisons"
    label: str  # 人员 / 单位 / 联络人
    sheet: str
    sheet_aliases: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


UNITS = TableSpec(
    "units",
    "单位",
    "单位",
    ("单位", "单位表", "组织机构", "单位名单"),
    (
        Column("name", "单位全称", ("单位名称", "全称", "名称"), required=True, width=36),
        Column("short_name", "简称", ("单位简称", "文书简称"), required=True),
        Column("kind", "类别", ("单位类别", "类型"), required=True, choices=_labels(UnitKind)),
        Column(
            "parent",
            "上级单位",
            ("上级", "所属单位", "上级单位全称"),
            note="填写上级单位全称；区级部门可不填。上级单位可以在本表中、排在前后都可以。",
            width=30,
        ),
        Column(
            "department_type",
            "部门类别",
            ("执法部门类别",),
            note="区级部门必填：综合行政执法部门（下沉比例不低于 80%）或专业执法部门（不低于 50%）。",
            choices=_labels(DepartmentType),
        ),
        Column(
            "fields", "执法领域", ("领域",), note="多个领域用顿号分隔，例如：市场监管、食品安全"
        ),
        Column("phone", "电话", ("联系电话", "办公电话"), text=True),
        Column("address", "地址", ("办公地址",), width=30),
        Column("sort_order", "排序", ("序号", "排序号"), width=8),
        Column("active", "状态", ("启用状态",), choices=("启用", "停用"), width=8),
    ),
)

PEOPLE = TableSpec(
    "people",
    "人员",
    "人员",
    ("人员", "人员名册", "花名册", "名册", "执法人员"),
    (
        Column("name", "姓名", ("名字",), required=True, width=10),
        Column("gender", "性别", choices=_labels(Gender), width=6),
        Column(
            "id_number",
            "身份证号",
            ("身份证号码", "公民身份号码", "身份证"),
            note="18 位，请设为文本格式，以免 Excel 把末几位变成 0。同一人持多本证时每证一行，身份证号相同。",
            text=True,
            width=21,
        ),
        Column("mobile", "手机", ("手机号", "手机号码", "移动电话"), text=True, width=13),
        Column("office_phone", "办公电话", ("座机", "固定电话"), text=True, width=15),
        Column("unit", "单位", ("所在单位", "单位名称", "工作单位"), required=True, width=26),
        Column("position", "职务", ("岗位", "职务岗位")),
        Column(
            "staffing", "编制类别", ("编制", "人员类别"), required=True, choices=_labels(Staffing)
        ),
        Column(
            "stationing",
            "驻点方式",
            ("下沉方式", "派驻方式"),
            note="仅部门派驻人员填写。",
            choices=_labels(Stationing),
        ),
        Column("status", "状态", ("在岗状态", "人员状态"), choices=_labels(PersonStatus), width=8),
        Column("status_since", "状态起始日期", ("状态开始日期",), width=12),
        Column("status_until", "预计结束日期", ("状态结束日期",), width=12),
        Column("fields", "执法领域", ("人员执法领域",), note="多个领域用顿号分隔"),
        Column(
            "cert_number", "执法证号", ("证号", "执法证编号", "行政执法证号"), text=True, width=18
        ),
        Column("cert_issuer", "发证机关", ("发证单位",), width=22),
        Column("cert_fields", "证件执法领域", ("持证领域", "执法种类")),
        Column("cert_area", "执法区域", ("执法地域",)),
        Column("cert_issued_on", "发证日期", ("发证时间",), width=12),
        Column("cert_expires_on", "有效期至", ("有效期", "到期日期", "证件有效期"), width=12),
        Column("cert_review", "最近年审日期", ("年审日期", "年审"), width=12),
        Column("cert_state", "证件状态", choices=_labels(CertificateState), width=8),
        Column("notes", "备注", width=20),
    ),
)

LIAISONS = TableSpec(
    "liaisons",
    "联络人",
    "联络名录",
    ("联络名录", "通讯名录", "联络人", "联络表"),
    (
        Column("department", "部门", ("区级部门", "单位", "部门名称"), required=True, width=28),
        Column(
            "role",
            "类别",
            ("联络人类别", "联络人类型"),
            required=True,
            note="主联络人或备用联络人（可简写为“主”“备”）。",
            choices=_labels(LiaisonRole),
            width=12,
        ),
        Column("office", "联络科室", ("科室", "处室"), required=True),
        Column("name", "姓名", ("联络人", "联络人姓名"), required=True, width=10),
        Column("position", "职务"),
        Column("mobile", "手机", ("手机号", "手机号码"), text=True, width=13),
        Column("office_phone", "办公电话", ("座机", "固定电话"), text=True, width=15),
        Column("duty_hours", "值班时间", ("联络时间",), width=18),
        Column("notes", "备注", width=20),
    ),
)

ENTITIES = TableSpec(
    "entities",
    "检查对象",
    "检查对象",
    ("检查对象", "市场主体", "经营主体", "检查对象名录"),
    (
        Column("name", "名称", ("主体名称", "单位名称", "企业名称"), required=True, width=30),
        Column(
            "uscc",
            "统一社会信用代码",
            ("信用代码", "社会信用代码"),
            note="18 位，含校验位；同一代码已登记的，按本表更新。",
            text=True,
            width=22,
        ),
        Column("address", "地址", ("经营地址", "住所"), width=30),
        Column("grid", "网格", ("所属网格",), note="网格名称或编码", width=14),
        Column("industry", "行业", ("所属行业", "行业类别"), width=12),
        Column("contact_name", "联系人", ("负责人",), width=10),
        Column("contact_phone", "联系电话", ("电话",), text=True, width=15),
        Column(
            "credit_grade",
            "信用等级",
            ("信用", "风险等级"),
            choices=_labels(CreditGrade),
            note="绿、黄、红；不填为绿。",
            width=8,
        ),
        Column("active", "状态", ("经营状态",), choices=("在营", "停业"), width=8),
    ),
)

CATALOGUE = TableSpec(
    "catalogue",
    "执法事项",
    "执法事项清单",
    ("执法事项清单", "事项清单", "赋权事项清单", "事项", "清单"),
    (
        Column("code", "事项编码", ("编码", "事项代码", "编号"), required=True, width=12),
        Column("name", "事项名称", ("名称", "执法事项"), required=True, width=40),
        Column("legal_basis", "法律依据", ("实施依据", "设定依据", "依据"), width=40),
        Column("field", "执法领域", ("领域",), required=True, width=12),
        Column(
            "list_type",
            "清单类别",
            ("类别", "事项类别"),
            required=True,
            choices=_labels(ListType),
            note="赋权事项：街道执法中队办理；联动事项：街道牵头、部门吹哨报到；部门事项：制止后移送。",
        ),
        Column(
            "department",
            "责任部门",
            ("主管部门", "部门"),
            note="联动事项和部门事项必填：区级部门全称或简称。",
            width=24,
        ),
        Column("time_limit_days", "时限（工作日）", ("办理时限", "时限"), width=10),
        Column(
            "time_limit_hours",
            "紧急时限（工作小时）",
            ("紧急时限",),
            note="紧急事件按工作小时计；不填则按时限（工作日）的一半计。",
            width=12,
        ),
        Column(
            "industries",
            "适用行业",
            ("行业",),
            note="检查对象的行业，多个用顿号分隔；“不限”即适用于所有行业；不填则按事项名称判断。",
            width=16,
        ),
    ),
)

CALENDAR = TableSpec(
    "calendar",
    "节假日安排",
    "节假日安排",
    ("节假日安排", "节假日", "日历", "放假安排"),
    (
        Column("day", "日期", ("日期（年-月-日）",), required=True, width=12),
        Column(
            "kind",
            "类别",
            ("类型",),
            required=True,
            choices=_labels(CalendarDayKind),
            note="法定节假日：放假不上班；调休上班：周六或周日照常上班。",
            width=12,
        ),
        Column("name", "名称", ("节日", "说明"), required=True, note="例如：春节、春节调休"),
    ),
)

EXAM_RESULTS = TableSpec(
    "exam_results",
    "考试成绩",
    "考试成绩",
    ("考试成绩", "成绩", "成绩表", "考试成绩表"),
    (
        Column("name", "姓名", ("名字", "考生姓名"), required=True, width=10),
        Column(
            "unit",
            "单位",
            ("所在单位", "单位名称"),
            required=True,
            note="单位全称，或不重复的简称。",
            width=24,
        ),
        Column(
            "id_number",
            "身份证号",
            ("身份证号码", "公民身份号码"),
            note="同一单位有同名人员时必填。",
            text=True,
            width=20,
        ),
        Column("score", "成绩", ("分数", "考试成绩", "得分"), required=True, width=8),
    ),
)

# Which roster person each account belongs to (a leader's must name one: 办、审、定三分离).
USERS = TableSpec(
    "users",
    "账号关联",
    "账号关联",
    ("账号关联", "账号", "用户", "用户关联"),
    (
        Column("username", "用户名", ("账号", "登录名"), required=True, width=14),
        Column("person", "人员姓名", ("对应人员", "姓名", "人员"), required=True, width=10),
        Column(
            "unit",
            "所在单位",
            ("单位", "人员单位"),
            note="名册中有同名人员时必填，按单位区分。",
            width=26,
        ),
    ),
)

SPECS = {
    spec.kind: spec
    for spec in (UNITS, PEOPLE, LIAISONS, ENTITIES, CATALOGUE, CALENDAR, EXAM_RESULTS, USERS)
}
