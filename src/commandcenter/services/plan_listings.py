"""Joint operations' plans as a list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from commandcenter.db.models import Plan, PlanStatus, PlanTheme, Unit
from commandcenter.services.listing import ListColumn, Listing, enum_filter


def _plan_source() -> Select[Any]:
    return select().select_from(Plan).join(Unit, Plan.lead_unit_id == Unit.id)


PLANS = Listing(
    key="plans",
    title="联合行动",
    id_expr=Plan.id,
    columns=(
        ListColumn("方案编号", Plan.number, 150),
        ListColumn("日期", Plan.planned_on, 90),
        ListColumn("主题", Plan.theme, 90),
        ListColumn("行动名称", Plan.title, 280),
        ListColumn("牵头单位", Unit.short_name, 120),
        ListColumn("状态", Plan.status, 70),
    ),
    source=_plan_source,
    search=(Plan.number, Plan.title, Unit.short_name),
    default_sort=1,
    default_descending=True,
    filters=(
        enum_filter("status", "状态", Plan.status, PlanStatus),
        enum_filter("theme", "主题", Plan.theme, PlanTheme),
    ),
)
