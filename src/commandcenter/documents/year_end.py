"""Year-end export: every sheet as a PDF, the ranked summary as PDF and xlsx, in one folder,
and - for a leader, from final agency schemes - the 考核结果运用 papers in a subfolder.

The files are written into a hidden staging folder beside the target and moved into place only
when all are done, so a cancelled or failed export leaves no half-filled folder behind.

A large year is exported by a process of its own (:func:`export`), which reads every sheet
in one transaction and has a pool of processes render them. Reading two thousand sheets and
laying them out is Python work that, in a thread of the app, would take the interpreter lock
from the window again and again (its garbage collections alone stall it 100-200 ms at a
time); apart, the window stays responsive and the pool uses every core.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import re
import shutil
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.engine import Database, make_engine
from commandcenter.db.models import (
    AssessmentSubject,
    SheetStatus,
)
from commandcenter.documents import assessment_results
from commandcenter.documents.assessment_papers import (
    AuditSeal,
    SummarySection,
    render_sheet,
    render_summary,
)
from commandcenter.errors import UserError, ValidationError
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import results, schemes, sheets, signing
from commandcenter.services.assessment.sheets import SheetDetail
from commandcenter.xlsx_write import Table, save_workbook

Progress = Callable[[int, int, str], None]  # done, total, what is being written

RESULTS_FOLDER = "考核结果运用"  # the results letters, recommendations and motions

# Below this many sheets, starting the processes (a second or so each) costs more than it saves.
POOL_FROM_SHEETS = 200
MAX_PROCESSES = 4
BATCH = 20  # sheets a process renders per task: progress every half second or so


class Cancelled(UserError):
    """The user stopped the export; nothing was left in the target folder. An answer to the
    user's own request, not a fault: it is not logged as one."""

    def __init__(self, message: str = "导出已取消，未留下任何文件。") -> None:
        super().__init__(message)


@dataclass
class ExportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    sheets: int = 0
    unlocked: int = 0
    papers: int = 0  # 考核结果运用 papers in their subfolder


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_name(text: str) -> str:
    """A file name Windows accepts."""
    return _UNSAFE.sub("_", text).strip("._") or "未命名"


def _free(folder: Path) -> Path:
    if not folder.exists():
        return folder
    stamp = timeutil.to_local(timeutil.now()).strftime("%Y%m%d-%H%M%S")
    return folder.with_name(f"{folder.name}-{stamp}")


def export(
    db: Database,
    actor: Actor,
    year: int,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    processes: int | None = None,
) -> ExportResult:
    """:func:`export_year` as the app runs it: in this thread for a small year; for a large
    one in a process of its own, with a pool of *processes* (by default one per core) for the
    sheets. *processes* = 1 keeps any year in this thread."""
    with db.read() as session:  # the permission is checked here, before any process starts
        count = sheets.count_for_year_export(session, actor, year)
    if db.read_only is None and results.may_print(actor):
        # The results papers are numbered on their first printing: here, in a write scope of
        # their own, so the export itself reads only.
        with db.write() as session:
            results.year_papers(session, actor, year, issue=True)
    if processes is None:
        processes = _default_processes(count)
    if processes == 1 or (db.is_sqlite and db.sqlite_path is None):  # memory: not shareable
        with db.read() as session:
            return export_year(
                session, actor, year, out_dir, progress=progress, cancelled=cancelled, processes=1
            )
    return _export_apart(db, actor, year, out_dir, processes, progress, cancelled)


def _export_apart(
    db: Database,
    actor: Actor,
    year: int,
    out_dir: Path,
    processes: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ExportResult:
    """Run :func:`export_year` in a spawned process; relay its progress, pass on a cancel."""
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    stop = context.Event()
    url = db.engine.url.render_as_string(hide_password=False)
    worker = context.Process(
        target=_export_main,
        args=(url, db.read_only, actor, year, out_dir, processes, messages, stop),
        name="year-end-export",
    )
    worker.start()
    try:
        while True:
            try:
                kind, payload = messages.get(timeout=0.25)
            except queue.Empty:
                if not worker.is_alive() and messages.empty():
                    raise RuntimeError(f"导出进程意外退出（退出码 {worker.exitcode}）") from None
                kind, payload = "waiting", None
            if cancelled is not None and cancelled():
                stop.set()
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "done":
                return payload
            elif kind == "failed":
                raise payload
    finally:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.terminate()


def _export_main(
    url: str,
    read_only: str | None,
    actor: Actor,
    year: int,
    out_dir: Path,
    processes: int,
    messages: multiprocessing.Queue,
    stop: Event,
) -> None:
    """The export process: its own connection, the same export, its outcome as a message."""
    db = Database(make_engine(url, read_only=read_only is not None), read_only)
    try:
        with db.read() as session:
            result = export_year(
                session,
                actor,
                year,
                out_dir,
                progress=lambda *p: messages.put(("progress", p)),
                cancelled=stop.is_set,
                processes=processes,
            )
        messages.put(("done", result))
    except BaseException as exc:
        messages.put(("failed", _portable(exc)))
    finally:
        db.dispose()


def _portable(exc: BaseException) -> BaseException:
    """*exc* as it can cross to the app: our own errors as they are, anything else as a
    RuntimeError naming it, since a foreign exception may not survive pickling. Its traceback
    goes along as a note, which the app's log prints and the operator's message leaves out."""
    if isinstance(exc, UserError):
        try:
            pickle.dumps(exc)
            return exc
        except Exception:  # not picklable after all: the text form below
            pass
    error = RuntimeError(f"导出进程出错：{type(exc).__name__}: {exc}")
    error.add_note("".join(traceback.format_exception(exc)))
    return error


def export_year(
    session: Session,
    actor: Actor,
    year: int,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    processes: int | None = None,
) -> ExportResult:
    """Write the year's sheets and summary under *out_dir*; returns the folder made.

    *processes* renders the sheets in that many processes (1: in this thread); by default a
    pool of one per core for a large year.
    """
    found = schemes.for_year_export(session, actor, year)
    if not found:
        raise ValidationError(f"{year}年度尚无考核方案和考核评价表，请先在“考核评价”中计算。")
    centre = settings.load(session).centre_name
    details = {
        scheme.id: [
            sheets.detail(session, actor, s.id) for s in sheets.scheme_sheets(session, scheme.id)
        ]
        for _, scheme in found
    }
    papers = results.year_papers(session, actor, year, issue=False)
    total = sum(len(d) for d in details.values()) + 2 + len(papers)
    if total == 2:
        raise ValidationError(f"{year}年度还没有考核评价表，请先计算。")
    target = _free(out_dir / f"{year}年度考核评价")
    staging = out_dir / f".{target.name}.正在导出"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as exc:
        raise _unwritable(out_dir, exc) from exc
    result = ExportResult(target)
    done = 0

    def step(what: str, count: int = 1) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise Cancelled
        if progress is not None:
            progress(done, total, what)
        done += count

    def finished(count: int, what: str) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise Cancelled
        if count:
            done += count
            if progress is not None:
                progress(done, total, what)

    try:
        jobs: list[SheetJob] = []
        for _, scheme in found:
            folder = staging / schemes.who(scheme)  # a folder per scheme: 派驻机构, 执法人员 …
            folder.mkdir(parents=True)
            for n, d in enumerate(details[scheme.id], start=1):
                jobs.append((d, folder / f"{n:03d}-{safe_name(d.subject_name)}.pdf"))
        if processes is None:
            processes = _default_processes(len(jobs))
        if processes > 1:
            step(f"考核评价表（{processes} 个进程同时生成）", 0)
            _render_in_pool(jobs, centre, processes, finished)
        else:
            for d, path in jobs:
                step(f"{d.subject_name}的考核评价表")
                render_sheet(d, centre, path)
        result.sheets = len(jobs)
        result.unlocked = sum(d.status is not SheetStatus.LOCKED for d, _ in jobs)
        sections = [
            SummarySection(
                subject,
                scheme.name,
                sheets.summary(session, actor, scheme.id),
                signing.for_summary(session, actor, scheme.id),
                schemes.who(scheme),
            )
            for subject, scheme in found
        ]
        record = signing.seal(session, year, [section.basis for section in sections])
        seal = AuditSeal(
            record.cut_text, record.count, record.head_hash, record.head_id, record.chain_intact
        )
        step("考核结果汇总表（PDF）")
        render_summary(year, sections, seal, centre, staging / f"{year}年度考核结果汇总表.pdf")
        step("考核结果汇总表（Excel）")
        save_workbook(staging / f"{year}年度考核结果汇总表.xlsx", _tables(sections, seal))
        if papers:
            (staging / RESULTS_FOLDER).mkdir()
        result.papers = len(papers)
        for paper in papers:
            step(assessment_results.title_of(paper))
            name = f"{paper.frame.number}-{assessment_results.title_of(paper)}"
            assessment_results.render(paper, staging / RESULTS_FOLDER / f"{safe_name(name)}.pdf")
        if cancelled is not None and cancelled():
            raise Cancelled
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _unwritable(out_dir, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.files = sorted(p for p in target.rglob("*") if p.is_file())
    if progress is not None:
        progress(total, total, "完成")
    return result


def _unwritable(folder: Path, exc: OSError) -> UserError:
    return UserError(
        f"无法在“{folder}”写入导出文件（{exc.strerror or exc}），已写的部分已清除。"
        "请换一个文件夹，或检查权限和磁盘空间后重试。"
    )


SheetJob = tuple[SheetDetail, Path]  # a sheet and the file it goes to


def _default_processes(sheets: int) -> int:
    if sheets < POOL_FROM_SHEETS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_PROCESSES))


def _render_batch(jobs: list[SheetJob], centre: str) -> int:
    """Runs in a pool process: the sheets' details arrive whole, no database is opened."""
    for detail, path in jobs:
        render_sheet(detail, centre, path)
    return len(jobs)


def _render_in_pool(
    jobs: list[SheetJob], centre: str, processes: int, finished: Callable[[int, str], None]
) -> None:
    """Render *jobs* in batches across *processes*. *finished* is told how many more sheets
    are done, often enough to notice a cancel: it raises Cancelled, after which the batches
    under way finish and the rest are dropped."""
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    # Spawned, never forked: a forked child of a Qt process inherits its threads' locks.
    pool = ProcessPoolExecutor(
        max_workers=min(processes, len(batches)),
        mp_context=multiprocessing.get_context("spawn"),
    )
    try:
        pending: dict[Future[int], list[SheetJob]] = {
            pool.submit(_render_batch, batch, centre): batch for batch in batches
        }
        what = "考核评价表"
        while pending:
            # A short wait, so that a cancel is seen promptly while every process is busy.
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            count = 0
            for future in done:
                batch = pending.pop(future)
                count += future.result()  # a failure in a process is raised here
                what = f"{batch[-1][0].subject_name}等的考核评价表"
            finished(count, what)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _tables(sections: list[SummarySection], seal: AuditSeal) -> list[Table]:
    tables: list[Table] = []
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
                sheet=section.who or ("派驻机构" if agency else "执法人员"),
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
                "数据截止时点",
                "操作记录条数",
                "末条记录号",
                "末条记录哈希",
                "哈希链校验",
                "导出时间",
            ],
            rows=[
                [
                    seal.cut_text,
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
