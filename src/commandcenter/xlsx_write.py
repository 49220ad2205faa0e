"""Writing workbooks safely: text that looks like a formula stays text; files appear whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from commandcenter.fileio import atomic_path

# A cell starting with one of these is a formula to Excel (and to CSV readers after a save).
_FORMULA_STARTS = ("=", "+", "-", "@")
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


def put(cell: Cell | WriteOnlyCell, value: Any) -> None:
    """Set *value*; a string that would be read as a formula is stored and shown as text."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


@dataclass
class Table:
    sheet: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] = ()
    title: str = ""  # a line above the header
    notes: dict[str, str] = field(default_factory=dict)  # header -> comment
    choices: dict[str, Sequence[str]] = field(default_factory=dict)  # header -> drop-down list
    text_columns: Sequence[str] = ()  # headers whose cells must stay text (ID and phone numbers)


def _write(ws: Worksheet, table: Table) -> None:
    row = 1
    if table.title:
        put(ws.cell(1, 1), table.title)
        ws.cell(1, 1).font = Font(bold=True, size=12)
        row = 2
    header_row = row
    for col, header in enumerate(table.headers, start=1):
        cell = ws.cell(header_row, col)
        put(cell, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if header in table.notes:
            cell.comment = Comment(table.notes[header], "指挥中心工作台")
    for values in table.rows:
        row += 1
        for col, value in enumerate(values, start=1):
            put(ws.cell(row, col), value)
    last_row = max(row, header_row + 500)  # room for the rows a template is filled with
    for col, header in enumerate(table.headers, start=1):
        letter = get_column_letter(col)
        width = table.widths[col - 1] if col - 1 < len(table.widths) else 14
        ws.column_dimensions[letter].width = width
        if header in table.text_columns:
            for r in range(header_row + 1, last_row + 1):
                ws.cell(r, col).number_format = "@"
        if header in table.choices:
            listed = ",".join(table.choices[header])
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            check.error = f"请从下拉列表中选择：{listed}"
            check.errorTitle = header
            ws.add_data_validation(check)
            check.add(f"{letter}{header_row + 1}:{letter}{last_row}")
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def save_workbook(path: Path, tables: Sequence[Table]) -> Path:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for table in tables:
        _write(wb.create_sheet(table.sheet[:31]), table)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def stream_workbook(
    path: Path,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    notes: Sequence[tuple[str, str]] = (),
) -> int:
    """Write a large table row by row (write-only mode keeps memory flat); returns the count.

    *notes* (label, text) go on a second sheet, 导出说明, ending with the row count.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        head.append(cell)
    ws.append(head)
    count = 0
    for values in rows:
        out = []
        for value in values:
            cell = WriteOnlyCell(ws)
            put(cell, value)
            out.append(cell)
        ws.append(out)
        count += 1
    if notes:
        about = wb.create_sheet("导出说明")
        about.column_dimensions["A"].width = 12
        about.column_dimensions["B"].width = 60
        for label, text in [*notes, ("条数", str(count))]:
            cells = [WriteOnlyCell(about, value=label), WriteOnlyCell(about)]
            cells[0].font = Font(bold=True)
            put(cells[1], text)
            about.append(cells)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return count
