"""A form drawn at fixed places (form_grid) prints what the platypus table printed, to the point,
and a font subset taken from the process's store is the subset reportlab would make."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from commandcenter.documents import fonts, subset_cache
from commandcenter.documents.form_grid import CentredLine, FormGrid, Lines, Text
from commandcenter.documents.layout import (
    TEXT_WIDTH,
    PageDecor,
    build_pdf,
    escape,
    grid_table,
    styles,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<')


def _words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    found = []
    for page, body in enumerate(out.split("<page ")[1:], 1):
        for m in WORD.finditer(body):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            found.append((page, x0, y0, x1, y1, m.group(5)))
    return found


def _rows(long_text: str) -> list[list[Text | Lines | Paragraph | str]]:
    st = styles()
    label, cell = st.cell_label, st.cell
    return [
        [
            Text("事件编号", label),
            Text("2026-000123", cell),
            Text("受理时间", label),
            Text("2026-11-20 06:50", cell),
        ],
        [Text("事件描述", label), Text(long_text, cell), "", ""],
        [
            Text("首问负责人", label),
            Text("𠮷某", cell),
            Text("协办单位", label),
            Paragraph("甲：已签收<br/>乙", cell),
        ],
        [Text("备注", label), Text("含<尖括号>与&符号\n第二行", cell), "", ""],
        [Text("地点", label), Text("梅山路\u3000\u300012 号  东门", cell), "", ""],
        [
            Text("协办", label),
            Lines(("甲：已签收", "乙：已反馈"), cell, "甲：已签收<br/>乙：已反馈"),
            "",
            "",
        ],
        [
            Text("签发", label),
            Lines(("", "签名：\xa0\xa0日期："), cell, "<br/>签名：&nbsp;&nbsp;日期："),
            "",
            "",
        ],
        [
            Text("签收人", label),
            Lines((), cell, ""),
            Text("时间", label),
            Lines(("年\xa0\xa0月",), cell, "年&nbsp;&nbsp;月"),
        ],
        # Right-aligned or indented text is left to a paragraph, which places it.
        [Text("对齐", label), Text("靠右", ParagraphStyle("r", cell, alignment=TA_RIGHT)), "", ""],
        [
            Text("缩进", label),
            Text("缩进两字", ParagraphStyle("i", cell, firstLineIndent=24)),
            "",
            "",
        ],
    ]


def _as_table(rows: list[list[Text | Lines | Paragraph | str]]) -> list[list[Paragraph | str]]:
    return [
        [
            Paragraph(escape(c.text), c.style)
            if isinstance(c, Text)
            else Paragraph(c.markup, c.style)
            if isinstance(c, Lines)
            else c
            for c in row
        ]
        for row in rows
    ]


WIDTHS = [26 * mm, TEXT_WIDTH / 2 - 26 * mm, 26 * mm, TEXT_WIDTH / 2 - 26 * mm]
SPANS = [(1, 1), (3, 1), (4, 1), (5, 1), (6, 1), (8, 1), (9, 1)]


def _pair(tmp_path: Path, long_text: str, name: str) -> tuple[Path, Path]:
    st = styles()
    rows = _rows(long_text)
    table_spans = [("SPAN", (1, r), (3, r)) for r, _ in SPANS]
    table = grid_table(_as_table(rows), WIDTHS, table_spans, padding=2.5, header_rows=1)
    table.splitInRow = 3 * st.cell.leading
    old: list[Flowable] = [Paragraph("指挥调度单", st.form_title), table]
    grid = FormGrid(rows, WIDTHS, SPANS, 2.5, header_rows=1, split_in_row=3 * st.cell.leading)
    new: list[Flowable] = [CentredLine("指挥调度单", st.form_title), grid]
    decor = PageDecor("t", form=True, continued="t")
    return (
        build_pdf(tmp_path / f"{name}-table.pdf", old, decor),
        build_pdf(tmp_path / f"{name}-grid.pdf", new, decor),
    )


@needs_poppler
def test_a_grid_drawn_at_fixed_places_prints_as_the_table_did(tmp_path: Path) -> None:
    table, grid = _pair(tmp_path, "门店占道经营，堆放杂物阻碍通行。" * 4, "short")
    old, new = _words(table), _words(grid)
    assert [w[5] for w in new] == [w[5] for w in old]
    assert "𠮷某" in [w[5] for w in new]  # the rare character in its fallback face
    assert "梅山路" in [w[5] for w in new]  # its ideographic spaces folded, as a paragraph does
    assert "靠右" in [w[5] for w in new] and "缩进两字" in [w[5] for w in new]
    for a, b in zip(old, new, strict=True):
        assert a[0] == b[0] and all(abs(a[i] - b[i]) < 0.01 for i in range(1, 5)), (a, b)


@needs_poppler
def test_a_grid_going_over_at_a_row_s_edge_prints_as_the_table_did(tmp_path: Path) -> None:
    # The facts fill most of the first page; the rows after them go over, the header repeated.
    # (A little longer, and the table cut the facts' row into three on the same page, each
    # ruled off; the grid keeps the row whole.)
    table, grid = _pair(tmp_path, "经网格员现场核查，门店占道经营，堆放杂物阻碍通行。" * 33, "edge")
    old, new = _words(table), _words(grid)
    assert max(w[0] for w in old) == 2
    assert sum(w[5] == "事件编号" for w in old) == 2
    # The same words at the same places (drawn in another order: strings after paragraphs).
    old, new = sorted(old, key=_place), sorted(new, key=_place)
    assert [(w[0], w[5]) for w in new] == [(w[0], w[5]) for w in old]
    for a, b in zip(old, new, strict=True):
        assert all(abs(a[i] - b[i]) < 0.01 for i in range(1, 5)), (a, b)


def _place(word: tuple[int, float, float, float, float, str]) -> tuple[int, int, int]:
    return word[0], round(word[2]), round(word[1])


@needs_poppler
def test_a_row_longer_than_the_page_goes_on_in_its_row(tmp_path: Path) -> None:
    # The table split such a row once and drew what went over above the next page's top edge;
    # the grid goes on in the row, inside the frame, the header on every page.
    sentence = "经网格员现场核查，门店占道经营，堆放杂物阻碍通行。"
    _, grid = _pair(tmp_path, sentence * 60, "long")
    new = _words(grid)
    pages = max(w[0] for w in new)
    assert pages == 2
    assert [w[0] for w in new if w[5] == "事件编号"] == [1, 2]
    top, bottom = PageDecor("", form=True).top, PageDecor("", form=True).bottom
    inside = [w for w in new if w[5] not in ("—", "1", "2") and not w[5].startswith("t")]
    assert all(top - 1 <= w[2] and w[4] <= 841.89 - bottom + 1 for w in inside)
    # The row's lines on the two pages, in order: the facts whole.
    facts = "".join(w[5] for w in new if set(w[5]) <= set(sentence))
    assert facts == sentence * 60


def test_a_long_caption_is_a_paragraph() -> None:
    st = styles()
    short = CentredLine("指挥调度单", st.form_title)
    assert short.wrap(TEXT_WIDTH, 800) == (TEXT_WIDTH, st.form_title.leading)
    long = CentredLine("梅山街道综合行政执法指挥中心" * 3, st.form_subtitle)
    assert long.wrap(TEXT_WIDTH, 800)[1] == 2 * st.form_subtitle.leading  # two lines


def test_a_stored_subset_is_the_subset_reportlab_makes() -> None:
    subset_cache.install()
    chosen = fonts.font_set()
    face = pdfmetrics.getFont(chosen.heading).face
    glyphs = [ord(c) for c in "事件编号受理时间" if ord(c) in face.charToGlyph]
    outside = subset_cache.make_subset(face, glyphs)
    assert not isinstance(outside, subset_cache.Subset)  # made afresh outside kept()
    assert subset_cache.make_subset(face, glyphs) is not outside
    with subset_cache.kept([chosen.heading]):
        made = subset_cache.make_subset(face, glyphs)
        assert made == outside  # the same bytes
        assert subset_cache.make_subset(face, glyphs) is made  # and kept
        assert subset_cache.make_subset(face, glyphs[::-1]) is not made  # order is part of it
        packed = pdfdoc.PDFZCompress.encode(made)
        assert packed == subset_cache._compress(outside)
        assert pdfdoc.PDFZCompress.encode(made) is packed  # compressed once
        body = pdfmetrics.getFont(chosen.body).face  # not named: made afresh
        assert not isinstance(subset_cache.make_subset(body, glyphs), subset_cache.Subset)
