"""Papers: real PDFs with embedded CJK fonts, written atomically."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import DocType, Incident, IncidentStatus
from commandcenter.documents import dispatch_order, fonts, liaison_directory
from commandcenter.documents.layout import styles
from commandcenter.documents.registry import DOCUMENT_KINDS
from commandcenter.fileio import atomic_path
from commandcenter.services import docnumbers
from commandcenter.services.actor import Actor

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _incident(db: Database, status: IncidentStatus = IncidentStatus.IN_PROGRESS) -> int:
    with db.read() as s:
        found = s.scalar(select(Incident.id).where(Incident.status == status).limit(1))
    assert found is not None
    return found


def test_fonts_are_embedded_truetype() -> None:
    chosen = fonts.font_set()
    assert chosen.embedded, chosen.sources


@needs_poppler
def test_unnumbered_dispatch_order_is_a_specimen(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    incident_id = _incident(demo_db, IncidentStatus.TRIAGED)  # not dispatched yet
    with demo_db.read() as s:
        order = dispatch_order.load(s, leader, incident_id)
    path = dispatch_order.render(order, tmp_path / "order.pdf")
    text = _text(path)
    assert "指挥调度单" in text and "签收回执" in text
    assert order.incident_number in text
    assert "（未编号）" in text
    assert dispatch_order.page_decor(order).watermark == "样稿"
    assert order.first_responsible in text  # R4
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)  # the receipt is torn off the same sheet


@needs_poppler
def test_every_dispatch_order_fits_with_its_receipt_on_one_page(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        ids = s.scalars(
            select(Incident.id)
            .where(Incident.dispatched_at.is_not(None))
            .order_by(Incident.id.desc())
            .limit(40)
        ).all()
        for incident_id in ids:
            path = dispatch_order.render(
                dispatch_order.load(s, leader, incident_id), tmp_path / "order.pdf"
            )
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
            assert re.search(r"^Pages:\s+1$", info, re.M), incident_id


@needs_poppler
def test_numbered_dispatch_order_names_its_number(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    incident_id = _incident(demo_db)
    with demo_db.write() as s:
        number = docnumbers.issue(
            s, leader, DocType.DISPATCH, entity_type="incident", entity_id=incident_id
        ).number
    with demo_db.read() as s:
        order = dispatch_order.load(s, leader, incident_id)
    text = _text(dispatch_order.render(order, tmp_path / "order.pdf"))
    assert number in text
    assert dispatch_order.page_decor(order).watermark is None


@needs_poppler
def test_reporter_is_masked_and_auxiliaries_marked(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        incident = s.scalars(
            select(Incident).where(
                Incident.reporter_phone.is_not(None), Incident.dispatched_at.is_not(None)
            )
        ).first()
        assert incident is not None
        order = dispatch_order.load(s, leader, incident.id)
        phone = incident.reporter_phone
    text = _text(dispatch_order.render(order, tmp_path / "o.pdf"))
    assert phone not in text
    assert f"{phone[:3]}****{phone[-4:]}" in text
    if any(o.auxiliary for o in order.officers):
        assert "【协勤】" in text


@needs_poppler
def test_liaison_directory(demo_db: Database, leader: Actor, tmp_path: Path) -> None:
    with demo_db.read() as s:
        directory = liaison_directory.load(s, leader)
    text = _text(liaison_directory.render(directory, tmp_path / "d.pdf"))
    assert "联络人通讯名录" in text
    assert directory.rows[0].name in text


def test_every_document_kind_renders(demo_db: Database, leader: Actor, tmp_path: Path) -> None:
    with demo_db.read() as s:
        for kind in DOCUMENT_KINDS:
            path = kind.render_sample(s, leader, tmp_path / f"{kind.key}.pdf")
            assert path.read_bytes().startswith(b"%PDF")
            if shutil.which("pdffonts"):
                # Every font a page names is embedded: no unembedded Helvetica left from
                # reportlab's defaults (tables' empty cells, charts' initial state).
                fonts = subprocess.run(
                    ["pdffonts", str(path)], capture_output=True, text=True, check=True
                ).stdout.splitlines()[2:]
                assert fonts and all(" yes " in line for line in fonts), (kind.key, fonts)


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"%PDF old and good")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_bytes(b"%PDF half")
        raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"%PDF old and good"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.pdf"]


def _lines(paragraph: Paragraph) -> list[str]:
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:  # one run of text
        return ["".join(words) for _space, words in lines]
    return ["".join(w.text for w in line.words) for line in lines]


@pytest.mark.parametrize("markup", ["", "<b>你单位</b>"])
def test_chinese_punctuation_never_starts_a_line(markup: str) -> None:
    body = styles().body
    text = (
        markup
        + "承办的下列事件已超过办理期限或办理进度滞后，现予督办：请于三日内（含节假日）反馈。"
    )
    for width in range(200, 460, 3):
        paragraph = Paragraph(text, body)
        paragraph.wrap(width, 2000)
        for line in _lines(paragraph)[1:]:
            assert line[:1] not in "，：；！？、。）》", (width, line)


def test_a_font_subset_is_the_same_without_copying_the_glyph_table() -> None:
    """fonts.share_glyph_table only spares reportlab a copy: every role's face subsets to the
    same bytes with and without it."""
    from reportlab.pdfbase.ttfonts import TTFont

    chosen = fonts.font_set()
    text = "梅山街道综合行政执法指挥中心考核评价表（二〇二六年度）ABC123，。、《》〔〕×÷"
    for role in ("title", "body", "heading", "kai"):
        path = Path(chosen.sources[role])
        plain = TTFont(f"plain-{role}", str(path), subfontIndex=0)
        shared = TTFont(f"shared-{role}", str(path), subfontIndex=0)
        fonts.share_glyph_table(shared)
        assert not isinstance(shared.face.get_table("glyf"), bytes)  # no copy made
        glyphs = [ord(c) for c in text if ord(c) in plain.face.charToGlyph]
        assert len(glyphs) > 20
        assert shared.face.makeSubset(glyphs) == plain.face.makeSubset(glyphs)


@needs_poppler
def test_a_dispatch_order_that_runs_over_says_what_each_later_page_continues(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    incident_id = _incident(demo_db)
    with demo_db.read() as s:
        order = dispatch_order.load(s, leader, incident_id)
    long = dataclasses.replace(order, requirements="现场核查后逐项整改，" * 120)
    path = dispatch_order.render(long, tmp_path / "long.pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    later = pages.stdout.split("\f")[1]
    assert f"{dispatch_order.page_decor(long).title}（续）" in later
    assert "（续）" not in pages.stdout.split("\f")[0]


@needs_poppler
def test_a_long_order_keeps_its_rows_its_signature_and_its_receipt_together(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    """4 co-units, 6 officers and long facts: page 2 repeats the order's first row under the
    running head, and the signature rows go over with the receipt, whole."""
    with demo_db.read() as s:
        order = dispatch_order.load(s, leader, _incident(demo_db))
    officer = order.officers[0]
    long = dataclasses.replace(
        order,
        co_units=[f"区第{n}协办部门梅山派驻机构" for n in "一二三四"],
        officers=[dataclasses.replace(officer, name=f"王{n}明") for n in "一二三四五六"],
        description="经网格员现场核查，" * 40,
        requirements="现场核查后逐项整改，" * 20,
    )
    pages = _text(dispatch_order.render(long, tmp_path / "long.pdf")).rstrip("\f").split("\f")
    assert len(pages) == 2
    first, second = ("".join(page.split()) for page in pages)
    assert f"{dispatch_order.page_decor(long).title}（续）".replace(" ", "") in second
    assert second.index("事件编号") < second.index("办理要求")  # the header row, repeated
    for words in ("办理期限", "首问负责人", "领导签发", "签收回执"):
        assert words in second and words not in first, words


def test_the_warm_up_fills_what_the_first_paper_and_name_would_wait_for() -> None:
    from commandcenter.documents import warmup
    from commandcenter.services import pinyin

    fonts.font_set.cache_clear()
    warmup.warm_up()
    assert fonts.font_set.cache_info().currsize == 1
    assert pinyin._surname_letters.cache_info().currsize >= 1
