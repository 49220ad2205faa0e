"""No line of a paper starts with Chinese closing punctuation, even two in a row ("），")."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.platypus import Paragraph

from commandcenter.documents import line_breaks
from commandcenter.documents.layout import TEXT_WIDTH, styles


def _lines(paragraph: Paragraph, width: float) -> list[str]:
    paragraph.wrap(width, 10_000)
    found: Any = paragraph.blPara
    if found.kind == 0:  # one run of text: [extraSpace, [text]]
        return ["".join(words) for _, words in found.lines]
    return ["".join(f.text for f in line.words) for line in found.lines]


MOTION = (
    "北仑区卫生监督所梅山监督站在梅山街道2026年度派驻机构考核中（考核数据期间为2026年1月1日至"
    "2026年12月6日），综合得分33.85分，在本年度5个派驻机构中列第5名，考核等次为“不合格”。"
)


@pytest.mark.parametrize("cut", range(0, 40, 3))
def test_no_line_starts_with_a_closing_mark_at_any_measure(cut: int) -> None:
    """The paragraph of the 人事调整动议书 that printed "，综合得分" at a line's start, and the
    same text wrapped at narrower measures, as one run and as several (a bold run inside)."""
    width = TEXT_WIDTH - cut * 2
    body = styles().body
    for text in (MOTION, MOTION.replace("综合得分", "<b>综合得分</b>")):
        lines = _lines(Paragraph(text, body), width)
        assert "".join(lines).replace(" ", "") == MOTION
        starts = [line[0] for line in lines[1:] if line]
        assert not [c for c in starts if c in line_breaks.CANNOT_START], lines


def test_the_case_that_went_wrong_moves_the_character_before_down() -> None:
    lines = _lines(Paragraph(MOTION, styles().body), TEXT_WIDTH - 12)
    joined = "|".join(lines)
    assert "|，" not in joined and "|）" not in joined
    assert all(line for line in lines)


CODES = ("12345-20268 2761465", "8:30-17:30", "浙执02062600005", "2026-10-04（逾期）")


@pytest.mark.parametrize("code", CODES)
def test_no_line_breaks_inside_a_number_time_or_code(code: str) -> None:
    """Each code put at every place of a line: wherever it falls, it stays on one line."""
    body = styles().body
    for lead in range(0, 30):
        text = "工作单" * 10 + "各" * lead + code + "，请于当日办结并反馈。" * 3
        lines = _lines(Paragraph(text, body), TEXT_WIDTH)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert any(code.replace(" ", "") in line.replace(" ", "") for line in lines), (lead, lines)


def test_no_line_ends_with_an_opening_bracket() -> None:
    body = styles().body
    for lead in range(0, 30):
        text = "各" * lead + "依据《中华人民共和国安全生产法》（2021年修正）第一百零二条处理。" * 2
        lines = _lines(Paragraph(text, body), TEXT_WIDTH)
        assert not [line for line in lines if line and line[-1] in line_breaks.CANNOT_END], lines


def test_a_body_line_holds_28_characters() -> None:
    """GB/T 9704's grid: 28 characters of 三号 fill the 156 mm line, no more."""
    body = styles().body
    text = "国" * 100
    lines = _lines(Paragraph(text, body), TEXT_WIDTH)
    assert [len(line) for line in lines] == [26, 28, 28, 18]  # the first indented two
