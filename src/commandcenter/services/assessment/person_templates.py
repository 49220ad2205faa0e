"""The built-in person schemes, one per role group: what each group is scored on.

No group is scored on what cannot apply to it: command-room staff are never on site, so they
have no cases or certificate indicator; auxiliaries hold no certificate (R10), go out only with
officers and are never drawn for a joint operation's teams. The training exam (培训考试合格) is
for those who hold or need a certificate (seed 003 (7)): officers and squad leaders. Each row: code, name, source, metric, side, weight, and the full and zero values
where the group's own differ from the metric's defaults (None: the defaults).
"""

from __future__ import annotations

from commandcenter.db.models import IndicatorSide, IndicatorSource, PersonGroup

# Registers the group-only figures into METRICS before any scheme is made from these.
from commandcenter.services.assessment import person_metrics as _person_metrics  # noqa: F401

_C, _M = IndicatorSource.COMPUTED, IndicatorSource.MANUAL
_ST = IndicatorSide.STREET

TemplateRow = tuple[
    str, str, IndicatorSource, str | None, IndicatorSide, int, float | None, float | None
]

GROUP_TEMPLATES: dict[PersonGroup, list[TemplateRow]] = {
    PersonGroup.OFFICER: [
        ("cases", "办理案件数", _C, "cases_handled", _ST, 30, 40, 0),
        ("training", "培训学时", _C, "training_hours", _ST, 10, 16, 0),
        ("exam", "培训考试合格", _C, "exam_passed", _ST, 10, None, None),
        ("certificate", "执法证状态", _C, "certificate_valid", _ST, 20, None, None),
        # Teams are drawn by lot (R8): an officer never drawn still scores half, not nought.
        ("joint_ops", "参加联合执法次数", _C, "joint_operations", _ST, 10, 3, -3),
        ("unit", "所在单位评价", _M, None, _ST, 20, None, None),
    ],
    PersonGroup.COMMAND: [
        ("registered", "受理登记件数", _C, "incidents_registered", _ST, 25, None, None),
        ("dispatch", "平均研判派单用时", _C, "dispatch_hours", _ST, 20, None, None),
        ("misrouted", "因研判错误被退回件数", _C, "misrouted_returns", _ST, 20, None, None),
        ("training", "培训学时", _C, "training_hours", _ST, 10, 12, 0),
        ("unit", "所在单位评价", _M, None, _ST, 25, None, None),
    ],
    PersonGroup.SQUAD_LEADER: [
        ("squad_on_time", "中队按期反馈率", _C, "squad_on_time_rate", _ST, 25, None, None),
        ("squad_overdue", "中队超期件数", _C, "squad_overdue", _ST, 15, None, None),
        ("squad_joint_ops", "中队参加联合执法次数", _C, "squad_joint_operations", _ST, 10, None, None),
        ("training", "培训学时", _C, "training_hours", _ST, 8, 12, 0),
        ("exam", "培训考试合格", _C, "exam_passed", _ST, 7, None, None),
        ("certificate", "执法证状态", _C, "certificate_valid", _ST, 15, None, None),
        ("street", "街道综合评价", _M, None, _ST, 20, None, None),
    ],
    # No joint operations: a plan's teams are drawn from certified officers only (R8), so an
    # auxiliary's count would always be nought.
    PersonGroup.AUXILIARY: [
        ("cases_assisted", "协助办理案件数", _C, "cases_assisted", _ST, 45, 15, 0),
        ("training", "培训学时", _C, "training_hours", _ST, 15, 12, 0),
        ("unit", "所在单位评价", _M, None, _ST, 40, None, None),
    ],
}  # fmt: skip
