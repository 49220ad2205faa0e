"""Reading a table from a workbook people filled in by hand.

Formulas are never evaluated (a formula cell is reported, not trusted); merged cells are filled
with their value; title rows above the header, blank rows, extra sheets and unknown columns are
skipped and mentioned in the report's notes; renamed headers are matched through aliases, and
line breaks and spaces inside a header cell are ignored. A header of two rows (a heading merged
over the columns it groups, e.g. 执法证 over 证号 | 有效期至) is read as one.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.formula import ArrayFormula

from commandcenter.db.models import Labelled
from commandcenter.errors import UserError
from commandcenter.exchange.columns import Column, header_key
from commandcenter.exchange.report import ImportReport

_HEADER_SCAN_ROWS = 10

# What a workbook filled in by hand may hold, checked on the zip before anything is parsed, so a
# hostile file (a cell of hundreds of megabytes, millions of empty rows, a compression bomb) is
# refused in a moment instead of filling the memory. A roster of 20,000 people is ~6 MB of XML.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024  # one part of the workbook, unpacked
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked ÷ packed, for parts over a megabyte (ordinary sheets pack ~10:1)
MAX_ROWS = 100_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell


def _inspect(path: Path) -> None:
    """Refuse a workbook too large, or packed too tightly, to be one people filled in."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"{path.name} 有 {size / 1024 / 1024:.0f} MB，超过可导入的 "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB。请只保留需要导入的工作表和行后重试。"
        )
    try:
        with open_for_reading(path) as handle, zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _not_a_workbook(path, exc) from exc
    total = sum(part.file_size for part in parts)
    for part in parts:
        packed_tight = part.file_size > 1024 * 1024 and (
            part.file_size > MAX_RATIO * max(part.compress_size, 1)
        )
        if part.file_size > MAX_PART_BYTES or packed_tight:
            raise UserError(
                f"{path.name} 中的 {part.filename} 解压后有 {part.file_size / 1024 / 1024:.0f} MB"
                + ("（压缩比异常）" if packed_tight else "")
                + "，不像是填写的表格，已拒绝导入。请检查文件来源，或把数据复制到导入模板后重试。"
            )
    if total > MAX_TOTAL_BYTES:
        raise UserError(
            f"{path.name} 解压后共 {total / 1024 / 1024:.0f} MB，超过可导入的 "
            f"{MAX_TOTAL_BYTES // 1024 // 1024} MB，已拒绝导入。"
        )


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]  # column key -> raw cell value (None when empty)


def unreadable(path: Path) -> UserError:
    """A file another program holds (Excel and WPS lock what they have open on Windows) or the
    account may not read: closing that program is the remedy, not saving the file again."""
    return UserError(
        f"无法打开 {path.name}：文件正被其他程序（如 Excel、WPS）占用，或没有读取它的权限。"
        "请关闭正在使用它的程序后重试。"
    )


def open_for_reading(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise unreadable(path) from exc


def _check_file(path: Path) -> None:
    if path.suffix.lower() == ".xls":
        raise UserError(
            f"{path.name} 是旧版 .xls 文件。请在 Excel 中“另存为” .xlsx（Excel 工作簿）后再导入。"
        )
    if not path.is_file():
        raise UserError(f"找不到文件：{path}")
    _inspect(path)


def _not_a_workbook(path: Path, exc: BaseException) -> UserError:
    return UserError(
        f"无法读取 {path.name}：它不是有效的 .xlsx 文件（{type(exc).__name__}）。"
        "请用 Excel 打开并另存为 .xlsx 后重试。"
    )


def _damaged(path: Path, exc: BaseException) -> UserError:
    return UserError(
        f"无法读取 {path.name}：工作表内容已损坏或含有不允许的结构（{type(exc).__name__}）。"
        "请用 Excel 打开并另存为 .xlsx 后重试。"
    )


# Broken or booby-trapped XML (entity expansion, external references) in any part of the file.
_BAD_XML = (ElementTree.ParseError, DefusedXmlException)


def _pick_sheet(wb: Any, sheet_names: Sequence[str], report: ImportReport) -> Any:
    sheets: list[Any] = list(wb.worksheets)
    if not sheets:
        raise UserError("文件中没有工作表。")
    wanted = {header_key(n) for n in sheet_names}
    chosen = next((ws for ws in sheets if header_key(ws.title) in wanted), None)
    if chosen is None:
        chosen = next((ws for ws in sheets if ws.sheet_state == "visible"), sheets[0])
    others = [ws.title for ws in sheets if ws is not chosen]
    if others:
        report.notes.append(f"读取工作表“{chosen.title}”，已忽略其他工作表：{'、'.join(others)}。")
    report.sheet = chosen.title
    return chosen


# <mergeCell ref="C2:C4"/>, with or without a namespace prefix.
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


class _Merges:
    """Merged ranges, filled with their top-left value as the rows stream past (a unit merged
    over its people). A read-only sheet does not list them, so they are read from its XML,
    where they follow the rows."""

    def __init__(self, ws: Any, report: ImportReport) -> None:
        with ws.parent._archive.open(ws._worksheet_path) as source:  # openpyxl keeps no list
            refs = _MERGE_CELL.findall(source.read())
        self.covered: dict[tuple[int, int], CellRange] = {}
        self.anchors: dict[CellRange, Any] = {}
        self.report = report
        self.header_last = _HEADER_SCAN_ROWS  # a header's own merges are not news; set once found
        for ref in refs:
            merged = CellRange(ref.decode("ascii"))
            for row, col in merged.cells:
                self.covered[(row, col)] = merged

    def fill(self, number: int, values: list[Any]) -> list[Any]:
        """Row *number*'s values with merged cells given their range's value."""
        if not self.covered:
            return values
        filled = list(values)
        for col in range(1, len(filled) + 1):
            merged = self.covered.get((number, col))
            if merged is None:
                continue
            if (number, col) == (merged.min_row, merged.min_col):
                self.anchors[merged] = filled[col - 1]
                if merged.max_row > merged.min_row and merged.min_row > self.header_last:
                    value = filled[col - 1]
                    self.report.notes.append(
                        f"{merged.coord} 为合并单元格，已按合并的内容“{'' if value is None else value}”"
                        f"填入第 {merged.min_row}–{merged.max_row} 行。"
                    )
            else:
                filled[col - 1] = self.anchors.get(merged)
        return filled

    def width(self) -> int:
        return max((m.max_col for m in self.covered.values()), default=0)

    def from_above(self, number: int, col: int) -> bool:
        """Whether the cell is covered by a merge that starts on an earlier row."""
        merged = self.covered.get((number, col))
        return merged is not None and merged.min_row < number


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f" or isinstance(cell.value, ArrayFormula)


def read_table(
    path: Path, columns: Sequence[Column], sheet_names: Sequence[str], report: ImportReport
) -> list[SheetRow]:
    """The data rows of the sheet, keyed by column; problems and notes go to *report*."""
    _check_file(path)
    # The file is opened here, not by openpyxl, so it is closed whatever openpyxl raises.
    with open_for_reading(path) as handle:
        try:
            # Read-only: rows are parsed as they are read, not held as cell objects (a roster
            # of ten thousand rows reads in half the time). data_only=False: formula cells come
            # back as formulas so they can be refused.
            wb = load_workbook(handle, data_only=False, read_only=True)
        except _BAD_XML as exc:
            raise _damaged(path, exc) from exc
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            cause = exc.__cause__ or exc.__context__  # openpyxl wraps the parser's error
            if isinstance(cause, _BAD_XML):
                raise _damaged(path, cause) from exc
            raise _not_a_workbook(path, exc) from exc
        try:
            return _read_sheet(_pick_sheet(wb, sheet_names, report), columns, report)
        except (*_BAD_XML, zipfile.BadZipFile) as exc:
            raise _damaged(path, exc) from exc
        finally:
            wb.close()


def _read_sheet(ws: Any, columns: Sequence[Column], report: ImportReport) -> list[SheetRow]:
    merges = _Merges(ws, report)
    by_name = {name: column for column in columns for name in column.names()}

    header_row, mapping, header = 0, {}, []
    scanned: list[list[Any]] = []
    for number, cells in enumerate(ws.iter_rows(max_row=_HEADER_SCAN_ROWS), start=1):
        texts = merges.fill(number, [cell.value for cell in cells])
        scanned.append(texts)
        found = {
            col: by_name[header_key(text)]
            for col, text in enumerate(texts, start=1)
            if isinstance(text, str) and header_key(text) in by_name
        }
        if len(found) >= 2 and not header_row:
            header_row, mapping, header = number, found, texts
    if header_row and header_row < len(scanned):
        second = _second_header_row(header, scanned[header_row], header_row + 1, merges, by_name)
        if second is not None:
            mapping, header = second
            report.notes.append(
                f"第 {header_row}–{header_row + 1} 行为两行表头（含合并单元格），已按上下两行合并识别。"
            )
            header_row += 1
    merges.header_last = header_row
    if not header_row:
        expected = "、".join(c.header for c in columns if c.required)
        report.add(
            None,
            "",
            "",
            f"前 {_HEADER_SCAN_ROWS} 行里找不到表头。表头应包含：{expected}。可先下载导入模板对照。",
        )
        return []
    seen: dict[str, int] = {}
    for col, column in sorted(mapping.items()):
        if column.key in seen:
            report.add(header_row, column.header, "", "表头中这一列出现了两次，请删除多余的一列。")
        seen[column.key] = col
    for column in columns:
        if column.required and column.key not in seen:
            report.add(header_row, column.header, "", "缺少必填列。请在表头加上这一列。")
    unknown = [
        str(value).strip()
        for col, value in enumerate(header, start=1)
        if not _is_blank(value) and col not in mapping
    ]
    if unknown:
        report.notes.append(f"以下列未能识别，已忽略：{'、'.join(unknown)}。")
    if report.problems:
        return []

    rows: list[SheetRow] = []
    width = max(max(seen.values()), merges.width())
    first = header_row + 1
    for number, cells in enumerate(ws.iter_rows(min_row=first, max_col=width), start=first):
        if number - header_row > MAX_ROWS:
            raise UserError(
                f"表格超过 {MAX_ROWS} 行（第 {number} 行起未读），一次导入不能这么多。"
                "请分成几个文件分批导入，或删除表格下方的空行和无关内容。"
            )
        raw = [cell.value for cell in cells]
        values_in_row = merges.fill(number, raw)
        values: dict[str, Any] = {}
        for key, col in seen.items():
            cell = cells[col - 1] if col - 1 < len(cells) else None
            value = values_in_row[col - 1] if col - 1 < len(values_in_row) else None
            if cell is not None and raw[col - 1] is not None and _is_formula(cell):
                formula = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                report.add(
                    number,
                    mapping[col].header,
                    formula,
                    "单元格是公式，导入时不计算公式。请复制后“选择性粘贴—数值”，再导入。",
                )
                value = None
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                report.add(number, mapping[col].header, value[:20] + "…", "单元格内容过长。")
                value = None
            values[key] = None if _is_blank(value) else value
        if all(v is None for v in values.values()):
            continue
        rows.append(SheetRow(number, values))
    report.rows = len(rows)
    return rows


def _second_header_row(
    upper: list[Any],
    lower: list[Any],
    number: int,
    merges: _Merges,
    by_name: dict[str, Column],
) -> tuple[dict[int, Column], list[Any]] | None:
    """The mapping and header texts of a two-row header whose second row is *lower* (row
    *number*), or None when *lower* is not one: a header such as 姓名 | 执法证 (merged over two
    columns) above ∅ | 证号 | 有效期至. Every cell of the second row that is not merged down from
    the first must name a column, alone (证号) or after the cell above it (执法证 + 号…); a data
    row below a header never does."""
    mapping: dict[int, Column] = {}
    texts: list[Any] = []
    own = 0
    for col in range(1, max(len(upper), len(lower)) + 1):
        above = upper[col - 1] if col <= len(upper) else None
        below = lower[col - 1] if col <= len(lower) else None
        if _is_blank(below) or merges.from_above(number, col):
            name = above  # a one-row heading merged down, or standing alone in the first row
        else:
            if not isinstance(below, str):
                return None
            own += 1
            joined = f"{'' if _is_blank(above) else above}{below}"
            name = joined if header_key(joined) in by_name else below
            if header_key(name) not in by_name:
                return None
        texts.append(name)
        if isinstance(name, str) and header_key(name) in by_name:
            mapping[col] = by_name[header_key(name)]
    return (mapping, texts) if own else None


# --- cell values ----------------------------------------------------------------------------


class CellError(ValueError):
    """A cell whose content cannot be what its column needs; the message is for people."""


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def as_code(value: Any, what: str) -> str:
    """Numbers people typed as text (ID numbers): refuse what Excel already turned into a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if len(str(int(value))) > 15:
            raise CellError(
                f"{what}被 Excel 存成了数字，超过 15 位的部分已丢失。请把该列设为“文本”格式后重新录入。"
            )
        return str(int(value))
    return as_text(value)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel date serial in a cell not formatted as a date
            from openpyxl.utils.datetime import from_excel

            result = from_excel(value)
            if isinstance(result, datetime):
                return result.date()
        value = as_text(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                break
    raise CellError("日期格式不正确，请写作 2026-01-31 这样的形式。")


def as_choice[E: Labelled](value: Any, enum: type[E]) -> E | None:
    """A label ('派驻'), a code ('dispatched'), or a part of exactly one label ('协勤')."""
    text = as_text(value)
    if not text:
        return None
    for member in enum:
        if text in (member.label, member.value):
            return member
    partial = [m for m in enum if text in m.label]
    if len(partial) == 1:
        return partial[0]
    raise CellError(f"应为以下之一：{'、'.join(m.label for m in enum)}。")


def as_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("应为整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError("应为整数。")
