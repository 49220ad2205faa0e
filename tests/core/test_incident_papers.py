"""The incident's papers checked by their text, and the command line that prints and exports."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    IncidentStatus,
    ReturnReason,
    ReturnRuling,
    SupervisionKind,
    Transfer,
)
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.documents import papers
from commandcenter.errors import ValidationError
from commandcenter.services.incidents import dispatch, followup, progress, triage
from tests.core.incident_world import World
from tests.core.test_incidents import dispatched, register, team, triaged

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _render(world: World, kind: str, number: str, path: Path) -> str:
    with world.db.read() as s:
        papers.BY_NUMBER[kind](s, world.operator, number, path)
    return "".join(_text(path).split())  # table cells wrap: compare without any spacing


@needs_poppler
def test_dispatch_order_of_a_major_incident_names_the_approving_leader(
    world: World, tmp_path: Path
) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s,
            world.operator,
            incident_id,
            triage.TriageForm(item_id=world.items["empowered"], is_major=True),
        )
        form = team(world, auxiliary_ids=[world.auxiliary], requirements="带执法记录仪到场")
        dispatch.dispatch(s, world.operator, incident_id, form)
        dispatch.approve(s, world.leader, incident_id, approved=True, note="法制员同步到场")
    text = _render(world, papers.DISPATCH_ORDER, "梅执指派〔2026〕1号", tmp_path / "o.pdf")
    assert "梅执指派〔2026〕1号" in text
    assert "张主任于" in text and "审批同意" in text
    # who, when and the opinion (the row's label sits between the cell's two lines)
    assert "审批意见：法制员同步到场" in text.replace("领导签发", "")
    assert "带执法记录仪到场" in text
    assert "330201000" in text and "330201001" in text  # certificate numbers as dispatched
    assert "【协勤】不计入执法人员" in text  # R10
    assert "值班员甲" in text  # first-responsible, R4
    # A reprint keeps its number: by the incident's number, the same paper.
    again = _render(world, papers.DISPATCH_ORDER, "2026-000001", tmp_path / "again.pdf")
    assert "梅执指派〔2026〕1号" in again


@needs_poppler
def test_transfer_letter_and_supervision_papers(world: World, tmp_path: Path) -> None:
    transfer_id = triaged(world, "department")
    with world.db.write() as s:
        followup.transfer(
            s, world.operator, transfer_id, department_id=None, facts="经现场核查，涉嫌无照经营"
        )
    letter = _render(world, papers.TRANSFER_LETTER, "梅执移〔2026〕1号", tmp_path / "t.pdf")
    for words in ("案件移送函", "区市场监督管理局：", "BM-001无照经营查处", "移送回执"):
        assert words in letter, words
    incident_id = dispatched(world)
    with world.db.write() as s:
        followup.supervise(
            s,
            world.leader,
            incident_id,
            unit_id=world.squad,
            kind=SupervisionKind.LETTER,
            content="请加快办理",
        )
    sheet = _render(world, papers.SUPERVISION, "梅执督〔2026〕1号", tmp_path / "s.pdf")
    assert "督办函" in sheet and "梅山街道综合行政执法中队：" in sheet
    # dispatched on Wednesday 30 September: three working days are 8, 9 and 10 October
    assert "请于2026年10月10日前书面回复指挥中心" in sheet


@needs_poppler
def test_a_replaced_or_taken_back_order_prints_as_void(world: World, tmp_path: Path) -> None:
    incident_id = dispatched(world)  # 梅执指派〔2026〕1号
    first = _render(world, papers.DISPATCH_ORDER, "梅执指派〔2026〕1号", tmp_path / "a.pdf")
    assert "作废" not in first
    with world.db.write() as s:
        progress.return_dispatch(
            s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note="属邻街道"
        )
        progress.rule_on_return(
            s, world.operator2, incident_id, ruling=ReturnRuling.REASSIGN, note="重新研判"
        )
    # Ruled back to triage: the dispatch is taken back and the order no longer stands.
    taken_back = _render(world, papers.DISPATCH_ORDER, "2026-000001", tmp_path / "b.pdf")
    assert "梅执指派〔2026〕1号（作废：派单已退回，事件重新研判）" in taken_back
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, team(world))  # 〔2026〕2号
    old = _render(world, papers.DISPATCH_ORDER, "梅执指派〔2026〕1号", tmp_path / "c.pdf")
    assert "梅执指派〔2026〕1号（作废：已由梅执指派〔2026〕2号替代）" in old
    new = _render(world, papers.DISPATCH_ORDER, "2026-000001", tmp_path / "d.pdf")
    assert "梅执指派〔2026〕2号" in new and "作废" not in new
    # Transferred after dispatch: the order is void, the transfer letter is the paper.
    with world.db.write() as s:
        followup.transfer(
            s, world.operator, incident_id, department_id=world.department, facts="属部门职责"
        )
    moved = _render(world, papers.DISPATCH_ORDER, "2026-000001", tmp_path / "e.pdf")
    assert "（作废：事件已移送部门处理）" in moved


def test_no_specimen_order_for_an_incident_triaged_to_leave_the_street(world: World) -> None:
    triaged(world, "department")  # routed to transfer: never dispatched
    with (
        pytest.raises(ValidationError, match="不派单，没有指挥调度单。请移送后打印案件移送函"),
        world.db.read() as s,
    ):
        papers.BY_NUMBER[papers.DISPATCH_ORDER](
            s, world.operator, "2026-000001", Path("unused.pdf")
        )


@needs_poppler
def test_a_transfer_letters_receipt_goes_over_with_its_closing_lines(
    world: World, tmp_path: Path
) -> None:
    for n, facts in enumerate(("经现场核查，涉嫌无照经营", "经现场核查，涉嫌无照经营。" * 40), 1):
        transfer_id = triaged(world, "department")
        with world.db.write() as s:
            followup.transfer(s, world.operator, transfer_id, department_id=None, facts=facts)
        path = tmp_path / f"t{n}.pdf"
        with world.db.read() as s:
            papers.BY_NUMBER[papers.TRANSFER_LETTER](
                s, world.operator, f"梅执移〔2026〕{n}号", path
            )
        pages = _text(path).rstrip("\f").split("\f")
        last = "".join(pages[-1].split())
        assert "移送回执" in last and "首问负责人" in last and "梅山街道" in last, n
        assert all("移送回执" not in page for page in pages[:-1])


def test_an_unknown_number_is_a_clear_error(world: World, tmp_path: Path) -> None:
    from commandcenter.errors import NotFound

    with pytest.raises(NotFound, match="没有找到编号"), world.db.read() as s:
        papers.BY_NUMBER[papers.TRANSFER_LETTER](
            s, world.operator, "梅执移〔2026〕9号", tmp_path / "x.pdf"
        )


def test_cli_exports_incidents_and_prints_papers(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "closed.xlsx"
    args = ["--db", url, "export", "incidents", str(out), "--user", "operator"]
    code = main([*args, "--status", "已办结", "--from", "2026-10-01", "--to", "2026-10-31"])
    assert code == 0
    book = load_workbook(out, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows[0][0] == "事件编号"
    assert rows[1:] and all(r[10] == "已办结" for r in rows[1:])
    assert all(str(r[1]).startswith("2026-10") for r in rows[1:])
    assert all("****" in (r[20] or "****") for r in rows[1:])  # operators see masked phones
    assert main([*args, "--status", "不存在"]) == 2

    with demo_db.read() as s:
        letter = s.scalar(select(Transfer.doc_number).limit(1))
    pdf = tmp_path / "letter.pdf"
    code = main(
        ["--db", url, "print", "transfer-letter", letter, "-o", str(pdf), "--user", "operator"]
    )
    assert code == 0 and pdf.stat().st_size > 10_000


def test_closing_an_incident_needs_the_status_it_came_from(world: World) -> None:
    incident_id = dispatched(world)
    with pytest.raises(Exception, match="不能办结"), world.db.write() as s:
        progress.close(s, world.operator, incident_id, satisfaction=None)
    with world.db.read() as s:
        from commandcenter.db.models import Incident

        assert s.get_one(Incident, incident_id).status is IncidentStatus.DISPATCHED
