"""A paper never fails because a field is long: every field of the dispatch order, whatever its
length, goes on in its row over as many pages as it needs, inside the type area, its words in
order; the other papers' tables go over a row taller than a page; and a paper no layout can
hold is refused with a message, nothing written."""

from __future__ import annotations

import dataclasses
import itertools
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from commandcenter.documents import dispatch_order, layout, long_rows
from commandcenter.documents.dispatch_order import DispatchOrder, Officer
from commandcenter.documents.layout import (
    TEXT_HEIGHT,
    TEXT_WIDTH,
    PageDecor,
    TableTail,
    build_pdf,
    escape,
    grid_table,
    styles,
)
from commandcenter.errors import ValidationError
from tests.core.test_paper_geometry import check_type_area, lines_of

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Ningbo
HEADER = ("事件编号", "SJ2026-000001", "受理时间", "2026-12-0109:00")  # the header row's words
# Numbered sentences: a word out of order or lost shows as a number out of place.
LONG = "".join(
    f"第{n}条：经网格员现场核查，门店占道经营，堆放杂物阻碍通行。" for n in range(1, 261)
)


def _order(**changes: Any) -> DispatchOrder:
    order = DispatchOrder(
        centre_name="梅山街道综合行政执法指挥中心",
        number="梅执调〔2026〕1号",
        incident_number="SJ2026-000001",
        received_at=NOW,
        channel="12345热线",
        channel_ref="X1",
        title="占道经营",
        description="门店占道经营。",
        address="梅山路1号",
        grid="第一网格",
        reporter="张* 138****0000",
        item="A01 占道经营",
        legal_basis="条例",
        list_type="街道",
        route="街道自办",
        lead_unit="综合行政执法队",
        co_units=["市场监管所"],
        officers=[Officer("张三", "执法队", "12345", False)],
        deadline_at=NOW,
        deadline_uncertain=False,
        priority="一般",
        first_responsible="王五",
        dispatched_at=NOW,
        requirements="按规定",
    )
    return dataclasses.replace(order, **changes)


def _text(pages: list[str]) -> str:
    """The pages run together, the header row repeated on each later page taken out once."""
    later = []
    for page in pages[1:]:
        for word in HEADER:
            page = page.replace(word, "", 1)
        later.append(page)
    return pages[0] + "".join(later)


def _pages(path: Path) -> list[str]:
    """Each page's text in reading order, its words run together, without the running head and
    page number."""
    pages: dict[int, str] = {}
    for line in lines_of(path):
        if not FURNITURE.fullmatch(line.text):
            pages[line.page] = pages.get(line.page, "") + line.text.replace(" ", "")
    return [pages.get(n, "") for n in range(1, max(pages) + 1)]


FURNITURE = re.compile(r"— \d+ —|.*（续）")


UNITS = [f"第{n}市场监督管理所" for n in range(1, 301)]
OFFICERS = [Officer(f"执法员{n}", "执法队", f"浙执{n:05d}", False) for n in range(1, 401)]
PARTS = tuple(f"第{n}协办单位：已签收" for n in range(1, 201))

# Each field made absurdly long, and the text it then prints (in that order, whole).
CASES: dict[str, tuple[dict[str, Any], str]] = {
    "description": ({"description": LONG}, LONG),
    "title": ({"title": LONG}, LONG),
    "address": ({"address": LONG}, LONG + "（第一网格）"),
    "legal_basis": ({"legal_basis": LONG}, LONG),
    "requirements": ({"requirements": LONG}, LONG),
    "co_units": ({"co_units": UNITS}, "、".join(UNITS)),
    "officers": (
        {"officers": OFFICERS},
        "；".join(f"{o.name}（{o.unit}，执法证号{o.certificate}）" for o in OFFICERS),
    ),
    "part_lines": ({"part_lines": PARTS}, "".join(PARTS)),
    "approval_note": (
        {"approved_by": "李四", "approved_at": NOW, "approval_note": "同意派单：" + LONG},
        "审批意见：" + LONG,
    ),
}


@needs_poppler
@pytest.mark.parametrize("field", list(CASES))
def test_a_long_field_goes_over_pages_in_its_row(field: str, tmp_path: Path) -> None:
    changes, printed = CASES[field]
    order = _order(**changes)
    path = dispatch_order.render(order, tmp_path / f"{field}.pdf")
    pages = _pages(path)
    # About 7,000 characters at 29 a line and 40 lines a page: four pages at the least.
    assert len(pages) >= 4, len(pages)
    # Every word, in order: the text is whole once the repeated headers are taken out (and,
    # for the narrow 协办单位 column, the row's other cells, which read into it).
    text = _text(pages)
    if field in ("co_units", "part_lines"):
        text = text.replace("主办单位综合行政执法队", "", 1).replace("协办单位", "", 1)
    assert printed in text
    if field != "approval_note":
        # The body's rows: the incident's number and receipt time head every page it runs on.
        assert all(all(word in page for word in HEADER) for page in pages[:4])
    check_type_area(path, form=True, continued=dispatch_order.page_decor(order).continued)
    # The receipt stays whole on the last page, and the closing rows together on one.
    assert all(w in pages[-1] for w in ("签收回执", "调度单号", "签收单位", "签收人", "备注"))
    closing = [n for n, p in enumerate(pages) if "首问负责人" in p]
    assert closing and "办理期限" in pages[closing[0]]
    if field != "approval_note":
        assert "领导签发" in pages[closing[0]]


@needs_poppler
def test_a_long_field_leaves_three_lines_on_either_side(tmp_path: Path) -> None:
    path = dispatch_order.render(_order(description=LONG), tmp_path / "lines.pdf")
    leading = styles().cell.leading
    lines = [ln for ln in lines_of(path) if len(ln.text) > 8 and ln.text.replace(" ", "") in LONG]
    for page in {ln.page for ln in lines}:
        on_page = [ln for ln in lines if ln.page == page]
        assert len(on_page) >= 3, page
        # Lines a leading apart: none lost or doubled at the break.
        tops = sorted(ln.y0 for ln in on_page)
        assert all(abs(b - a - leading) < 0.5 for a, b in itertools.pairwise(tops))


@needs_poppler
def test_an_absurd_receipt_splits_as_a_last_resort(tmp_path: Path) -> None:
    unit = "".join(f"梅山街道综合行政执法队第{n}中队" for n in range(1, 301))
    path = dispatch_order.render(_order(lead_unit=unit), tmp_path / "receipt.pdf")
    pages = _pages(path)
    text = _text(pages).replace("协办单位市场监管所", "", 1)  # the cells that read into it
    # Every part of the name, in the order's 主办单位 and on the receipt.
    assert all(text.count(f"第{n}中队") == 2 for n in range(1, 301))
    receipt = next(n for n, p in enumerate(pages) if "签收回执" in p)
    assert receipt < len(pages) - 1  # it did go over
    check_type_area(path, form=True, continued=dispatch_order.page_decor(_order()).continued)


@needs_poppler
def test_a_short_order_prints_on_one_page(tmp_path: Path) -> None:
    path = dispatch_order.render(_order(), tmp_path / "short.pdf")
    pages = _pages(path)
    assert len(pages) == 1
    assert pages[0].count("事件编号") == 2  # the order's and the receipt's
    assert _text(pages).count("门店占道经营。") == 1


# --- the grid tables of the other papers ---------------------------------------------------


FINDINGS = "".join(f"第{n}项：现场核查属实，已责令整改。" for n in range(1, 181))


def test_a_row_taller_than_a_page_is_cut_into_rows() -> None:
    st = styles()
    long = Paragraph(escape(FINDINGS), st.cell)
    rows = [
        [Paragraph("项目", st.cell_label), Paragraph("内容", st.cell_label), ""],
        [Paragraph("事实", st.cell_label), long, ""],
        [Paragraph("结论", st.cell_label), Paragraph("属实", st.cell), ""],
    ]
    grey = ("BACKGROUND", (0, 0), (-1, 0), colors.grey)
    spans = [("SPAN", (1, 0), (2, 0)), ("SPAN", (1, 1), (2, 1)), ("SPAN", (1, -1), (2, -1))]
    widths = [30 * mm, 60 * mm, TEXT_WIDTH - 90 * mm]
    cells, extra = long_rows.cut(rows, widths, [grey, *spans], 4, TEXT_HEIGHT)
    # The facts, thousands of points high in 386 points, in pieces of at most 0.4 of 638.
    high = long.wrap(TEXT_WIDTH - 30 * mm - 10, 1e9)[1]
    n = len(cells) - 2
    assert n >= high / (0.4 * TEXT_HEIGHT)
    assert cells[0] == rows[0] and cells[-1] == rows[2]
    assert cells[1][0] is rows[1][0] and all(row[0] == "" for row in cells[2:-1])
    for row in cells[1:-1]:
        assert row[1].wrap(TEXT_WIDTH - 30 * mm - 10, 1e9)[1] <= 0.4 * TEXT_HEIGHT - 9
    # Each piece spans as its row did; the last row's span follows it to its new place.
    assert extra[0] == grey
    assert extra[1] == ("SPAN", (1, 0), (2, 0))
    assert extra[2 : 2 + n] == [("SPAN", (1, r), (2, r)) for r in range(1, n + 1)]
    assert extra[-1] == ("SPAN", (1, n + 1), (2, n + 1))


def test_a_table_of_rows_that_fit_is_left_as_it_is() -> None:
    st = styles()
    rows = [[Paragraph("事实", st.cell_label), Paragraph(escape(LONG[:600]), st.cell)]]
    extra = [("SPAN", (0, 0), (0, 0))]
    cells, same = long_rows.cut(rows, [30 * mm, TEXT_WIDTH - 30 * mm], extra, 4, TEXT_HEIGHT)
    assert cells == [rows[0]] and same == extra


@needs_poppler
def test_a_grid_table_and_its_tail_go_over_a_long_row(tmp_path: Path) -> None:
    st = styles()
    header = [[Paragraph("序号", st.cell_label), Paragraph("检查情况", st.cell_label)]]
    widths = [20 * mm, TEXT_WIDTH - 20 * mm]
    rows = [[Paragraph(str(n), st.cell), Paragraph(escape(FINDINGS), st.cell)] for n in (1, 2)]
    story: list[Flowable] = [
        grid_table([*header, rows[0]], widths, header_rows=1),
        # The last rows go over with what follows, as the checklist's and the notice's do.
        KeepTogether([TableTail(header, [rows[1]], widths), Paragraph("检查人员签名：", st.cell)]),
    ]
    path = build_pdf(tmp_path / "tail.pdf", story, PageDecor("检查记录表", form=True))
    text = re.sub(r"\s+", "", "".join(_pages(path)))
    # Every item of both rows (the header repeated between the pages' parts), and what follows.
    assert text.count("序号检查情况") > 2 and text.endswith("检查人员签名：")
    text = text.replace("序号检查情况", "")
    assert all(text.count(f"第{n}项：现场核查属实") == 2 for n in range(1, 181))
    check_type_area(path, form=True)


# --- what no layout can hold ------------------------------------------------------------------


class _Slab(Flowable):
    """A block taller than any page that cannot split: what no layout foresaw."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 2000.0


def test_a_paper_that_cannot_be_laid_out_is_refused_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "order.pdf"
    target.write_bytes(b"the paper printed before")
    with pytest.raises(ValidationError) as refused:
        build_pdf(target, [_Slab()], PageDecor("指挥调度单 梅执调〔2026〕1号", form=True))
    assert refused.value.message == (
        "《指挥调度单》无法排版：某一栏或某一段内容过长，一页纸排不下。请精简过长的内容后重试。"
    )
    # Nothing half-written: the earlier paper stands, and no temporary file is left.
    assert target.read_bytes() == b"the paper printed before"
    assert [p.name for p in tmp_path.iterdir()] == ["order.pdf"]


def test_the_message_names_a_paper_without_a_number() -> None:
    assert layout.layout_failure_message("区级部门联络人通讯名录").startswith(
        "《区级部门联络人通讯名录》无法排版"
    )


@needs_poppler
def test_the_bulletin_s_distribution_list_goes_over_pages(tmp_path: Path) -> None:
    from commandcenter.documents import bulletin
    from commandcenter.services.bulletin_settings import Recipients

    units = "、".join(f"第{n}联络单位" for n in range(1, 601))
    story = bulletin._distribution(Recipients(units, "区综合行政执法局"), styles().fonts.body)
    path = build_pdf(tmp_path / "bulletin.pdf", story, PageDecor("执法工作通报 2026年第1期"))
    text = _text(_pages(path))
    assert f"报送：{units}。抄送：区综合行政执法局。" in text
    check_type_area(path, form=False)


# The papers whose tables failed on a long value, printed from the demo street with every text
# of twelve characters or more made 60 times as long (names, addresses, findings, recipients).
LONG_TABLE_PAPERS = (
    "draw-record",
    "checklist",
    "inspection-notice",
    "annual-inspection-coverage",
    "bulletin",
)


@pytest.mark.slow
@pytest.mark.parametrize("key", LONG_TABLE_PAPERS)
def test_a_paper_s_tables_take_absurdly_long_values(
    key: str, demo_db: Any, leader: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from commandcenter.documents.registry import DOCUMENT_KINDS

    def long_escape(text: object) -> str:
        s = str(text) if text is not None else ""
        return escape(s * 60 if len(s) >= 12 else s)

    for name, module in list(sys.modules.items()):
        if name.startswith("commandcenter.documents") and getattr(module, "escape", None) is escape:
            monkeypatch.setattr(module, "escape", long_escape)
    kind = next(k for k in DOCUMENT_KINDS if k.key == key)
    with demo_db.write() as s:
        path = kind.render_sample(s, leader, tmp_path / f"{key}.pdf")
    assert len(_pages(path)) > 3
