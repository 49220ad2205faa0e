"""The item catalogue as a list: the version in force, or any other."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from commandcenter.db.models import CatalogueItem, CatalogueVersion, ListType, Unit
from commandcenter.services.listing import (
    FilterOption,
    ListColumn,
    ListContext,
    ListFilter,
    Listing,
    enum_options,
    equals,
)

_item_dept = aliased(Unit, name="item_dept")


def _catalogue_source() -> Select[Any]:
    return (
        select()
        .select_from(CatalogueItem)
        .join(CatalogueVersion, CatalogueItem.version_id == CatalogueVersion.id)
        .outerjoin(_item_dept, CatalogueItem.department_id == _item_dept.id)
    )


IN_FORCE = "现行版本"


def _version_in_force(ctx: ListContext) -> ColumnElement[bool]:
    latest = (
        select(CatalogueVersion.id)
        .where(CatalogueVersion.effective_from <= ctx.today)
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return CatalogueItem.version_id == latest


def _version_options(session: Session) -> list[FilterOption]:
    """The version in force first, then every version by date, newest first."""
    rows = session.execute(
        select(
            CatalogueVersion.id, CatalogueVersion.label, CatalogueVersion.effective_from
        ).order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
    ).all()
    options = [FilterOption(IN_FORCE, _version_in_force)]
    options += [
        FilterOption(
            f"{label}（{start.isoformat()} 起）", equals(CatalogueItem.version_id, vid), vid
        )
        for vid, label, start in rows
    ]
    return options


CATALOGUE = Listing(
    key="catalogue",
    title="执法事项清单",
    id_expr=CatalogueItem.id,
    columns=(
        ListColumn("事项编码", CatalogueItem.code, 110),
        ListColumn("事项名称", CatalogueItem.name, 330),
        ListColumn("执法领域", CatalogueItem.field, 80),
        ListColumn("适用行业", CatalogueItem.industries, 110),
        ListColumn("清单类别", CatalogueItem.list_type, 80),
        ListColumn("责任部门", _item_dept.short_name, 110),
        ListColumn("时限（工作日）", CatalogueItem.time_limit_days, 90),
        ListColumn("紧急时限（工作小时）", CatalogueItem.time_limit_hours, 110),
        ListColumn("版本", CatalogueVersion.label, 120),
    ),
    source=_catalogue_source,
    search=(
        CatalogueItem.code,
        CatalogueItem.name,
        CatalogueItem.field,
        CatalogueItem.legal_basis,
    ),
    filters=(
        ListFilter("version", "版本", _version_options, default=IN_FORCE),
        ListFilter("list_type", "清单类别", enum_options(CatalogueItem.list_type, ListType)),
    ),
)
