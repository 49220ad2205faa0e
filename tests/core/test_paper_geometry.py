"""Every paper measured on the rendered PDF (pdftotext -bbox-layout): nothing outside the type
area but the footer, 28 characters on a full body line of the 公文, the 署名 and 成文日期 on the
page of the text's last line, the 版头's number centred, every font embedded and every character
printed — on the demo street and on stress data (long names, many units and officers, 100
targets, 𠮷 in a name)."""

from __future__ import annotations

import dataclasses
import html
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.units import mm as MM
from reportlab.platypus import Paragraph
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import Transfer
from commandcenter.documents import (
    certificate_review,
    dispatch_order,
    fonts,
    incident_letters,
    inspection_papers,
    interview_notice,
    layout,
    liaison_directory,
    minutes,
    plan_papers,
)
from commandcenter.documents.layout import (
    LEFT,
    PAGE_HEIGHT,
    PITCH,
    TEXT_WIDTH,
    PageDecor,
    build_pdf,
    styles,
)
from commandcenter.documents.registry import DOCUMENT_KINDS
from commandcenter.services import annual_inspection_plan, draws, meetings, plans, settings
from commandcenter.services import certificate_review as review_service
from commandcenter.services.actor import Actor
from commandcenter.services.followups import paper_reads
from commandcenter.services.incidents import paper_records

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)

RARE = "𠮷喆犇"  # 𠮷 is U+20BB7, CJK Extension B
TOLERANCE = 1.0  # points: glyph boxes are the font's em boxes
FOOTER = re.compile(r"^(— \d+ —|审计 \d+·[0-9a-f]{8})$")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
FULL_WIDTH = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+$")


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float
    text: str


def lines_of(path: Path) -> list[Line]:
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found: list[Line] = []
    for page, body in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", out, re.S), 1):
        for attrs, inner in re.findall(r"<line ([^>]*)>(.*?)</line>", body, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            words = [html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", inner)]
            found.append(
                Line(
                    page,
                    float(box["xMin"]),
                    float(box["yMin"]),
                    float(box["xMax"]),
                    float(box["yMax"]),
                    " ".join(words),
                )
            )
    return found


def _fonts_embedded(path: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing and all(row.split()[-5] == "yes" for row in listing), listing


def _top_bottom(form: bool) -> tuple[float, float]:
    decor = PageDecor("", form=form)
    return decor.top, decor.bottom


def check_type_area(path: Path, *, form: bool, continued: str | None = None) -> list[Line]:
    """Every line inside the type area, but the page number and audit mark below it (and a
    form's running head above it); every font embedded; nothing lost."""
    top, bottom = _top_bottom(form)
    lines = lines_of(path)
    assert lines
    for line in lines:
        where = f"{path.name} p{line.page}: {line.text!r} {line.x0:.1f},{line.y0:.1f}"
        if FOOTER.match(line.text):
            assert line.y0 > PAGE_HEIGHT - bottom, where
            continue
        if continued and line.text.endswith("（续）") and line.page > 1:
            assert line.y1 < top + TOLERANCE, where
            continue
        assert line.x0 >= LEFT - TOLERANCE, where
        assert line.x1 <= LEFT + TEXT_WIDTH + TOLERANCE, where
        assert line.y0 >= top - TOLERANCE, where
        assert line.y1 <= PAGE_HEIGHT - bottom + TOLERANCE, where
    _fonts_embedded(path)
    assert layout.lost_characters(path) == frozenset()
    return lines


def check_letter(path: Path, last_body: str) -> list[Line]:
    """A 公文: the type area, full lines of 28, the signature with the text's last line, the
    date four characters in from the right and the name centred over it."""
    lines = check_type_area(path, form=False)
    starts = (LEFT, LEFT + 2 * PITCH)
    body = [  # 三号 lines from the margin or a paragraph's indent: not table cells
        ln
        for ln in lines
        if abs(ln.y1 - ln.y0 - 16) < 0.5 and min(abs(ln.x0 - x) for x in starts) < TOLERANCE
    ]
    full = [ln for ln in body if ln.x1 > LEFT + TEXT_WIDTH - PITCH]
    assert full, "no full body line"
    for ln in full:
        if FULL_WIDTH.match(ln.text):  # 28 a line, 26 after a paragraph's indent, edge to edge
            assert abs(ln.x1 - (LEFT + TEXT_WIDTH)) < TOLERANCE, ln
            indented = abs(ln.x0 - (LEFT + 2 * PITCH)) < TOLERANCE
            assert len(ln.text) == (26 if indented else 28), ln
    dates = [n for n, ln in enumerate(lines) if DATE.match(ln.text)]
    assert dates
    date_at = dates[0]
    date_line, name_line = lines[date_at], lines[date_at - 1]
    assert abs(date_line.x1 - (LEFT + TEXT_WIDTH - 4 * PITCH)) < TOLERANCE, date_line
    name_mid, date_mid = (name_line.x0 + name_line.x1) / 2, (date_line.x0 + date_line.x1) / 2
    if name_line.x1 - name_line.x0 <= date_line.x1 - date_line.x0:
        assert abs(name_mid - date_mid) < TOLERANCE, (name_line, date_line)
    else:
        assert name_line.x1 <= LEFT + TEXT_WIDTH - 2 * PITCH + TOLERANCE
    before = [ln for ln in lines[:date_at] if last_body in ln.text]
    assert before and before[-1].page == date_line.page == name_line.page
    # Room for the seal: two blank lines between the text's last line and the name, closed to
    # no less than one where the page would otherwise push the block over.
    assert name_line.y0 - before[-1].y1 > layout.LINE - TOLERANCE
    return lines


# --- fonts ---------------------------------------------------------------------------------


def test_the_windows_search_order_for_extension_faces(tmp_path: Path) -> None:
    for name in ("MINGLIUB.TTC", "simsunb.ttf", "SimsunExtG.ttf", "arial.ttf", "HanaMinB.ttf"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in fonts.extension_candidates(tmp_path)] == [
        "simsunb.ttf",
        "SimsunExtG.ttf",
        "MINGLIUB.TTC",
        "HanaMinB.ttf",
    ]
    assert fonts.extension_candidates(tmp_path / "absent") == []


def test_a_rare_character_is_set_in_a_face_that_has_it() -> None:
    body = fonts.font_set().body
    if not fonts.font_set().extensions:
        pytest.skip("no extension face on this machine (fonts-hanazono is set up by .ci/run)")
    parts = fonts.runs(f"张{RARE}", body)
    assert [text for text, _ in parts] == ["张", "𠮷", "喆犇"]
    assert parts[0][1] == parts[2][1] == body != parts[1][1]
    assert fonts.has_glyph(parts[1][1], "𠮷")


def test_a_character_no_face_has_is_named_by_its_code_point(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "\U00031350"  # CJK Extension H: no font here has it
    story = [Paragraph(f"当事人：王{missing}明，身份证号330206199001011234。", styles().body)]
    with caplog.at_level(logging.WARNING):
        path = build_pdf(tmp_path / "lost.pdf", story, PageDecor("缺字"))
    assert layout.lost_characters(path) == {missing}
    logged = [r.getMessage() for r in caplog.records if "empty boxes" in r.getMessage()]
    assert logged and "U+31350" in logged[0]
    assert "330206" not in logged[0] and "王" not in logged[0]  # never the text around it
    assert "U+31350" in layout.lost_message(layout.lost_characters(path))
    again = build_pdf(tmp_path / "lost.pdf", [Paragraph("正常文字", styles().body)], PageDecor(""))
    assert layout.lost_characters(again) == frozenset()


# --- every paper of the demo street --------------------------------------------------------

FORMS = {
    "assessment-sheet",
    "dispatch-order",
    "draw-record",
    "checklist",
    "certificate-review",
    "huddle",
    "weekly",
    "annual-inspection-coverage",
}
# A 公文 whose table runs over pages says on each later page what it continues.
RUNNING_HEADS = {"inspection-notice", "liaison-directory"}


@pytest.mark.parametrize("kind", DOCUMENT_KINDS, ids=lambda k: k.key)
def test_every_paper_stays_in_the_type_area(
    kind, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with demo_db.write() as s:  # the results papers number themselves on first printing
        path = kind.render_sample(s, leader, tmp_path / f"{kind.key}.pdf")
    form = kind.key in FORMS
    headed = form or kind.key in RUNNING_HEADS
    check_type_area(path, form=form, continued="（续）" if headed else "")


def _transfer_letter(demo_db: Database, leader: Actor) -> incident_letters.IncidentLetter:
    with demo_db.read() as s:
        transfer_id = paper_records.newest_transfer(s)
        assert transfer_id is not None
        return incident_letters.load_transfer(s, leader, transfer_id)


def test_the_letters_are_on_the_grid(demo_db: Database, leader: Actor, tmp_path: Path) -> None:
    letter = _transfer_letter(demo_db, leader)
    path = incident_letters.render(letter, tmp_path / "letter.pdf")
    lines = check_letter(path, "联系人")
    texts = [ln.text for ln in lines]
    # The text's last paragraph goes over with the 落款, not the contact line alone.
    ask = next(ln for ln in lines if "请接收后在回执上签收" in ln.text)
    assert ask.page == next(ln for ln in lines if DATE.match(ln.text)).page
    # No 版头 chosen: the centre's name, then the number centred, then the title.
    assert texts[:3] == [letter.centre_name, letter.number, "案件移送函"]
    number = lines[1]
    assert abs((number.x0 + number.x1) / 2 - (LEFT + TEXT_WIDTH / 2)) < TOLERANCE
    assert any(t.endswith("印发") for t in texts)  # the 版记
    assert any(FOOTER.match(t) and t.startswith("审计") for t in texts)
    with demo_db.read() as s:
        sv = paper_records.newest_supervision(s)
        assert sv is not None
        supervision = incident_letters.load_supervision(s, leader, sv)
    lines = check_letter(incident_letters.render(supervision, tmp_path / "sv.pdf"), "联系人")
    # Its last paragraph is the reply-by line, which goes over with the 落款.
    last = next(ln for ln in lines if ln.text.startswith("请于"))
    assert last.page == next(ln for ln in lines if DATE.match(ln.text)).page


def test_a_letter_under_an_authority_s_letterhead(
    demo_db: Database, leader: Actor, admin: Actor, tmp_path: Path
) -> None:
    with demo_db.write() as s:
        settings.set_letterhead(s, admin, "梅山街道办事处", {"transfer-letter"})
    letter = _transfer_letter(demo_db, leader)
    assert letter.letterhead == "梅山街道办事处"
    lines = check_letter(incident_letters.render(letter, tmp_path / "l.pdf"), "联系人")
    name, number, title = lines[0], lines[1], lines[2]
    assert (name.text, number.text, title.text) == ("梅山街道办事处", letter.number, "案件移送函")
    # Issued under the authority's name, signed in it too.
    assert any(ln.text == "梅山街道办事处" for ln in lines[3:])
    for line in (name, number, title):
        assert abs((line.x0 + line.x1) / 2 - (LEFT + TEXT_WIDTH / 2)) < TOLERANCE, line
    assert name.y1 - name.y0 > 20  # the authority's mark is larger than the title's 二号
    # 发文机关标志下空二行 for the number; the title two lines below the red line under it.
    assert number.y0 - name.y1 > layout.LINE
    assert title.y0 - number.y1 > 2 * layout.LINE - 4
    with demo_db.read() as s:
        sv = paper_records.newest_supervision(s)
        assert sv is not None
        assert incident_letters.load_supervision(s, leader, sv).letterhead is None


def test_letters_on_stress_data(demo_db: Database, leader: Actor, tmp_path: Path) -> None:
    letter = dataclasses.replace(
        _transfer_letter(demo_db, leader),
        addressee="宁波市北仑区综合行政执法局（区城市管理局）梅山街道中队暨春晓片区联合办公室",
        first_responsible=RARE,
        body=(
            "经现场核查，工单号 12345-20268 2761465 反映的问题属实，营业时间 8:30-17:30，"
            "执法证号浙执02062600005，整改期限 2026-10-04（逾期）。"
        )
        * 12,
    )
    path = incident_letters.render(letter, tmp_path / "stress.pdf")
    lines = check_letter(path, "联系人")
    text = "".join(ln.text for ln in lines).replace(" ", "")
    assert f"联系人：{RARE}（首问负责人）" in text  # 𠮷 printed, and read back as itself
    for code in ("12345-202682761465", "8:30-17:30", "浙执02062600005", "2026-10-04（逾期）"):
        # Each of the twelve on one line: none broken across two.
        assert sum(ln.text.replace(" ", "").count(code) for ln in lines) == 12, code
    assert not [ln for ln in lines if ln.text[:1] in "，。；：）》、"]


def test_the_dispatch_order_on_stress_data(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        incident_id = paper_records.sample_dispatch_incident(s)
        assert incident_id is not None
        order = dispatch_order.load(s, leader, incident_id)
    officer = dispatch_order.Officer(
        RARE, "梅山街道综合行政执法队第一中队", "浙执02062600005", False
    )
    order = dataclasses.replace(
        order,
        number=order.number or "梅执指派〔2026〕99号",
        co_units=[f"宁波市北仑区市场监督管理局梅山市场监督管理所第{n}科室" for n in range(4)],
        officers=[officer] * 6,
        description="门店占道经营，堆放杂物阻碍通行。" * 10,
    )
    path = dispatch_order.render(order, tmp_path / "order.pdf")
    title = dispatch_order.page_decor(order).continued
    lines = check_type_area(path, form=True, continued=title)
    assert RARE in "".join(ln.text for ln in lines)


def test_the_plan_and_draw_record_on_stress_data(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        plan_id = plans.newest_approved_plan(s)
        draw_id = draws.newest_draw(s)
        assert plan_id is not None and draw_id is not None
        paper = plan_papers.load_plan(s, leader, plan_id)
        draw = plan_papers.load_draw(s, leader, draw_id)
    target = dataclasses.replace(
        paper.targets[0], name="宁波金港新港美容美发店（梅山街道梅东路分店）" + RARE
    )
    paper = dataclasses.replace(
        paper,
        targets=[target] * 100,
        departments=[f"宁波市北仑区某某管理局梅山分局第{n}科" for n in range(8)],
        teams=[plan_papers.Team(n, [(RARE, "区住建局", "浙执02062500079")] * 6) for n in (1, 2, 3)],
    )
    path = plan_papers.render_plan(paper, tmp_path / "plan.pdf")
    lines = check_letter(path, "审批")
    assert "".join(ln.text for ln in lines).count("𠮷") >= 100
    draw = dataclasses.replace(draw, result=draw.result * (100 // max(1, len(draw.result)) + 1))
    path = plan_papers.render_draw(draw, tmp_path / "draw.pdf")
    check_type_area(path, form=True, continued="（续）")


def test_the_liaison_directory_prints_a_rare_name(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        directory = liaison_directory.load(s, leader)
        assert s.scalar(select(Transfer.id).limit(1)) is not None
    row = dataclasses.replace(directory.rows[0], name=RARE)
    directory = dataclasses.replace(directory, rows=[row, *directory.rows[1:]])
    path = liaison_directory.render(directory, tmp_path / "directory.pdf")
    lines = check_type_area(path, form=False, continued="（续）")
    assert RARE in "".join(ln.text for ln in lines)


def test_no_header_cell_wraps_one_character_alone() -> None:
    st = styles()

    def label(text: str) -> Paragraph:
        return Paragraph(text, st.cell_label)

    mm = 72 / 25.4
    header = [label("序号"), label("检查对象"), label("地址"), label("信用等级")]
    widths = [8 * mm, 52 * mm, 76 * mm, 20 * mm]
    fitted = layout.fit_labels([header], widths)
    assert abs(sum(fitted) - sum(widths)) < 1e-6  # the table keeps its width
    assert fitted[2] < widths[2]  # the widest column gives the room
    for cell, width in zip(header, fitted, strict=True):
        cell.wrap(width - 10, 1000)
        lines = [len("".join(words)) for _, words in cell.blPara.lines]  # one run of text
        assert 1 not in lines, (cell.text, lines)
    # A short word in an ordinary cell neither (the weekly paper's 件数不/足 under 排名).
    short = [Paragraph("件数不足", st.cell), Paragraph("梅山自然资源所", st.cell)]
    fitted = layout.fit_labels([short], [14 * mm, 40 * mm])
    short[0].wrap(fitted[0] - 10, 1000)
    assert 1 not in [len("".join(words)) for _, words in short[0].blPara.lines]
    # A label that wraps into lines of two or more is left as it is.
    assert layout.fit_labels([[label("执法证号")]], [12 * mm]) == [12 * mm]


def test_a_cell_is_wide_enough_for_its_code() -> None:
    st = styles()
    mm = 72 / 25.4
    row = [Paragraph("北仑区住房和城乡建设局", st.small), Paragraph("工作日 8:30-17:30", st.small)]
    widths = [33 * mm, 18 * mm]
    fitted = layout.fit_labels([row], widths)
    assert fitted[1] > widths[1] and abs(sum(fitted) - sum(widths)) < 1e-6
    cell = Paragraph("工作日 8:30-17:30", st.small)
    cell.wrap(fitted[1] - 10, 1000)
    assert "8:30-17:30" in ["".join(words).strip() for _, words in cell.blPara.lines]


@pytest.mark.parametrize(("short_by", "pages"), [(0.5, 1), (1.2, 2)])
def test_a_signature_short_of_room_closes_its_seal_room_by_up_to_a_line(
    short_by: float, pages: int, tmp_path: Path
) -> None:
    """The block (a line of text and the signature, four lines with the seal room) on a page
    with its height less *short_by* lines left: half a line is found in the seal room, more
    than a line is not, and the block goes over whole."""
    from datetime import date

    from reportlab.platypus import KeepTogether, Spacer

    line = layout.LINE
    block = KeepTogether(
        [
            Paragraph("正文最后一行。", styles().body),
            layout.SignatureBlock("某某中心", date(2026, 12, 1)),
        ]
    )
    room = (1 + 4 - short_by) * line
    story = [Spacer(1, layout.TEXT_HEIGHT - room - 1), block]
    path = build_pdf(tmp_path / "sign.pdf", story, PageDecor("落款"))
    lines = lines_of(path)
    assert max(ln.page for ln in lines) == pages
    text, name, day = (next(ln for ln in lines if t in ln.text) for t in ("正文", "某某", "2026"))
    assert text.page == name.page == day.page
    gap = name.y0 - text.y1
    assert layout.LINE - TOLERANCE < gap < 2 * layout.LINE + line


def check_headers_repeat(path: Path, header: str = "序号") -> int:
    """On every page after the first that holds numbered table rows, the table's header stands
    above its first row; the number of such pages."""
    lines = lines_of(path)
    continued = 0
    for page in range(2, max(ln.page for ln in lines) + 1):
        here = [ln for ln in lines if ln.page == page]
        rows = [ln for ln in here if ln.text.isdigit() and ln.x0 < LEFT + 12 * MM]
        if not rows:
            continue
        first_row = min(rows, key=lambda ln: ln.y0)
        heads = [ln for ln in here if ln.text == header and ln.y1 <= first_row.y0 + TOLERANCE]
        assert heads, f"{path.name} p{page}: row {first_row.text} without the table's header"
        continued += 1
    return continued


def test_the_interview_notice_is_set_as_a_letter(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        found = paper_reads.newest_interview(s)
        assert found is not None
        notice = interview_notice.load(s, leader, found)
    # The number above the title, the 落款 four characters in from the right with room for the
    # seal, kept with the contact line (it stood flush right, one blank line under the text).
    lines = check_letter(interview_notice.render(notice, tmp_path / "n.pdf"), "联系人")
    assert [ln.text for ln in lines[:3]] == [notice.centre_name, notice.number, "约谈提醒书"]
    long = dataclasses.replace(notice, reason="承办事件签收超时较多、逾期未办结，" * 12)
    check_letter(interview_notice.render(long, tmp_path / "long.pdf"), "联系人")


def test_a_long_draw_record_repeats_its_header_on_the_signatures_page(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        draw_id = draws.newest_draw(s)
        assert draw_id is not None
        draw = plan_papers.load_draw(s, leader, draw_id)
    draw = dataclasses.replace(draw, result=(draw.result * 100)[:100])
    path = plan_papers.render_draw(draw, tmp_path / "draw.pdf")
    # The last rows go over with the signatures; on the page they start, the header with them.
    assert check_headers_repeat(path) >= 3
    last = lines_of(path)[-1].page
    assert any(ln.page == last and ln.text == "100" for ln in lines_of(path))


def test_the_minutes_tables_repeat_their_header(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        detail = meetings.detail_for_minutes(s, leader, meetings.find_meeting(s, None))
        centre = settings.load(s).centre_name
    assert detail.carried and detail.items
    detail = dataclasses.replace(
        detail, carried=(detail.carried * 40)[:40], items=(detail.items * 40)[:40]
    )
    path = build_pdf(tmp_path / "m.pdf", minutes._story(centre, detail), PageDecor("纪要"))
    check_type_area(path, form=False)
    assert check_headers_repeat(path) >= 3


def test_checklist_and_draw_record_keep_a_firm_and_its_address_to_one_line(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        plan_id, draw_id = plans.newest_approved_plan(s), draws.newest_draw(s)
        assert plan_id is not None and draw_id is not None
        paper = plan_papers.load_plan(s, leader, plan_id)
        draw = plan_papers.load_draw(s, leader, draw_id)
    firm, address = "宁波梅山金港国际物流有限公司", "梅山街道梅港路140号"
    target = dataclasses.replace(paper.targets[0], name=firm, address=address)
    path = plan_papers.render_checklist(
        dataclasses.replace(paper, targets=[target]), tmp_path / "c.pdf"
    )
    # It wrapped 司 alone (the firm's cell was half the table less its label).
    assert firm in [ln.text for ln in check_type_area(path, form=True)]
    result = [{**r, "address": address} for r in draw.result]
    path = plan_papers.render_draw(dataclasses.replace(draw, result=result), tmp_path / "d.pdf")
    texts = [ln.text for ln in check_type_area(path, form=True, continued="（续）")]
    assert texts.count(address) == len(result)  # it wrapped 号 alone


@pytest.mark.parametrize("renew", range(16, 26))
def test_a_certificate_review_section_heading_goes_over_with_its_table(
    renew: int, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        review = review_service.build(s, leader, 2026)
    lines_ = [*review.to_renew, *review.to_revoke, *review.review_missing]
    assert lines_
    review = dataclasses.replace(
        review,
        to_renew=(lines_ * renew)[:renew],
        to_revoke=lines_[:1],
        review_missing=lines_[:3],
    )
    path = certificate_review.render(review, tmp_path / "r.pdf")
    lines = check_type_area(path, form=True, continued="（续）")
    for n, line in enumerate(lines):
        if re.search(r"：\d+ 本$", line.text):  # a section's heading: its table's header follows
            after = lines[n + 1]
            assert (after.page, after.text) == (line.page, "序号"), (line, after)


def test_the_coverage_keeps_a_firm_its_code_and_grid_to_one_line(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        report, centre = annual_inspection_plan.coverage_for_paper(s, leader, 2026)
    assert report.unchecked
    firm = "宁波梅山金港国际物流有限公司"  # it wrapped 部 of 宁波宏达鑫盛汽车维修服务部 alone
    row = dataclasses.replace(
        report.unchecked[0], name=firm, uscc="91330206PEQHKEL31P", grid="七星社区第3网格"
    )
    report = dataclasses.replace(report, unchecked=[row] * 30)
    path = inspection_papers.render_coverage(report, centre, tmp_path / "c.pdf")
    texts = [ln.text for ln in check_type_area(path, form=True, continued="（续）")]
    words = [w for t in texts for w in t.split(" ")]  # a row's cells may read as one line
    for whole in (firm, "91330206PEQHKEL31P", "七星社区第3网格"):
        assert words.count(whole) == 30, whole


@pytest.mark.parametrize("kind", DOCUMENT_KINDS, ids=lambda k: k.key)
def test_every_continued_page_of_a_table_names_what_it_continues(
    kind, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    if kind.key not in (FORMS | RUNNING_HEADS) - {"checklist"}:  # a checklist is a page a firm
        pytest.skip("a 公文 without tables over its pages carries no running head")
    with demo_db.write() as s:
        path = kind.render_sample(s, leader, tmp_path / f"{kind.key}.pdf")
    lines = lines_of(path)
    for page in range(2, max(ln.page for ln in lines) + 1):
        # The huddle, weekly, certificate review and directory ran on with their header row only.
        assert any(ln.page == page and ln.text.endswith("（续）") for ln in lines), page


def test_a_plan_s_long_target_table_starts_under_its_heading(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        plan_id = plans.newest_approved_plan(s)
        assert plan_id is not None
        paper = plan_papers.load_plan(s, leader, plan_id)
    _top, bottom = _top_bottom(False)
    shared = 0
    for n in range(0, 12, 2):  # more departments move the items table down page 1
        departments = [f"宁波市北仑区某某管理局梅山分局第{k}科" for k in range(n)]
        stress = dataclasses.replace(
            paper, targets=(paper.targets * 100)[:100], departments=departments
        )
        path = plan_papers.render_plan(stress, tmp_path / f"plan{n}.pdf")
        lines = check_letter(path, "审批")
        last_item = max(
            (ln for ln in lines if ln.text.startswith(paper.items[-1].code)),
            key=lambda ln: (ln.page, ln.y1),
        )
        heading = next(ln for ln in lines if ln.text == "五、检查对象和分组")
        # Kept with the whole table, the heading went to the next page and left this one
        # half empty; it goes over only where its table's header and first rows do not fit.
        room = PAGE_HEIGHT - bottom - last_item.y1
        if heading.page == last_item.page:
            shared += 1
        else:
            # (measured from the last row's text, above its cell's padding and rule)
            assert room < plan_papers.TABLE_HEADING_ROOM + 5 * MM, (n, room)
    assert shared


def test_the_inspection_notice_is_signed_as_a_letter(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    kind = next(k for k in DOCUMENT_KINDS if k.key == "inspection-notice")
    with demo_db.write() as s:
        path = kind.render_sample(s, leader, tmp_path / "notice.pdf")
    lines = check_type_area(path, form=False, continued="（续）")
    dates = [n for n, ln in enumerate(lines) if DATE.match(ln.text)]
    assert dates  # the demo's newest list is published
    date_line, name_line = lines[dates[-1]], lines[dates[-1] - 1]
    # It stood flush right; now 右空四字 with the name centred over it, on the last row's page.
    assert abs(date_line.x1 - (LEFT + TEXT_WIDTH - 4 * PITCH)) < TOLERANCE, date_line
    name_mid, date_mid = (name_line.x0 + name_line.x1) / 2, (date_line.x0 + date_line.x1) / 2
    assert name_line.x1 <= LEFT + TEXT_WIDTH - 2 * PITCH + TOLERANCE, name_line
    assert (
        name_line.x1 - name_line.x0 > date_line.x1 - date_line.x0
        or abs(name_mid - date_mid) < TOLERANCE
    )
    rows = [ln for ln in lines[: dates[-1]] if ln.text.split(" ")[0].isdigit()]
    assert rows and rows[-1].page == date_line.page
