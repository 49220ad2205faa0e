"""Year-end export: every sheet as a PDF, the ranked summary as PDF and xlsx, in one folder.

The files are written into a hidden staging folder beside the target and moved into place only
when all are done, so a cancelled or failed export leaves no half-filled folder behind.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import AssessmentSubject, SheetStatus
from commandcenter.documents.assessment_papers import (
    AuditSeal,
    SummarySection,
    render_sheet,
    render_summary,
)
from commandcenter.errors import ValidationError
from commandcenter.exchange.xlsx_write import Table, save_workbook
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import schemes, sheets
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import year_period

Progress = Callable[[int, int, str], None]  # done, total, what is being written


class Cancelled(Exception):
    """The user stopped the export; nothing was left in the target folder."""


@dataclass
class ExportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    sheets: int = 0
    unlocked: int = 0


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_name(text: str) -> str:
    """A file name Windows accepts."""
    return _UNSAFE.sub("_", text).strip("._") or "未命名"


def _free(folder: Path) -> Path:
    if not folder.exists():
        return folder
    stamp = timeutil.to_local(timeutil.now()).strftime("%Y%m%d-%H%M%S")
    return folder.with_name(f"{folder.name}-{stamp}")


def export_year(
    session: Session,
    actor: Actor,
    year: int,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the year's sheets and summary under *out_dir*; returns the folder made."""
    require(actor, Action.PRINT_DOCUMENT)
    found = [
        (subject, scheme)
        for subject in AssessmentSubject
        if (scheme := schemes.find(session, year, subject)) is not None
    ]
    if not found:
        raise ValidationError(f"{year}年度尚无考核方案和考核评价表，请先在“考核评价”中计算。")
    centre = settings.load(session).centre_name
    details = {
        subject: [
            sheets.detail(session, actor, s.id) for s in sheets.scheme_sheets(session, scheme.id)
        ]
        for subject, scheme in found
    }
    total = sum(len(d) for d in details.values()) + 2
    if total == 2:
        raise ValidationError(f"{year}年度还没有考核评价表，请先计算。")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = _free(out_dir / f"{year}年度考核评价")
    staging = out_dir / f".{target.name}.正在导出"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    result = ExportResult(target)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise Cancelled
        if progress is not None:
            progress(done, total, what)
        done += 1

    try:
        for subject, _ in found:
            folder = staging / ("派驻机构" if subject is AssessmentSubject.AGENCY else "执法人员")
            folder.mkdir()
            for n, d in enumerate(details[subject], start=1):
                step(f"{d.subject_name}的考核评价表")
                path = folder / f"{n:03d}-{safe_name(d.subject_name)}.pdf"
                render_sheet(d, centre, path)
                result.sheets += 1
                result.unlocked += d.status is not SheetStatus.LOCKED
        sections = [
            SummarySection(subject, scheme.name, sheets.summary(session, actor, scheme.id))
            for subject, scheme in found
        ]
        period = year_period(year)
        record = audit.seal(session, period.start, period.end)
        seal = AuditSeal(
            period.text, record.count, record.head_hash, record.head_id, record.chain_intact
        )
        step("考核结果汇总表（PDF）")
        render_summary(year, sections, seal, centre, staging / f"{year}年度考核结果汇总表.pdf")
        step("考核结果汇总表（Excel）")
        save_workbook(staging / f"{year}年度考核结果汇总表.xlsx", _tables(sections, seal))
        if cancelled is not None and cancelled():
            raise Cancelled
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.files = sorted(p for p in target.rglob("*") if p.is_file())
    if progress is not None:
        progress(total, total, "完成")
    return result


def _tables(sections: list[SummarySection], seal: AuditSeal) -> list[Table]:
    tables = []
    for section in sections:
        agency = section.subject is AssessmentSubject.AGENCY
        headers = ["名次", "被考核单位" if agency else "姓名", "主管部门" if agency else "所在单位"]
        headers += ["街道评价", "部门评价"] if agency else []
        headers += ["综合得分", "等次", "状态"]
        rows = []
        for r in section.rows:
            values: list[object] = [r.rank or "", r.name, r.detail]
            values += [r.street, r.department] if agency else []
            values += [r.total, r.grade.label if r.grade else "待定", r.status.label]
            rows.append(values)
        tables.append(
            Table(
                sheet="派驻机构" if agency else "执法人员",
                headers=headers,
                rows=rows,
                widths=[6, 40, 30, 10, 10, 10, 8, 12] if agency else [6, 10, 36, 10, 8, 12],
                title=section.scheme_name,
            )
        )
    tables.append(
        Table(
            sheet="数据留痕",
            headers=[
                "考核期",
                "操作记录条数",
                "末条记录号",
                "末条记录哈希",
                "哈希链校验",
                "导出时间",
            ],
            rows=[
                [
                    seal.period_text,
                    seal.count,
                    seal.head_id or "",
                    seal.head_hash,
                    "完整" if seal.chain_intact else "发现断点",
                    timeutil.format_local(timeutil.now()),
                ]
            ],
            widths=[30, 12, 10, 70, 10, 18],
        )
    )
    return tables
