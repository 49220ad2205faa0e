"""Which industries (行业) an enforcement item applies to, so a plan's targets follow its items.

An item's industries are stored with it (``CatalogueItem.industries``, joined by 、); an item
with none applies to any business (无照经营, 违法建设). A new item given none has them read from
its name by :data:`RULES`, the same rules migration 0013 used to fill the existing catalogue;
one given as 不限 applies to any.
The names are the entity directory's 行业 values.
"""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = "、"

# (words in an item's name, the industries the item applies to)
RULES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
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


def from_name(name: str) -> list[str]:
    """The industries an item's name names, in the order of :data:`RULES`' industries."""
    found: dict[str, None] = {}
    for words, industries in RULES:
        if any(word in name for word in words):
            found.update(dict.fromkeys(industries))
    return list(found)


def parse(text: str | None) -> list[str]:
    """Stored or typed industries: split on 、，, or spaces, blanks and repeats dropped."""
    cleaned = text or ""
    for mark in "，,;； \u3000":
        cleaned = cleaned.replace(mark, SEPARATOR)
    return list(dict.fromkeys(part.strip() for part in cleaned.split(SEPARATOR) if part.strip()))


ANY = "不限"  # how a workbook says "any business", where a blank cell means "from the name"


def is_any(text: str | None) -> bool:
    return (text or "").strip() in (ANY, "全部", "所有行业")


def join(industries: Iterable[str]) -> str:
    return SEPARATOR.join(dict.fromkeys(industries))
