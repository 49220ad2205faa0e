"""Importing work orders exported from 12345 and 基层治理四平台: all or nothing.

A file is an .xlsx workbook or a CSV in UTF-8 (with or without BOM) or GBK. Its columns are read
through the layout saved for the source (`services/incidents/work_orders.py`); a file of a shape
not met before raises :class:`LayoutNeeded` with its header and a guess, and the caller (the
mapping dialog, or ``--map`` on the command line) supplies the columns, which are saved.

Every row is checked before anything is written, with the same validation registration uses; an
order already imported (its source number is on an incident of the same channel) is counted and
left as it is. Each new order is registered through `intake.register`, with the time received
as the source records it, and waits for 研判 like any call.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from commandcenter import timeutil
from commandcenter.db import backup_folder
from commandcenter.db.engine import Database
from commandcenter.db.models import Channel
from commandcenter.errors import UserError
from commandcenter.exchange import xlsx_read
from commandcenter.exchange.report import ImportRejected, ImportReport
from commandcenter.exchange.xlsx_read import CellError, SheetRow, as_code, as_text
from commandcenter.faults import crash_point
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import intake
from commandcenter.services.incidents import work_orders as orders

_HEADER_SCAN_ROWS = 10
# Repeats are listed by row up to this many; the rest are counted.
REPEATS_LISTED = 50


@dataclass
class OrderFile:
    header: list[str]
    header_row: int
    rows: list[SheetRow]  # values keyed by the file's header text
    encoding: str = ""  # of a CSV: UTF-8 or GBK


class LayoutNeeded(UserError):
    """The file's columns are of a shape not mapped before for this source."""

    def __init__(self, source: Channel, header: list[str], guess: dict[str, str]) -> None:
        missing = [f.label for f in orders.FIELDS if f.required and f.key not in guess]
        super().__init__(
            f"这是第一次导入这种格式的{source.label}工单，请先确定文件各列对应的字段"
            + (f"（未能自动识别：{'、'.join(missing)}）" if missing else "")
            + "。"
        )
        self.source, self.header, self.guess = source, header, guess


# --- reading the file -----------------------------------------------------------------------


def read_order_file(path: Path, report: ImportReport) -> OrderFile:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, report)
    if suffix == ".xls":
        raise UserError(
            f"{path.name} 是旧版 .xls 文件。请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。"
        )
    xlsx_read._check_file(path)  # the same limits as every workbook read
    with xlsx_read.open_for_reading(path) as handle:
        try:
            wb = load_workbook(handle, data_only=True, read_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UserError(
                f"无法读取 {path.name}：它不是有效的 .xlsx 文件（{type(exc).__name__}）。"
                "请用 Excel 打开并另存为 .xlsx 后重试。"
            ) from exc
        try:
            sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or wb.worksheets
            if not sheets:
                raise UserError("文件中没有工作表。")
            ws = sheets[0]
            report.sheet = ws.title
            if len(wb.worksheets) > 1:
                report.notes.append(f"读取第一个工作表“{ws.title}”，其他工作表未读取。")
            grid = (list(row) for row in ws.iter_rows(values_only=True))
            return _table(grid, report)
        finally:
            wb.close()


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(
            f"{name} 是 UTF-16（“Unicode 文本”）编码，无法导入。"
            "请用 Excel 另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重试。"
        )
    if b"\x00" in data:
        raise UserError(f"{name} 含有空字符，不像是 CSV 文本文件。请确认导出的是 CSV 或 .xlsx。")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise UserError(
            f"{name} 的文字编码既不是 UTF-8 也不是 GBK，无法识别。"
            "请用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重试。"
        ) from None


def _read_csv(path: Path, report: ImportReport) -> OrderFile:
    size = path.stat().st_size
    if size > xlsx_read.MAX_FILE_BYTES:
        raise UserError(
            f"{path.name} 有 {size / 1024 / 1024:.0f} MB，超过可导入的 "
            f"{xlsx_read.MAX_FILE_BYTES // 1024 // 1024} MB。请分成几个文件分批导入。"
        )
    with xlsx_read.open_for_reading(path) as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise xlsx_read.unreadable(path) from exc
    try:
        text, encoding = _decode(data, path.name)
    except UnicodeDecodeError as exc:  # a BOM followed by bytes that are not UTF-8
        raise UserError(f"{path.name} 标明为 UTF-8，但内容不是 UTF-8 编码，无法读取。") from exc
    # Comma-separated as a rule; a tab-separated export ("文本文件") has more tabs than commas
    # in its first lines, where the header is.
    head = "\n".join(text.splitlines()[:_HEADER_SCAN_ROWS])
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    csv.field_size_limit(xlsx_read.MAX_CELL_CHARS + 1)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        found = _table(rows, report)
    except csv.Error as exc:
        # Read leniently from text, the one error left is a field over the limit: a cell that
        # long, or a quote never closed that ran the rest of the file into one cell. Python's
        # words for it are English, so they are not shown.
        raise UserError(
            f"{path.name} 第 {rows.line_num} 行附近有一个单元格超过 "
            f"{xlsx_read.MAX_CELL_CHARS} 个字符，多半是引号没有成对，把后面的内容都连进了"
            "这个单元格。请用 Excel 打开检查后另存为 CSV 或 .xlsx 重试。"
        ) from exc
    found.encoding = encoding
    report.notes.append(f"按 {encoding} 编码读取 CSV 文件。")
    return found


def _table(grid: Any, report: ImportReport) -> OrderFile:
    """The header (the first of the top rows with three or more filled cells) and the rows."""
    header: list[str] = []
    header_row = 0
    rows: list[SheetRow] = []
    for number, cells in enumerate(grid, start=1):
        values = [None if _blank(v) else v for v in cells]
        if not header_row:
            filled = [v for v in values if v is not None]
            if len(filled) >= 3:
                header_row = number
                header = [as_text(v) if v is not None else "" for v in values]
                seen: set[str] = set()
                for text in header:
                    if text and orders.header_key(text) in seen:
                        report.add(number, text, "", "表头中这一列出现了两次，请删除多余的一列。")
                    seen.add(orders.header_key(text))
            elif number >= _HEADER_SCAN_ROWS:
                break
            continue
        if number - header_row > xlsx_read.MAX_ROWS:
            raise UserError(
                f"文件超过 {xlsx_read.MAX_ROWS} 行，一次导入不能这么多。请分成几个文件分批导入。"
            )
        if all(v is None for v in values):
            continue
        row: dict[str, Any] = {}
        for col, text in enumerate(header):
            if not text:
                continue
            value = values[col] if col < len(values) else None
            if isinstance(value, str) and len(value) > xlsx_read.MAX_CELL_CHARS:
                report.add(number, text, value[:20] + "…", "单元格内容过长。")
                value = None
            row[text] = value
        rows.append(SheetRow(number, row))
    if not header_row:
        report.add(None, "", "", f"前 {_HEADER_SCAN_ROWS} 行里找不到表头（至少三列有列名的一行）。")
    report.rows = len(rows)
    return OrderFile([h for h in header if h], header_row, rows)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- cells ----------------------------------------------------------------------------------

_MOMENT = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]*(\d{1,2})[:：时](\d{1,2})分?(?:[:：]?(\d{1,2})秒?)?(?:\.\d+)?)?"
)


def as_moment(value: Any) -> datetime | None:
    """A time as the source wrote it, in Beijing time: a date cell, or '2026-11-03 09:15(:22)',
    '2026/11/3 9:15', '2026年11月3日 09时15分'; a bare date is the day's start."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value
        return timeutil.local_datetime(value.date(), value.time().replace(microsecond=0))
    if isinstance(value, date):
        return timeutil.local_datetime(value, time(0))
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        result = from_excel(value)
        if isinstance(result, datetime):
            return as_moment(result.replace(microsecond=0))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _MOMENT.fullmatch(text)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
            clock = time(int(match[4] or 0), int(match[5] or 0), int(match[6] or 0))
        except ValueError:
            pass
        else:
            return timeutil.local_datetime(day, clock)
    raise CellError("时间格式不正确，应如 2026-11-03 09:15 或 2026/11/3 9:15:00。")


def _title(content: str, category: str) -> str:
    """A title where the source gives none: the content's first clause."""
    first = re.split(r"[。！？；;\n]", content, maxsplit=1)[0].strip()
    first = re.sub(
        r"^((市民|群众|来电人|来电)?(来电)?(反映|反应|投诉|称)|网格员巡查发现|巡查发现)[：:，,]?",
        "",
        first,
    )
    title = first[:40] + ("…" if len(first) > 40 else "")
    return title or category or "工单诉求"


# --- the import -----------------------------------------------------------------------------

# Registration's fields -> the order field whose column a problem is reported under.
_PROBLEM_FIELD = {
    "channel_ref": "number",
    "title": "title",
    "description": "content",
    "address": "address",
    "grid_id": "grid",
    "reporter_name": "reporter_name",
    "reporter_phone": "reporter_phone",
    "received_at": "received_at",
}


class _DryRunDone(Exception):
    pass


def run_work_order_import(
    db: Database,
    actor: Actor,
    source: Channel,
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    dry_run: bool = False,
    backup_dir: Path | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import *path*'s orders from *source*; raises :class:`ImportRejected` (nothing written)
    on any problem, :class:`LayoutNeeded` for a file of a shape not mapped yet (unless
    *columns* maps it: those are then saved for the next file)."""
    orders.may_import(actor)
    path = Path(path)
    report = ImportReport(f"{source.label}工单", str(path), dry_run=dry_run)
    found = read_order_file(path, report)
    if not report.problems and not found.rows:
        report.add(None, "", "", "文件中没有工单数据行。")
    if report.problems:
        raise ImportRejected(report)
    if columns is not None:
        with db.write() as session:
            layout = orders.save_layout(session, actor, source, columns, found.header)
        report.notes.append(f"已保存{layout.describe()}，以后同样格式的文件将自动沿用。")
    else:
        with db.read() as session:
            saved = orders.find_layout(session, actor, source, found.header)
        if saved is None:
            raise LayoutNeeded(source, found.header, orders.guess_columns(found.header))
        layout = saved
        report.notes.append(f"沿用已保存的{layout.describe()}。")
    database = db.sqlite_path
    if backup_dir is not None and database is not None and not dry_run:
        backup_folder.make_backup(database, backup_dir, "before-import")
    moment = now or timeutil.now()
    try:
        with db.write() as session:
            _import_rows(session, actor, source, layout.columns, found.rows, report, moment)
            if report.problems:
                raise ImportRejected(report)
            orders.mark_used(session, layout.id)
            audit.record(
                session,
                actor,
                "import.work_orders",
                f"从 {path.name} 导入{source.label}工单：新增 {report.created}，"
                f"已导入过 {report.unchanged}",
                changes={
                    "rows": report.rows,
                    "created": report.created,
                    "unchanged": report.unchanged,
                },
            )
            if dry_run:
                raise _DryRunDone
            session.flush()
            crash_point("import.rows")
    except _DryRunDone:
        pass
    return report


def _import_rows(
    session: Any,
    actor: Actor,
    source: Channel,
    columns: dict[str, str],
    rows: list[SheetRow],
    report: ImportReport,
    now: datetime,
) -> None:
    def cell(row: SheetRow, key: str) -> Any:
        column = columns.get(key)
        return row.values.get(column) if column else None

    def fail(row: SheetRow, key: str, value: Any, reason: str) -> None:
        report.add(row.number, columns.get(key, orders.FIELD_BY_KEY[key].label), value, reason)

    numbers_seen: dict[str, int] = {}
    parsed: list[tuple[SheetRow, str]] = []
    for row in rows:
        try:
            number = as_code(cell(row, "number"), "工单编号")
        except CellError as exc:
            fail(row, "number", cell(row, "number"), str(exc))
            continue
        if not number:
            fail(row, "number", None, "请填写工单编号。")
            continue
        if number in numbers_seen:
            fail(row, "number", number, f"与第 {numbers_seen[number]} 行的工单编号重复。")
            continue
        numbers_seen[number] = row.number
        parsed.append((row, number))

    before = orders.imported_before(session, source, numbers_seen)
    repeats: list[str] = []
    forms: list[intake.IncidentForm] = []
    for row, number in parsed:
        if number in before:
            report.unchanged += 1
            repeats.append(f"第 {row.number} 行 {number}（事件 {before[number]}）")
            continue
        form = _form(session, actor, source, row, number, cell, fail, report)
        if form is None:
            continue
        _values, problems = intake.incident_values(session, form, now)
        for problem in problems:
            key = _PROBLEM_FIELD.get(problem.field or "", "content")
            if key == "address" and not columns.get("address"):
                key = "grid" if columns.get("grid") else "content"
            fail(row, key, cell(row, key), problem.message)
        if not problems:
            forms.append(form)
    if repeats:
        shown = "；".join(repeats[:REPEATS_LISTED])
        more = f"等 {len(repeats)} 条" if len(repeats) > REPEATS_LISTED else ""
        report.notes.append(f"以下工单此前已导入，本次未作任何修改：{shown}{more}。")
    if report.problems:
        report.problems.sort(key=lambda p: p.row or 0)  # in the file's order, row by row
        return
    for form in forms:
        intake.register(session, actor, form, now=now)
    report.created = len(forms)


def _form(
    session: Any,
    actor: Actor,
    source: Channel,
    row: SheetRow,
    number: str,
    cell: Any,
    fail: Any,
    report: ImportReport,
) -> intake.IncidentForm | None:
    bad = False
    moments: dict[str, datetime | None] = {}
    for key in ("received_at", "due_at"):
        try:
            moments[key] = as_moment(cell(row, key))
        except CellError as exc:
            fail(row, key, cell(row, key), str(exc))
            bad = True
    received, due = moments.get("received_at"), moments.get("due_at")
    if received is None and "received_at" in moments:
        fail(row, "received_at", None, "请填写受理时间。")
        bad = True
    if received is not None and due is not None and due < received:
        fail(row, "due_at", cell(row, "due_at"), "要求办结时间早于受理时间。")
        bad = True
    content = as_text(cell(row, "content"))
    if not content:
        fail(row, "content", None, "请填写诉求内容。")
        bad = True
    category = as_text(cell(row, "category"))
    grid_id = None
    grid_text = as_text(cell(row, "grid"))
    address = as_text(cell(row, "address"))
    if grid_text:
        grid = orders.grid_named(session, grid_text)
        if grid is None:
            report.notes.append(f"第 {row.number} 行的网格“{grid_text}”未能对应，已按地址推荐。")
        else:
            grid_id = grid.id
    if grid_id is None:
        grid_id = orders.grid_for_address(session, actor, address)
    try:
        phone = as_code(cell(row, "reporter_phone"), "联系电话")
    except CellError as exc:
        fail(row, "reporter_phone", cell(row, "reporter_phone"), str(exc))
        phone, bad = "", True
    if "*" in phone:  # the source masked it already: there is nothing to keep
        phone = ""
    if bad:
        return None
    extra = [
        f"诉求类型：{category}" if category else "",
        f"承办单位：{as_text(cell(row, 'unit'))}" if cell(row, "unit") else "",
        f"要求办结时间：{timeutil.format_local(due)}" if due else "",
    ]
    extra_text = "；".join(x for x in extra if x)
    title = as_text(cell(row, "title")) or _title(content, category)
    return intake.IncidentForm(
        channel=source,
        channel_ref=number,
        title=title[:200],
        description=content
        + (f"\n【{source.label}工单 {number}】{extra_text}" if extra_text else ""),
        address=address,
        grid_id=grid_id,
        reporter_name=as_text(cell(row, "reporter_name")),
        reporter_phone=phone,
        received_at=received,
    )
