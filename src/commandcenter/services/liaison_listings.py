"""The liaison directory (联络名录) as a list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from commandcenter.db.models import Liaison, Unit
from commandcenter.services.listing import ListColumn, Listing


def _liaison_source() -> Select[Any]:
    return select().select_from(Liaison).join(Unit, Liaison.department_id == Unit.id)


LIAISONS = Listing(
    key="liaisons",
    title="联络名录",
    id_expr=Liaison.id,
    columns=(
        ListColumn("部门", Unit.name, 200),
        ListColumn("联络科室", Liaison.office, 130),
        ListColumn("类别", Liaison.role, 80),
        ListColumn("姓名", Liaison.name, 70),
        ListColumn("职务", Liaison.position, 90),
        ListColumn("手机", Liaison.mobile, 110),
        ListColumn("办公电话", Liaison.office_phone, 110),
        ListColumn("值班时间", Liaison.duty_hours, 120),
    ),
    source=_liaison_source,
    search=(Unit.name, Unit.short_name, Liaison.name, Liaison.office),
    default_sort=0,
)
