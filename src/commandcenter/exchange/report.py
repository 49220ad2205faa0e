"""What an import found: every bad cell with its row, column, value and reason, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from commandcenter.errors import UserError


@dataclass(frozen=True)
class Problem:
    row: int | None  # the sheet's own row number, as Excel shows it
    column: str
    value: str
    reason: str

    def text(self) -> str:
        where = f"第 {self.row} 行" if self.row else "表格"
        column = f"“{self.column}”" if self.column else ""
        value = f"（{self.value}）" if self.value else ""
        return f"{where}{column}{value}：{self.reason}"


# A report lists this many problems and counts the rest: a file wrong on every row would
# otherwise print a report as long as itself.
LISTED_AT_MOST = 300


@dataclass
class ImportReport:
    kind: str  # 人员 / 单位 / 联络人
    file: str
    sheet: str = ""
    rows: int = 0  # data rows read, blank rows not counted
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows already imported before (a work order's repeat): left as they are
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # handled on the way: merged cells, extra sheets

    @property
    def accepted(self) -> bool:
        return not self.problems

    def add(self, row: int | None, column: str, value: object, reason: str) -> None:
        self.problems.append(Problem(row, column, _shown(value), reason))

    def summary(self) -> str:
        if not self.accepted:
            rows = len({p.row for p in self.problems})
            return (
                f"导入{self.kind}未执行：{rows} 行共 {len(self.problems)} 处问题，"
                "数据库未作任何修改。请按下列清单改正后重新导入。"
            )
        verb = "检查通过（试导入，未写入）" if self.dry_run else "导入完成"
        repeats = f"，已导入过 {self.unchanged} 条（未作修改）" if self.unchanged else ""
        return (
            f"{verb}：共 {self.rows} 行，新增 {self.created} 条，更新 {self.updated} 条{repeats}。"
        )

    def text(self) -> str:
        lines = [
            self.summary(),
            f"文件：{self.file}" + (f"（工作表：{self.sheet}）" if self.sheet else ""),
        ]
        lines += [f"  {p.text()}" for p in self.problems[:LISTED_AT_MOST]]
        if len(self.problems) > LISTED_AT_MOST:
            lines.append(
                f"  ……另有 {len(self.problems) - LISTED_AT_MOST} 处问题未列出"
                "（多为同一类问题，请先改正以上各处后重新检查）。"
            )
        lines += [f"  说明：{n}" for n in self.notes]
        return "\n".join(lines)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value.replace(microsecond=0)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class ImportRejected(UserError):
    """Raised inside the import's transaction so nothing is written; carries the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


def write_report(report: ImportReport, path: Path) -> Path:
    """The report as a workbook the user can sort and work through."""
    from commandcenter.xlsx_write import Table, save_workbook

    rows = [[p.row or "", p.column, p.value, p.reason] for p in report.problems]
    rows += [["", "", "", f"说明：{n}"] for n in report.notes]
    return save_workbook(
        path,
        [
            Table(
                "导入问题清单",
                ["行号", "列", "内容", "问题"],
                rows,
                widths=[8, 16, 30, 70],
                title=report.summary(),
            )
        ],
    )
