"""考核评价表 (one per agency or person) and the ranked 考核结果汇总表.

A sheet names its data period and, under the table, how each computed figure was counted.
A sheet not yet locked by a leader prints with a 未锁定 watermark: only a locked sheet is final.
The summary prints the period its sheets were computed over, ranks within each scheme, carries a
数据期间不一致 or 未锁定 watermark until it is final, and ends with the audit record's count and
head hash up to where the data stops (services/assessment/signing.py), so a later change to the
record is evident against the signed paper and exporting again prints the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentSubject,
    Grade,
    IndicatorSide,
    PersonGroup,
    SheetStatus,
)
from commandcenter.documents.layout import (
    PageDecor,
    build_pdf,
    escape,
    gap,
    grid_table,
    styles,
)
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import sheets
from commandcenter.services.assessment.sheets import SheetDetail, SummaryRow
from commandcenter.services.assessment.signing import SchemeBasis

_GREY = colors.HexColor("#EEEEEE")


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def sheet_title(year: int, subject: AssessmentSubject, group: PersonGroup | None = None) -> str:
    """派驻机构考核评价表, or the person group's: 指挥室人员考核评价表 ..."""
    if subject is AssessmentSubject.AGENCY:
        return f"{year}年度派驻机构考核评价表"
    return f"{year}年度{(group or PersonGroup.OFFICER).label}考核评价表"


def _sheet_story(d: SheetDetail, centre_name: str) -> list[Flowable]:
    st = styles()
    # The score table in 五号: a sheet and its signatures fit one page.
    t_cell, t_label = st.small, st.small_label
    t_center = ParagraphStyle("sheet_center", parent=st.small, alignment=1)
    # The notes in 8.5 pt: an agency's twelve sources and its signatures still fit the page.
    small = ParagraphStyle("sheet_small", parent=st.small, fontSize=8.5, leading=10.5)
    agency = d.subject is AssessmentSubject.AGENCY
    period = d.period.text if d.period else "尚未计算"
    story: list[Flowable] = [
        Paragraph(escape(centre_name), st.form_subtitle),
        Paragraph(sheet_title(d.year, d.subject, d.group), st.form_title),
        Spacer(1, 3 * mm),
    ]
    head = grid_table(
        [
            [
                Paragraph("被考核单位" if agency else "姓名", t_label),
                Paragraph(escape(d.subject_name), t_cell),
                Paragraph("主管部门" if agency else "所在单位", t_label),
                Paragraph(escape(d.subject_detail), t_cell),
            ],
            [
                Paragraph("考核期间", t_label),
                Paragraph(escape(period), t_cell),
                Paragraph("考核方案", t_label),
                Paragraph(escape(d.scheme_name), t_cell),
            ],
        ],
        [24 * mm, 54 * mm, 24 * mm, 54 * mm],
        [("BACKGROUND", (0, 0), (0, -1), _GREY), ("BACKGROUND", (2, 0), (2, -1), _GREY)],
        padding=2,
    )
    story += [head, Spacer(1, 3 * mm)]

    rows: list[list[object]] = [
        [
            Paragraph(h, t_label)
            for h in ("序号", "评价方", "考核指标", "考核数据", "权重", "得分", "折算分")
        ]
    ]
    notes: list[str] = []
    for n, line in enumerate(d.lines, start=1):
        mark = ""
        if line.note:  # how a figure was counted, or why a hand score was given
            notes.append(f"{len(notes) + 1}. {line.name}：{line.note}")
            mark = f"<super>{len(notes)}</super>"
        # Short figures go in as plain strings set by the table style: they never wrap, and
        # a Paragraph per cell was most of the cost of a year-end export.
        rows.append(
            [
                str(n),
                "部门" if line.side is IndicatorSide.DEPARTMENT else "街道",
                Paragraph(escape(line.name) + mark, t_cell),
                Paragraph(escape(line.value_text), t_center),
                f"{line.weight:g}",
                # A weight-0 figure is listed for reference: a score beside it would read as
                # one the subject earned.
                _points(line.score) if line.weight else "不计分",
                _points(line.weighted) if line.weight else "—",
            ]
        )
    first_total = len(rows)
    totals = [
        ("街道评价得分", d.street),
        *((("部门评价得分", d.department),) if agency else ()),
        ("综合得分", d.total),
    ]
    for name, value in totals:
        rows.append(
            [Paragraph(name, t_label), "", "", "", "", "", Paragraph(_points(value), t_center)]
        )
    rows.append(
        [
            Paragraph("考核等次", t_label),
            "",
            "",
            "",
            "",
            "",
            Paragraph(d.grade.label if d.grade else "待定", t_label),
        ]
    )
    spans = [("SPAN", (0, r), (5, r)) for r in range(first_total, len(rows))]
    table = grid_table(
        rows,
        [10 * mm, 13 * mm, 50 * mm, 30 * mm, 13 * mm, 18 * mm, 22 * mm],
        [
            ("BACKGROUND", (0, 0), (-1, 0), _GREY),
            ("BACKGROUND", (0, first_total), (5, -1), _GREY),
            ("FONTNAME", (0, 1), (-1, -1), t_cell.fontName),
            ("FONTSIZE", (0, 1), (-1, -1), t_cell.fontSize),
            ("LEADING", (0, 1), (-1, -1), t_cell.leading),
            ("ALIGN", (0, 1), (-1, -1), "CENTER"),
            *spans,
        ],
        padding=1,
    )
    table.repeatRows = 1
    story += [table, Spacer(1, 2 * mm)]
    if d.missing:
        story.append(Paragraph(f"尚待评分：{escape('、'.join(d.missing))}。", small))
    # One block of notes: the sheet and its signatures should fit one page.
    explained = (
        "计分说明：系统计算的指标按考核数据在零分值与满分值之间线性计分，不适用的指标不计分、"
        "其权重由其余指标分担；权重为 0 的指标只列数据供参考，不计分；"
        "折算分 = 得分 × 权重 ÷ 适用指标权重合计。"
    )
    if notes:
        explained += "数据来源：" + "；".join(escape(n) for n in notes) + "。"
    story += [Paragraph(explained, small), Spacer(1, 2 * mm)]

    locked = d.status is SheetStatus.LOCKED
    date_line = f"<br/><br/>{gap(8)}年{gap(4)}月{gap(4)}日"
    signature = grid_table(
        [
            [
                Paragraph("考核小组<br/>复核", t_label),
                Paragraph(escape(d.reviewed) or "（未复核）", t_cell),
                Paragraph("锁定签发", t_label),
                Paragraph(escape(d.locked) if locked else "（未锁定，不作为正式结果）", t_cell),
            ],
            [
                Paragraph("被考核单位<br/>负责人签字" if agency else "本人签字", t_label),
                Paragraph(date_line, t_cell),
                Paragraph("分管领导<br/>签字", t_label),
                Paragraph(date_line, t_cell),
            ],
        ],
        [24 * mm, 54 * mm, 24 * mm, 54 * mm],
        [("BACKGROUND", (0, 0), (0, -1), _GREY), ("BACKGROUND", (2, 0), (2, -1), _GREY)],
        padding=4,
    )
    story.append(KeepTogether([signature]))
    return story


def render_sheet(detail: SheetDetail, centre_name: str, path: Path) -> Path:
    locked = detail.status is SheetStatus.LOCKED
    return build_pdf(
        path,
        _sheet_story(detail, centre_name),
        PageDecor(
            title=f"{sheet_title(detail.year, detail.subject, detail.group)}（{detail.subject_name}）",
            watermark=None if locked else "未锁定",
            form=True,
            continued=sheet_title(detail.year, detail.subject, detail.group),
        ),
        author=centre_name,
    )


# --- the ranked summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditSeal:
    """The audit record up to where the data stops: how many records and the last one's hash."""

    cut_text: str  # the moment the sealed records run to
    count: int
    head_hash: str
    head_id: int | None
    chain_intact: bool


@dataclass(frozen=True)
class SummarySection:
    subject: AssessmentSubject
    scheme_name: str
    rows: list[SummaryRow]
    basis: SchemeBasis
    who: str = ""  # whom the scheme assesses (派驻机构, 指挥室人员 …): the workbook's sheet name


NUMERALS = "一二三四五六七八九十"
PERIODS_DIFFER, UNLOCKED = "数据期间不一致", "未锁定"


def summary_watermark(sections: list[SummarySection]) -> str | None:
    """数据期间不一致 while the sheets of a scheme hold different periods, else 未锁定 while any
    sheet is unlocked: only a summary without either is final."""
    if any(not s.basis.consistent for s in sections):
        return PERIODS_DIFFER
    if any(r.status is not SheetStatus.LOCKED for s in sections for r in s.rows):
        return UNLOCKED
    return None


def _grade_counts(rows: list[SummaryRow], measure: str = "个") -> str:
    """优秀 2 个，良好 1 个 …: *measure* is the section's own (个 for units, 人 for people)."""
    counts = {g: sum(1 for r in rows if r.grade is g) for g in Grade}
    pending = sum(1 for r in rows if r.grade is None)
    text = "，".join(f"{g.label} {n} {measure}" for g, n in counts.items())
    return text + (f"，待定 {pending} {measure}" if pending else "")


def _summary_story(
    year: int, sections: list[SummarySection], seal: AuditSeal, centre_name: str
) -> list[Flowable]:
    st = styles()
    small = ParagraphStyle("summary_small", parent=st.small, fontSize=9, leading=12)
    story: list[Flowable] = [
        Paragraph(escape(centre_name), st.form_subtitle),
        Paragraph(f"{year}年度考核结果汇总表", st.form_title),
        Spacer(1, 4 * mm),
    ]
    for n, section in enumerate(sections):
        agency = section.subject is AssessmentSubject.AGENCY
        unlocked = sum(1 for r in section.rows if r.status is not SheetStatus.LOCKED)
        story.append(
            Paragraph(
                f"{NUMERALS[n % len(NUMERALS)]}、{escape(section.scheme_name)}"
                f"（共 {len(section.rows)} {'个单位' if agency else '人'}；"
                f"{_grade_counts(section.rows, '个' if agency else '人')}）",
                st.cell,
            )
        )
        story.append(
            Paragraph(
                f"考核期间：{escape(section.basis.periods_text())}；名次在本方案内排列。", small
            )
        )
        story.append(Spacer(1, 1.5 * mm))
        headers = (
            ("名次", "被考核单位", "街道评价", "部门评价", "综合得分", "等次", "状态")
            if agency
            else ("名次", "姓名", "所在单位", "综合得分", "等次", "状态")
        )
        # 等次 and 状态 wide enough for 不合格 and 已锁定签发 on one line.
        widths = (
            [12 * mm, 44 * mm, 20 * mm, 20 * mm, 20 * mm, 16 * mm, 24 * mm]
            if agency
            else [12 * mm, 22 * mm, 56 * mm, 20 * mm, 18 * mm, 28 * mm]
        )
        text_columns = (1,) if agency else (1, 2)
        body: list[list[object]] = [[Paragraph(h, st.small_label) for h in headers]]
        for r in section.rows:
            rank = str(r.rank) if r.rank else "—"
            grade = r.grade.label if r.grade else "待定"
            cells = (
                [rank, r.name, _points(r.street), _points(r.department), _points(r.total), grade]
                if agency
                else [rank, r.name, r.detail, _points(r.total), grade]
            )
            cells.append(r.status.label)
            body.append(
                [
                    Paragraph(escape(c), small if i in text_columns else st.small_label)
                    for i, c in enumerate(cells)
                ]
            )
        table = grid_table(body, widths, [("BACKGROUND", (0, 0), (-1, 0), _GREY)], padding=2)
        table.repeatRows = 1
        story += [table, Spacer(1, 2 * mm)]
        if not section.basis.consistent:
            story.append(
                Paragraph(
                    "注：本方案各考核评价表的数据期间不一致"
                    f"（{escape(section.basis.periods_text())}），本表不作为正式结果；"
                    "请解锁后重新计算，使各表按同一期间计算。",
                    small,
                )
            )
        if unlocked:
            story.append(
                Paragraph(f"注：其中 {unlocked} 份尚未锁定签发，结果不是最终结果。", small)
            )
        story.append(Spacer(1, 4 * mm))
    seal_text = (
        f"数据留痕：{year}年1月1日起至数据截止时点（{escape(seal.cut_text)}）"
        f"系统操作记录共 {seal.count} 条，"
        f"末条记录（第 {seal.head_id or '—'} 号）哈希值：<br/>{seal.head_hash}<br/>"
        f"操作记录哈希链校验：{'完整' if seal.chain_intact else '发现断点，请联系系统管理员核查'}。"
        "此后对期内记录的任何改动都会使上述数值不符；截止时点以后的操作（包括导出本表）不计入。"
    )
    story.append(
        KeepTogether(
            [
                Paragraph(seal_text, small),
                Spacer(1, 8 * mm),
                Paragraph(f"制表：{gap(16)}审核：{gap(16)}分管领导：{gap(16)}", st.cell),
                Spacer(1, 3 * mm),
                Paragraph(
                    f"制表日期：{timeutil.chinese_date(timeutil.today())}",
                    ParagraphStyle("summary_date", parent=st.cell, alignment=TA_RIGHT),
                ),
            ]
        )
    )
    return story


def render_summary(
    year: int, sections: list[SummarySection], seal: AuditSeal, centre_name: str, path: Path
) -> Path:
    return build_pdf(
        path,
        _summary_story(year, sections, seal, centre_name),
        PageDecor(
            title=f"{year}年度考核结果汇总表",
            watermark=summary_watermark(sections),
            form=True,
            continued=f"{year}年度考核结果汇总表",
        ),
        author=centre_name,
    )


def print_sheet(session: Session, actor: Actor, sheet_id: int, path: Path) -> Path:
    detail = sheets.detail_for_paper(session, actor, sheet_id)
    return render_sheet(detail, settings.load(session).centre_name, path)
