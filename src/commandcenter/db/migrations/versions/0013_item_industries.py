"""catalogue items: the industries each applies to

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-05 23:30:00

A plan's target pool follows its items' industries. Existing items get theirs from their names
(the rules are copied here, as they stood, so the migration never changes after the fact); an
item whose name names no industry applies to any business and keeps an empty list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("餐饮", "饮食", "食品", "烧烤", "油烟"), ("餐饮",)),
    (("销售",), ("零售",)),
    (("产品",), ("加工制造", "零售")),
    (("生产经营单位", "安全生产", "污染物"), ("加工制造", "仓储物流")),
    (("仓储", "物流", "危险化学品"), ("仓储物流",)),
    (("施工", "建筑垃圾", "渣土", "工地"), ("建筑施工",)),
    (("演出", "网吧", "上网服务", "娱乐", "游艺"), ("娱乐场所",)),
    (("公共场所",), ("住宿", "娱乐场所", "美容美发")),
    (("住宿", "旅馆", "宾馆", "民宿"), ("住宿",)),
    (("机动车维修", "汽车维修", "汽修", "洗车"), ("汽车维修",)),
    (("美容", "美发", "理发"), ("美容美发",)),
)


def _industries(name: str) -> str:
    found: dict[str, None] = {}
    for words, industries in _RULES:
        if any(word in name for word in words):
            found.update(dict.fromkeys(industries))
    return "、".join(found)


def upgrade() -> None:
    with op.batch_alter_table("catalogue_items") as batch_op:
        batch_op.add_column(
            sa.Column("industries", sa.String(length=200), nullable=False, server_default="")
        )
    items = sa.table(
        "catalogue_items",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("industries", sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(items.c.id, items.c.name)).all()
    updates = [{"item_id": i, "value": _industries(name)} for i, name in rows if _industries(name)]
    if updates:
        bind.execute(
            items.update()
            .where(items.c.id == sa.bindparam("item_id"))
            .values(industries=sa.bindparam("value")),
            updates,
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate the table, which
    # incidents and plans refer to.
    op.drop_column("catalogue_items", "industries")
