"""The inspected entities (检查对象) as a list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import CreditGrade, Entity, Grid
from commandcenter.services import masking
from commandcenter.services.listing import (
    FilterOption,
    ListColumn,
    ListFilter,
    Listing,
    enum_filter,
    equals,
)


def _entity_grid_options(session: Session) -> list[FilterOption]:
    rows = session.execute(
        select(Grid.id, Grid.name).where(Grid.active.is_(True)).order_by(Grid.code)
    ).all()
    return [FilterOption(name, equals(Entity.grid_id, gid), gid) for gid, name in rows]


ENTITIES = Listing(
    key="entities",
    title="检查对象",
    id_expr=Entity.id,
    columns=(
        ListColumn("名称", Entity.name, 220),
        ListColumn("统一社会信用代码", Entity.uscc, 160),
        ListColumn("地址", Entity.address, 220),
        ListColumn("网格", Grid.name, 110),
        ListColumn("行业", Entity.industry, 80),
        ListColumn("信用等级", Entity.credit_grade, 60),
        ListColumn("联系人", Entity.contact_name, 70),
        ListColumn("联系电话", Entity.contact_phone, 110, personal=masking.mask_phone),
    ),
    source=lambda: select().select_from(Entity).outerjoin(Grid, Entity.grid_id == Grid.id),
    search=(Entity.name, Entity.uscc, Entity.address, Entity.industry),
    where=lambda ctx: Entity.active.is_(True),
    filters=(
        enum_filter("grade", "信用等级", Entity.credit_grade, CreditGrade),
        ListFilter("grid", "网格", _entity_grid_options, group=lambda ctx: Entity.grid_id),
    ),
)
