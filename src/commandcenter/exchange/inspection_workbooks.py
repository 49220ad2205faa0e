"""Workbooks of 双随机一公开's 公开 and the year's plan: the 抽查结果公示 list (every item named in
full, which the printed notice shortens), the coverage, and the 年度检查总计划 in a layout that
is exported, edited and imported back.

The plan's import replaces the year's lines as a whole, all or nothing, with every problem listed
by row and column like the other imports. It is planning work, so it asks for the permission to
draft plans (the service checks it) rather than the administrator's reference-data import.
"""

from __future__ import annotations

from pathlib import Path

from commandcenter.db.engine import Database
from commandcenter.exchange.report import ImportRejected, ImportReport
from commandcenter.exchange.xlsx_read import (
    CellError,
    Column,
    SheetRow,
    as_int,
    as_text,
    read_table,
)
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services.actor import Actor
from commandcenter.services.annual_inspection_plan import Coverage
from commandcenter.services.inspection_publication import Notice
from commandcenter.xlsx_write import Table, save_workbook

_NOTICE_HEADERS = [
    "序号",
    "检查对象",
    "统一社会信用代码",
    "行动方案",
    "检查日期",
    "检查事项",
    "检查结果",
]


def export_notice(notice: Notice, path: Path) -> Path:
    state = (
        f"（{notice.published_on.isoformat()}于{notice.place}公示）"
        if notice.published_on
        else "（未公示）"
    )
    rows = [
        [n, r.entity, r.uscc, r.plan, r.inspected_on, r.items, r.result]
        for n, r in enumerate(notice.rows, start=1)
    ]
    return save_workbook(
        path,
        [
            Table(
                "抽查结果公示",
                _NOTICE_HEADERS,
                rows,
                widths=[6, 30, 22, 36, 12, 60, 10],
                title=f"{notice.title}{state}",
                text_columns=["统一社会信用代码"],
            )
        ],
    )


def export_coverage(report: Coverage, centre_name: str, path: Path) -> Path:
    lines = Table(
        "计划执行情况",
        ["行业", "部门", "在册（家）", "抽查比例（%）", "频次（次/年）", "全覆盖", "应查（家）",
         "应查（次）", "已查（家）", "查足（家）", "检查（户次）", "已安排（户次）", "执行情况"],
        [
            [line.industry, line.department, line.registered, line.percent, line.frequency,
             "是" if line.full_coverage else "否", line.planned, line.planned_visits,
             line.checked, line.enough, line.visits, line.scheduled, line.verdict]
            for line in report.lines
        ],
        widths=[12, 30, 10, 10, 10, 8, 10, 10, 10, 10, 10, 12, 30],
        title=f"{centre_name} {report.title}执行情况（截至 {report.as_of.isoformat()}）："
        f"{report.conclusion}",
    )  # fmt: skip
    operations = Table(
        "联合行动计入情况",
        ["行动方案", "文号", "检查日期", "状态", "已查（户次）", "待查（户次）", "计入计划"],
        [
            [p.title, p.number, p.planned_on, p.status, p.inspected, p.waiting, p.lines]
            for p in report.plans
        ],
        widths=[36, 20, 12, 10, 12, 12, 60],
    )
    unchecked = Table(
        "本年度从未检查",
        ["检查对象", "统一社会信用代码", "行业", "网格", "信用等级", "须全覆盖"],
        [
            [u.name, u.uscc, u.industry, u.grid, u.grade, "是" if u.must else ""]
            for u in report.unchecked
        ],
        widths=[36, 22, 12, 20, 10, 10],
        text_columns=["统一社会信用代码"],
    )
    return save_workbook(path, [lines, operations, unchecked])


# --- the year's plan, out and back in --------------------------------------------------------------

PLAN_SHEET = "年度检查总计划"
PLAN_COLUMNS = (
    Column(
        "industry",
        "行业",
        ("行业类别", "所属行业"),
        note=f"与检查对象名录的“行业”一致；不填或填“{annual.ALL_INDUSTRIES}”指全部行业。",
    ),
    Column(
        "department",
        "部门",
        ("检查部门", "责任部门", "单位"),
        note="单位全称或简称；不填指各部门（牵头或参加联合行动的任一单位）。",
        width=32,
    ),
    Column("percent", "抽查比例", ("比例", "抽查比例%"), note="百分比的整数，例如 10。全覆盖的填 100。"),
    Column("frequency", "检查频次", ("频次", "每年次数"), required=True, note="每家每年检查的次数。"),
    Column("full", "全覆盖", ("是否全覆盖",), choices=("是", "否"), note="是：须检查全部在册对象。"),
)  # fmt: skip


def _plan_table(rows: list[list[object]]) -> Table:
    return Table(
        PLAN_SHEET,
        [c.header + ("*" if c.required else "") for c in PLAN_COLUMNS],
        rows,
        widths=[c.width for c in PLAN_COLUMNS],
        notes={c.header + ("*" if c.required else ""): c.note for c in PLAN_COLUMNS if c.note},
        choices={c.header: c.choices for c in PLAN_COLUMNS if c.choices},
    )


def export_plan(report: Coverage, path: Path) -> Path:
    """The year's lines in the import's layout (an empty template for a year without a plan)."""
    return save_workbook(
        path,
        [
            _plan_table(
                [
                    [
                        line.industry,
                        "" if line.department == annual.ANY_DEPARTMENT else line.department,
                        line.percent,
                        line.frequency,
                        "是" if line.full_coverage else "否",
                    ]
                    for line in report.lines
                ]
            )
        ],
    )


def import_plan(db: Database, actor: Actor, year: int, path: Path) -> ImportReport:
    """Replace *year*'s lines with the workbook's; raises :class:`ImportRejected` with every
    problem and changes nothing when a row is wrong."""
    report = ImportReport(f"{year}年度检查总计划", str(path))
    rows = read_table(Path(path), PLAN_COLUMNS, (PLAN_SHEET, "检查计划", "年度计划"), report)
    if not report.problems and not rows:
        report.add(None, "", "", "表格中没有数据行。")
    if report.problems:
        raise ImportRejected(report)
    header = {c.key: c.header for c in PLAN_COLUMNS}
    with db.write() as session:
        forms: list[annual.LineForm] = []
        keys: list[tuple[str, object]] = []
        for row in rows:
            report.rows += 1
            values = row.values

            def number(key: str, row: SheetRow = row) -> int | None:
                try:
                    return as_int(row.values.get(key))
                except CellError as exc:
                    report.add(row.number, header[key], row.values.get(key), str(exc))
                    return None

            department = as_text(values.get("department"))
            unit_id = annual.department_named(session, department) if department else None
            if department and unit_id is None:
                report.add(row.number, "部门", department, f"系统中没有单位“{department}”。")
            full_text = as_text(values.get("full"))
            if full_text not in ("", "是", "否"):
                report.add(row.number, "全覆盖", full_text, "请填“是”或“否”。")
            form = annual.LineForm(
                industry=as_text(values.get("industry")),
                department_id=unit_id,
                percent=number("percent"),
                frequency=number("frequency"),
                full_coverage=full_text == "是",
            )
            _values, problems = annual.line_values(session, form)
            told = {p.column for p in report.problems if p.row == row.number}
            for problem in problems:
                column = {"percent": "抽查比例", "frequency": "检查频次"}.get(
                    problem.field or "", ""
                )
                if column not in told:  # a cell that is no number is told once
                    report.add(row.number, column, "", str(problem))
            forms.append(form)
            # An unknown department is told above; it is no repeat of a blank one.
            keys.append((form.industry.strip() or annual.ALL_INDUSTRIES, unit_id or department))
        for row, key in zip(rows, keys, strict=True):
            if keys.count(key) > 1:
                report.add(row.number, "行业", key[0], "同一行业和部门在表中出现多次。")
        if report.problems:
            raise ImportRejected(report)
        report.created = annual.replace_lines(session, actor, year, forms)
    return report
