"""执法证年度清理表: the year-end certificate clean-up (R2, seed 004 I.5.1)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from commandcenter import timeutil
from commandcenter.documents.layout import PageDecor, build_pdf, escape, gap, grid_table, styles
from commandcenter.services.certificate_review import CertificateReview

_HEADERS = ("序号", "姓名", "单位", "执法证号", "执法领域", "有效期至", "最近年审", "清理事由")
_WIDTHS = [7 * mm, 15 * mm, 19 * mm, 28 * mm, 15 * mm, 20 * mm, 20 * mm, 32 * mm]
_TABLE_SIZE = 9  # 小五: eight columns on a portrait page
# The heading, the header row and two rows of a section: less than this left, it starts a page.
_HEADING_ROOM = 30 * mm


def _story(review: CertificateReview) -> list[Flowable]:
    st = styles()
    cell = ParagraphStyle("review_cell", parent=st.small, fontSize=_TABLE_SIZE, leading=12)
    label = ParagraphStyle("review_label", parent=st.small_label, fontSize=_TABLE_SIZE, leading=12)
    story: list[Flowable] = [
        Paragraph(escape(review.centre_name), st.form_subtitle),
        Paragraph(f"{review.year}年度行政执法证件清理表", st.form_title),
        Paragraph(
            f"（共清理在册证件 {review.certificates} 本；制表日期：{timeutil.chinese_date(review.prepared_on)}）",
            st.small_label,
        ),
        Spacer(1, 4 * mm),
    ]
    for title, lines in review.sections:
        # A section's heading never stands at the foot of a page without its table's first rows.
        story.append(CondPageBreak(_HEADING_ROOM))
        story.append(Paragraph(f"{escape(title)}：{len(lines)} 本", st.cell))
        story.append(Spacer(1, 1.5 * mm))
        if not lines:
            story += [Paragraph("无。", st.small), Spacer(1, 4 * mm)]
            continue
        header = [Paragraph(h, label) for h in _HEADERS]
        body = []
        for n, line in enumerate(lines, start=1):
            # R10: auxiliary staff are marked in words on paper too.
            name = f"{line.person}【协勤】" if line.auxiliary else line.person
            body.append(
                [
                    Paragraph(str(n), label),
                    Paragraph(escape(name), cell),
                    Paragraph(escape(line.unit), cell),
                    Paragraph(escape(line.number), cell),
                    Paragraph(escape(line.fields), cell),
                    Paragraph(line.expires_on.isoformat(), cell),
                    Paragraph(
                        line.last_review_on.isoformat() if line.last_review_on else "—", cell
                    ),
                    Paragraph(escape(line.reason), cell),
                ]
            )
        table = grid_table(
            [header, *body],
            _WIDTHS,
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ],
            padding=2,
        )
        table.repeatRows = 1
        story += [table, Spacer(1, 5 * mm)]
    story.append(
        KeepTogether(
            [
                Paragraph(
                    "说明：依据年度执法证件清理要求，未取得执法证件的人员不得从事执法活动；因退休、"
                    "调离等原因不再从事执法工作的，应及时收回注销证件；编外协勤人员不得持证执法。",
                    st.small,
                ),
                Spacer(1, 8 * mm),
                Paragraph(
                    f"经办人：{gap(16)}审核人：{gap(16)}分管领导：{gap(16)}",
                    st.cell,
                ),
                Spacer(1, 4 * mm),
                Paragraph(
                    f"年{gap(6)}月{gap(6)}日{gap(4)}",
                    ParagraphStyle("review_date", parent=st.cell, alignment=TA_RIGHT),
                ),
            ]
        )
    )
    return story


def render(review: CertificateReview, path: Path) -> Path:
    title = f"{review.year}年度行政执法证件清理表"
    return build_pdf(
        path,
        _story(review),
        PageDecor(title=title, form=True, continued=title),
        author=review.centre_name,
    )
