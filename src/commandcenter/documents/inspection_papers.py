"""The papers of 双随机一公开's 公开 and the year's plan: the 抽查结果公示 notice (a title, the
list, the centre's 落款) and the 年度检查总计划执行情况 (planned against done per industry and
department, each joint operation counted, the entities never checked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from commandcenter import timeutil
from commandcenter.documents.layout import (
    LINE,
    PageDecor,
    SignatureBlock,
    TableTail,
    build_pdf,
    escape,
    gap,
    grid_table,
    styles,
)
from commandcenter.services.annual_inspection_plan import Coverage
from commandcenter.services.inspection_publication import Notice

_TABLE_SIZE = 9  # 小五: seven to eleven columns on a portrait page
_HEADER_BACKGROUND = ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))
_TIGHT = (("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2))

_NOTICE_HEADERS = (
    "序号",
    "检查对象",
    "统一社会信用代码",
    "行动方案",
    "检查日期",
    "检查事项",
    "检查结果",
)
_NOTICE_WIDTHS = [8 * mm, 28 * mm, 31 * mm, 28 * mm, 19 * mm, 27 * mm, 15 * mm]


def _cell_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    st = styles()
    cell = ParagraphStyle("insp_cell", parent=st.small, fontSize=_TABLE_SIZE, leading=12)
    center = ParagraphStyle("insp_center", parent=cell, alignment=1)
    label = ParagraphStyle("insp_label", parent=st.small_label, fontSize=_TABLE_SIZE, leading=12)
    return cell, center, label


def _table(headers: tuple[str, ...], rows: list[list[Flowable]], widths: list[float]) -> Flowable:
    _cell, _center, label = _cell_styles()
    return grid_table(
        [[Paragraph(h, label) for h in headers], *rows],
        widths,
        [_HEADER_BACKGROUND, *_TIGHT],
        padding=2,
        header_rows=1,
    )


def _ending(
    headers: tuple[str, ...],
    rows: list[list[Flowable]],
    widths: list[float],
    after: list[Flowable],
) -> list[Flowable]:
    """The table, with its last row going over with what follows (the 落款), so a page never
    holds a signature alone."""
    if len(rows) < 2:
        return [KeepTogether([_table(headers, rows, widths), *after])]
    _cell, _center, label = _cell_styles()
    header = [[Paragraph(h, label) for h in headers]]
    last = TableTail(header, [rows[-1]], widths, [_HEADER_BACKGROUND, *_TIGHT], padding=2)
    return [_table(headers, rows[:-1], widths), KeepTogether([last, *after])]


def _signature(centre_name: str, day: date | None) -> list[Flowable]:
    """The notice's 落款 as the other 公文 have it: 右空四字, room for the seal; a list not yet
    published leaves its date to write by hand."""
    return [Spacer(1, LINE / 2), SignatureBlock(centre_name, day)]


def _notice_story(notice: Notice) -> list[Flowable]:
    st = styles()
    cell, center, _label = _cell_styles()
    count = len(notice.rows)
    story: list[Flowable] = [Paragraph(escape(notice.title), st.title)]
    if notice.published_on is None:
        story.append(Paragraph("（样稿：本清单尚未登记公示）", st.subtitle))
    story += [
        Paragraph(
            escape(
                f"根据“双随机、一公开”监管工作要求，现将{notice.period}本街道联合执法检查中"
                f"随机抽查的结果予以公示（共 {count} 户次）。对公示内容有异议的，"
                f"请在公示期内向{notice.centre_name}反映。"
            ),
            st.body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            Paragraph(str(n), center),
            Paragraph(escape(r.entity), cell),
            Paragraph(escape(r.uscc or "—"), cell),
            Paragraph(escape(r.plan), cell),
            Paragraph(r.inspected_on.isoformat(), center),
            Paragraph(escape(r.items_short or "—"), cell),
            Paragraph(escape(r.result), center),
        ]
        for n, r in enumerate(notice.rows, start=1)
    ]
    return story + _ending(
        _NOTICE_HEADERS, rows, _NOTICE_WIDTHS, _signature(notice.centre_name, notice.published_on)
    )


def render_notice(notice: Notice, path: Path) -> Path:
    """A period's list not yet published carries 未公示 across every page."""
    return build_pdf(
        path,
        _notice_story(notice),
        PageDecor(
            title=notice.title,
            watermark=None if notice.published_on else "未公示",
            continued=notice.title,
        ),
        author=notice.centre_name,
    )


_LINE_HEADERS = (
    "行业",
    "部门",
    "在册",
    "比例",
    "频次",
    "应查",
    "已查",
    "查足",
    "次数",
    "已安排",
    "执行情况",
)
_LINE_WIDTHS = [15 * mm, 24 * mm, 11 * mm, 11 * mm, 11 * mm, 11 * mm, 11 * mm, 11 * mm, 11 * mm,
                11 * mm, 29 * mm]  # fmt: skip
_PLAN_HEADERS = ("序号", "行动方案", "检查日期", "状态", "已查", "待查", "计入计划")
_PLAN_WIDTHS = [8 * mm, 46 * mm, 18 * mm, 13 * mm, 10 * mm, 10 * mm, 51 * mm]
_UNCHECKED_HEADERS = ("序号", "检查对象", "统一社会信用代码", "行业", "网格", "信用", "须全覆盖")
# A fourteen-character firm, the code and the grid each on one line; 序号 and 须全覆盖 as wide
# as their labels need, so no column is narrowed to widen them.
_UNCHECKED_WIDTHS = [10.2 * mm, 45.8 * mm, 32 * mm, 16.3 * mm, 25.2 * mm, 10.1 * mm, 16.4 * mm]


def _coverage_story(report: Coverage, centre_name: str) -> list[Flowable]:
    st = styles()
    cell, center, _label = _cell_styles()
    story: list[Flowable] = [
        Paragraph(escape(centre_name), st.form_subtitle),
        Paragraph(f"{report.year}年度检查总计划执行情况", st.form_title),
        Paragraph(f"（统计截至{timeutil.chinese_date(report.as_of)}）", st.small_label),
        Spacer(1, 3 * mm),
        Paragraph(escape(report.conclusion), st.cell),
        Spacer(1, 2 * mm),
        Paragraph(
            escape(
                "说明：在册、应查、已查、查足以家计，次数、已安排以户次计；频次为每家每年检查"
                "次数。应查＝在册对象数×抽查比例（向上取整），要求全覆盖的为全部在册对象；"
                "联合行动（不含已取消的）登记了检查结果的，计入检查对象所属行业和参加部门"
                "（牵头单位或参加部门）的计划行；查足指本年检查次数达到计划频次；已安排指"
                "已列入行动方案、尚未登记结果的检查。"
            ),
            st.small,
        ),
        Spacer(1, 3 * mm),
        Paragraph("一、计划执行情况", st.cell),
        Spacer(1, 1.5 * mm),
    ]
    if report.lines:
        story.append(
            _table(
                _LINE_HEADERS,
                [
                    [
                        Paragraph(escape(line.industry), cell),
                        Paragraph(escape(line.department), cell),
                        Paragraph(str(line.registered), center),
                        Paragraph("全覆盖" if line.full_coverage else f"{line.percent}%", center),
                        Paragraph(str(line.frequency), center),
                        Paragraph(str(line.planned), center),
                        Paragraph(str(line.checked), center),
                        Paragraph(str(line.enough), center),
                        Paragraph(str(line.visits), center),
                        Paragraph(str(line.scheduled), center),
                        Paragraph(escape(line.verdict), cell),
                    ]
                    for line in report.lines
                ],
                _LINE_WIDTHS,
            )
        )
    else:
        story.append(Paragraph("本年度尚未制定检查总计划。", st.small))
    story += [
        Spacer(1, 4 * mm),
        Paragraph("二、各次联合行动计入情况", st.cell),
        Spacer(1, 1.5 * mm),
    ]
    if report.plans:
        story.append(
            _table(
                _PLAN_HEADERS,
                [
                    [
                        Paragraph(str(n), center),
                        Paragraph(escape(f"{p.title}　{p.number}".strip()), cell),
                        Paragraph(p.planned_on.isoformat(), center),
                        Paragraph(escape(p.status), center),
                        Paragraph(str(p.inspected), center),
                        Paragraph(str(p.waiting), center),
                        Paragraph(escape(p.lines), cell),
                    ]
                    for n, p in enumerate(report.plans, start=1)
                ],
                _PLAN_WIDTHS,
            )
        )
    else:
        story.append(Paragraph("本年度没有联合行动。", st.small))
    must = sum(1 for u in report.unchecked if u.must)
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            f"三、本年度从未检查的对象（{len(report.unchecked)} 家，其中须全覆盖 {must} 家）",
            st.cell,
        ),
        Spacer(1, 1.5 * mm),
    ]
    signature: list[Flowable] = [
        Spacer(1, 8 * mm),
        Paragraph(f"制表：{gap(16)}审核：{gap(16)}分管领导：{gap(16)}", st.cell),
        Spacer(1, 4 * mm),
        Paragraph(
            f"{escape(centre_name)}{gap(4)}{timeutil.chinese_date(report.as_of)}",
            ParagraphStyle("insp_date", parent=st.cell, alignment=TA_RIGHT),
        ),
    ]
    if not report.unchecked:
        none = Paragraph("无：在册对象本年度均已检查。", st.small)
        return [*story, KeepTogether([none, *signature])]
    rows = [
        [
            Paragraph(str(n), center),
            Paragraph(escape(u.name), cell),
            Paragraph(escape(u.uscc or "—"), cell),
            Paragraph(escape(u.industry or "—"), cell),
            Paragraph(escape(u.grid or "—"), cell),
            Paragraph(escape(u.grade), center),
            Paragraph("是" if u.must else "", center),
        ]
        for n, u in enumerate(report.unchecked, start=1)
    ]
    return story + _ending(_UNCHECKED_HEADERS, rows, _UNCHECKED_WIDTHS, signature)


def render_coverage(report: Coverage, centre_name: str, path: Path) -> Path:
    title = f"{report.year}年度检查总计划执行情况"
    return build_pdf(
        path,
        _coverage_story(report, centre_name),
        PageDecor(title=title, form=True, continued=title),
        author=centre_name,
    )
