"""The papers of a joint operation: 联合执法行动方案, 随机抽取记录 and 检查记录表.

The draw record is made to be published (双随机一公开): names, units, credit grades, weights,
the exclusions with their reasons, the seed and the algorithm, and no personal data beyond
names. The checklist is one page per target listing every merged item, so one visit checks all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import CertificateState, DrawKind, PlanStatus
from commandcenter.documents.layout import (
    LINE,
    TEXT_WIDTH,
    Letterhead,
    PageDecor,
    SignatureBlock,
    TableTail,
    audit_mark,
    build_pdf,
    escape,
    gap,
    grid_table,
    plain_row,
    styles,
    title_block,
)
from commandcenter.services import audit_evidence, draws, plans, settings
from commandcenter.services.actor import Actor

# A section heading, its table's header row and two rows.
TABLE_HEADING_ROOM = 35 * mm


@dataclass(frozen=True)
class Team:
    number: int
    officers: list[tuple[str, str, str]]  # name, unit, certificate number


@dataclass(frozen=True)
class TargetLine:
    name: str
    address: str
    uscc: str
    grid: str
    grade: str
    team: int
    result: str
    cap_override: str = ""  # "超出年度检查上限，经××批准：理由"


@dataclass(frozen=True)
class AttendanceLine:
    department: str
    attended: bool | None  # None: not recorded yet
    note: str


@dataclass(frozen=True)
class ItemLine:
    code: str
    name: str
    department: str
    legal_basis: str


@dataclass(frozen=True)
class PlanPaper:
    centre_name: str
    number: str | None
    title: str
    theme: str
    lead_unit: str
    departments: list[str]
    planned_on: date
    start_time: time | None
    end_time: time | None
    grids: list[str]
    objective: str
    items: list[ItemLine]
    targets: list[TargetLine]
    teams: list[Team]
    approved_by: str
    approved_at: datetime | None
    status: str
    attendance: list[AttendanceLine] = field(default_factory=list)
    letterhead: str | None = None  # the authority's 版头 chosen in 系统设置, else the centre's
    audit: str = ""  # where the audit log stood (审计 12345·3fa9c2e1), for the footer


def load_plan(session: Session, actor: Actor, plan_id: int) -> PlanPaper:
    plan, approver = plans.plan_for_paper(session, actor, plan_id)
    teams: dict[int, list[tuple[str, str, str]]] = {}
    for officer in sorted(plan.officers, key=lambda o: (o.team, o.person.name)):
        person = officer.person
        current = next((c for c in person.certificates if c.state is CertificateState.VALID), None)
        teams.setdefault(officer.team, []).append(
            (person.name, person.unit.short_name, current.number if current else "")
        )
    return PlanPaper(
        centre_name=settings.load(session).centre_name,
        letterhead=settings.letterhead(session).for_paper("plan"),
        audit=audit_mark(audit_evidence.chain_position(session)),
        number=plan.number,
        title=plan.title,
        theme=plan.theme.label,
        lead_unit=plan.lead_unit.name,
        departments=[d.name for d in plan.departments],
        planned_on=plan.planned_on,
        start_time=plan.start_time,
        end_time=plan.end_time,
        grids=[g.name for g in plan.grids],
        objective=plan.objective,
        items=[
            ItemLine(
                i.code,
                i.name,
                i.department.short_name if i.department else "街道执法中队",
                i.legal_basis or "",
            )
            for i in sorted(plan.items, key=lambda i: i.code)
        ],
        targets=[
            TargetLine(
                t.entity.name,
                t.entity.address or "",
                t.entity.uscc or "",
                t.entity.grid.name if t.entity.grid else "",
                t.entity.credit_grade.label,
                t.team,
                t.result.label,
                plans.cap_override_note(session, t),
            )
            for t in sorted(plan.targets, key=lambda t: (t.team, t.id))
        ],
        teams=[Team(n, officers) for n, officers in sorted(teams.items())],
        approved_by=approver.display_name if approver else "",
        approved_at=plan.approved_at,
        status=plan.status.label,
        attendance=[
            AttendanceLine(row.name, row.attended, row.note)
            for row in plans.attendance_of(session, actor, plan_id)
        ],
    )


def _window(paper: PlanPaper) -> str:
    text = timeutil.chinese_date(paper.planned_on)
    if paper.start_time and paper.end_time:
        text += f" {paper.start_time:%H:%M}—{paper.end_time:%H:%M}"
    return text


def _plan_story(paper: PlanPaper) -> list[Flowable]:
    st = styles()
    # A section heading goes over with its first lines, never alone at the foot of a page.
    head = ParagraphStyle(
        "head", parent=st.body, fontName=st.fonts.heading, firstLineIndent=0, keepWithNext=1
    )
    # A heading over a table cannot keep with all of it (a hundred targets run over pages, and
    # kept with its heading the whole table went to the next page, leaving this one half empty):
    # it starts a page only where its table's header and first rows would not fit under it.
    table_head = ParagraphStyle("table_head", parent=head, keepWithNext=0)
    sign = ParagraphStyle("sign", parent=st.body, alignment=TA_RIGHT, firstLineIndent=0)

    def para(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return Paragraph(escape(text), style)

    def heading_over_table(text: str) -> list[Flowable]:
        return [CondPageBreak(TABLE_HEADING_ROOM), para(text, table_head)]

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(text), st.cell)

    def label(text: str) -> Paragraph:
        return Paragraph(escape(text), st.cell_label)

    story: list[Flowable] = [
        Letterhead(
            paper.letterhead or paper.centre_name,
            _number_line(paper),
            red=paper.letterhead is not None,
        ),
        *title_block(paper.title, blank_lines_before=2 if paper.letterhead else 1),
        Spacer(1, LINE),
        para("一、行动目标", head),
        para(paper.objective or f"开展{paper.theme}，规范经营秩序。"),
        para("二、时间和范围", head),
        para(f"时间：{_window(paper)}。范围：{'、'.join(paper.grids)}。"),
        para("三、参加单位", head),
        para(f"牵头单位：{paper.lead_unit}。参加部门：{'、'.join(paper.departments) or '无'}。"),
        *heading_over_table("四、检查事项（进一次门、查多项事）"),
    ]
    item_rows = [[label("编码"), label("检查事项"), label("责任部门")]]
    item_rows += [[cell(i.code), cell(i.name), cell(i.department)] for i in paper.items]
    story.append(
        grid_table(item_rows, [24 * mm, TEXT_WIDTH - 58 * mm, 34 * mm], padding=2.5, header_rows=1)
    )
    story += heading_over_table("五、检查对象和分组")
    target_rows = [[label("组别"), label("检查对象"), label("地址"), label("信用等级")]]
    target_rows += [
        [cell(f"第{t.team}组"), cell(t.name), cell(t.address), cell(t.grade)] for t in paper.targets
    ]
    story.append(
        grid_table(
            target_rows,
            [18 * mm, 52 * mm, TEXT_WIDTH - 90 * mm, 20 * mm],
            padding=2.5,
            header_rows=1,
        )
    )
    notes = [t for t in paper.targets if t.cap_override]
    if notes:
        story.append(Spacer(1, 1 * mm))
    for t in notes:
        story.append(Paragraph(escape(f"注：{t.name}，{t.cap_override}。"), st.cell))
    story.append(para("六、执法人员", head))
    for team in paper.teams:
        names = "；".join(f"{n}（{u}，执法证号 {c}）" for n, u, c in team.officers)
        story.append(para(f"第{team.number}组：{names}。"))
    story += [
        para("七、工作要求", head),
        para(
            "检查人员应当出示执法证件，全程使用执法记录仪；一次进门完成全部检查事项，"
            "当场填写检查记录表；发现违法行为依法处置，需立案的及时报指挥中心登记。"
        ),
    ]
    story += _attendance_story(paper, para, head)
    approval = (
        f"审批：{paper.approved_by}（{timeutil.format_local(paper.approved_at)}）"
        if paper.approved_by
        else f"审批：{gap(20)}"
    )
    closing = [
        Spacer(1, 8 * mm),
        Paragraph(escape(approval) if paper.approved_by else approval, sign),
        # 成文日期: the day the plan was approved (signed), not the day it is carried out; left
        # blank to write by hand until then.
        SignatureBlock(
            paper.letterhead or paper.centre_name,
            timeutil.local_date(paper.approved_at) if paper.approved_at else None,
        ),
    ]
    # The 落款 goes over with the plan's last section (its heading and text), never alone onto
    # a page of its own, nor leaving the heading behind.
    start = max(n for n, f in enumerate(story) if isinstance(f, Paragraph) and f.style is head)
    story[start:] = [KeepTogether([*story[start:], *closing])]
    return story


def _attendance_story(
    paper: PlanPaper, para: Callable[[str, ParagraphStyle], Paragraph], head: ParagraphStyle
) -> list[Flowable]:
    """八、实施情况, once attendance is recorded: who came and who did not, with why."""
    recorded = [a for a in paper.attendance if a.attended is not None]
    if not recorded:
        return []
    st = styles()

    def named(lines: list[AttendanceLine]) -> str:
        return "、".join(a.department + (f"（{a.note}）" if a.note else "") for a in lines) or "无"

    came = [a for a in recorded if a.attended]
    absent = [a for a in recorded if not a.attended]
    return [
        para("八、实施情况", head),
        para(f"参加部门：{named(came)}。", st.body),
        para(f"未参加部门：{named(absent)}。", st.body),
    ]


def _number_line(paper: PlanPaper) -> str:
    if paper.status == PlanStatus.CANCELLED.label:
        return f"{paper.number}（已取消）" if paper.number else "（未编号，已取消）"
    return paper.number or "（未编号，待审批）"


def render_plan(paper: PlanPaper, path: Path) -> Path:
    # A cancelled plan prints as what it is: a record, not an order to carry out.
    cancelled = paper.status == PlanStatus.CANCELLED.label
    decor = PageDecor(
        title=f"联合执法行动方案 {paper.number or paper.title}",
        watermark="已取消" if cancelled else (None if paper.number else "样稿"),
        audit=paper.audit or None,
    )
    return build_pdf(path, _plan_story(paper), decor, author=paper.centre_name)


# --- the draw record ------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawPaper:
    centre_name: str
    number: str
    plan_title: str
    plan_number: str
    kind: str
    drawn_at: datetime
    drawn_by: str
    seed: str
    algorithm: str
    parameters: dict[str, Any]
    pool: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    result: list[dict[str, Any]]
    supersedes: str
    redraw_reason: str
    audit: str = ""  # where the audit log stood (审计 12345·3fa9c2e1), for the footer
    void: str = ""  # a record a redraw replaced prints as 作废, naming the one in force


def load_draw(session: Session, actor: Actor, draw_id: int) -> DrawPaper:
    draw, previous, drawer = draws.draw_for_paper(session, actor, draw_id)
    lines = draws.lines_for_paper(session, draw)
    later = draws.replaced_by(session, draw)
    return DrawPaper(
        centre_name=settings.load(session).centre_name,
        audit=audit_mark(audit_evidence.chain_position(session)),
        number=draw.doc_number or "",
        plan_title=draw.plan.title,
        plan_number=draw.plan.number or "",
        kind=draw.kind.label,
        drawn_at=draw.drawn_at,
        drawn_by=drawer.display_name if drawer else "",
        seed=draw.seed,
        algorithm=draw.algorithm_version,
        parameters=dict(draw.parameters or {}),
        pool=lines.pool,
        exclusions=lines.exclusions,
        result=lines.result,
        supersedes=(previous.doc_number or f"第 {previous.id} 号记录") if previous else "",
        redraw_reason=draw.redraw_reason or "",
        void=(f"已由{later.doc_number or f'第 {later.id} 号记录'}重新抽取替代" if later else ""),
    )


def _target_scope(parameters: dict[str, Any]) -> str:
    """Which industries the targets were drawn from, and why, when beyond the plan's items."""
    industries = parameters.get("industries")
    if industries is None:  # drawn before the pool followed the items
        industry = parameters.get("industry")
        return f"行业：{industry}" if industry else "行业：不限"
    text = "行业：" + ("、".join(industries) or "不限")
    if parameters.get("widened"):
        return text + f"（超出检查事项适用行业，扩大范围理由：{parameters['widened']}）"
    return text + ("（按检查事项适用行业）" if industries else "（检查事项不限行业）")


LAST_ROWS = 3  # of a draw record's last table, kept on the page of its signatures


def _draw_story(paper: DrawPaper) -> list[Flowable]:
    st = styles()
    small, small_label = st.small, st.small_label

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(text), small)

    def label(text: str) -> Paragraph:
        return Paragraph(escape(text), small_label)

    inspectors = paper.kind == DrawKind.INSPECTORS.label
    facts = [
        [label("行动方案"), cell(f"{paper.plan_title}（{paper.plan_number or '待编号'}）")],
        [label("抽取内容"), cell(paper.kind)],
        [
            label("抽取时间"),
            cell(f"{timeutil.format_local(paper.drawn_at)}　操作人：{paper.drawn_by}"),
        ],
        [label("随机种子"), cell(paper.seed)],
        [
            label("抽取方法"),
            cell(
                f"算法 {paper.algorithm}：以随机种子初始化梅森旋转随机数发生器，按候选名单顺序和权重"
                "逐个不放回抽取；任何人可用本记录的种子和候选名单复算，结果应与本记录一致。"
            ),
        ],
    ]
    if not inspectors:
        facts.append([label("抽取范围"), cell(_target_scope(paper.parameters))])
    if paper.supersedes:
        facts.append(
            [label("重新抽取"), cell(f"替代 {paper.supersedes}；理由：{paper.redraw_reason}")]
        )
    number = paper.number or "（未编号）"
    story: list[Flowable] = [
        Paragraph(escape(paper.centre_name), st.form_subtitle),
        Paragraph("随机抽取记录", st.form_title),
        Paragraph(escape(number + (f"（作废：{paper.void}）" if paper.void else "")), st.number),
        grid_table(facts, [24 * mm, TEXT_WIDTH - 24 * mm], padding=2),
        Spacer(1, 3 * mm),
        Paragraph("抽取结果", st.heading),
    ]

    def table(
        head: list[str], rows: list[list[object]], widths_mm: Sequence[float]
    ) -> list[Flowable]:
        """A table whose header row repeats on every page it runs onto; the last column
        takes what the others leave. Its last rows are a table of their own, read as one with
        it, so the record's signatures can go over with them."""
        widths = [w * mm for w in widths_mm]
        widths.append(TEXT_WIDTH - sum(widths))
        cells = [[cell(v) for v in row] for row in rows]
        split = max(len(cells) - LAST_ROWS, 0)
        header = [label(h) for h in head]
        main = grid_table([header, *cells[:split]], widths, padding=1.5, header_rows=1)
        return (
            [main, TableTail([header], cells[split:], widths, padding=1.5)]
            if cells[split:]
            else [main]
        )

    if inspectors:
        story.extend(
            table(
                ["序号", "姓名", "单位", "组别"],
                [
                    [n, r.get("name", ""), r.get("unit", ""), f"第{r.get('team', 1)}组"]
                    for n, r in enumerate(paper.result, 1)
                ],
                [12, 34, 80],
            )
        )
    else:
        story.extend(
            table(
                ["序号", "检查对象", "统一社会信用代码", "地址", "信用等级", "组别"],
                [
                    [
                        n,
                        r.get("name", ""),
                        r.get("uscc", "") or "—",
                        r.get("address", ""),
                        r.get("grade", ""),
                        f"第{r.get('team', 1)}组",
                    ]
                    for n, r in enumerate(paper.result, 1)
                ],
                [12, 34, 38, 41, 17],
            )
        )
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(f"候选名单（{len(paper.pool)}）", st.heading))
    if inspectors:
        story.extend(
            table(
                ["序号", "姓名", "单位", "权重"],
                [
                    [n, p.get("name"), p.get("unit", ""), p.get("weight")]
                    for n, p in enumerate(paper.pool, 1)
                ],
                [12, 34, 80],
            )
        )
    else:
        story.extend(
            table(
                ["序号", "检查对象", "统一社会信用代码", "信用等级", "近一年投诉", "权重"],
                [
                    [
                        n,
                        p.get("name"),
                        p.get("uscc", "") or "—",
                        p.get("grade", ""),
                        "有" if p.get("complaints") else "无",
                        p.get("weight"),
                    ]
                    for n, p in enumerate(paper.pool, 1)
                ],
                [12, 46, 38, 20, 24],
            )
        )
    if paper.exclusions:
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(f"未列入候选（{len(paper.exclusions)}）", st.heading))
        if inspectors:
            head, key, widths = ["姓名", "单位", "原因"], "unit", [24, 40]
        else:
            head, key, widths = ["名称", "统一社会信用代码", "原因"], "uscc", [44, 38]
        story.extend(
            table(
                head,
                [[e.get("name"), e.get(key, "") or "—", e.get("reason")] for e in paper.exclusions],
                widths,
            )
        )
    # Three fixed columns, so the date never wraps away from the names ("月 日" alone on a line).
    signatures = plain_row(
        [
            Paragraph("监督人：", st.cell),
            Paragraph("记录人：", st.cell),
            Paragraph(f"日期：{gap(6)}年{gap(3)}月{gap(3)}日", st.cell),
        ],
        [TEXT_WIDTH * 0.3, TEXT_WIDTH * 0.3, TEXT_WIDTH * 0.4],
    )
    # The signatures go over with the last table's last rows, never alone on a page.
    last_rows = story.pop()  # the story ends in a table: the pool's or the exclusions'
    story.append(KeepTogether([last_rows, Spacer(1, 6 * mm), signatures]))
    return story


def render_draw(paper: DrawPaper, path: Path) -> Path:
    title = f"随机抽取记录 {paper.number}"
    decor = PageDecor(
        title=title,
        form=True,
        continued=title,
        audit=paper.audit or None,
        watermark="作废" if paper.void else None,
    )
    return build_pdf(path, _draw_story(paper), decor, author=paper.centre_name)


# --- the checklist --------------------------------------------------------------------------


def _checklist_story(paper: PlanPaper) -> list[Flowable]:
    st = styles()

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(text), st.cell)

    def label(text: str) -> Paragraph:
        return Paragraph(escape(text), st.cell_label)

    teams = {t.number: t for t in paper.teams}
    story: list[Flowable] = []
    for n, target in enumerate(paper.targets, 1):
        if n > 1:
            story.append(PageBreak())
        team = teams.get(target.team)
        officers = "；".join(f"{o[0]}（{o[2]}）" for o in team.officers) if team else ""
        head = grid_table(
            [
                [label("检查对象"), cell(target.name), label("信用等级"), cell(target.grade)],
                [
                    label("统一社会\n信用代码"),
                    cell(target.uscc or "—"),
                    label("网格"),
                    cell(target.grid),
                ],
                [label("地址"), cell(target.address), "", ""],
                [label("检查人员"), cell(f"第{target.team}组：{officers}"), "", ""],
                [label("检查时间"), cell(f"{_window(paper)}"), "", ""],
            ],
            # The object takes room from the grid, so a twelve-character firm keeps to one line.
            [26 * mm, TEXT_WIDTH / 2 - 10 * mm, 22 * mm, TEXT_WIDTH / 2 - 38 * mm],
            [("SPAN", (1, 2), (3, 2)), ("SPAN", (1, 3), (3, 3)), ("SPAN", (1, 4), (3, 4))],
            padding=2.5,
        )
        rows = [[label("序号"), label("检查事项"), label("责任部门"), label("检查情况")]]
        rows += [
            [cell(k), cell(f"{i.code} {i.name}"), cell(i.department), cell("□符合　□不符合")]
            for k, i in enumerate(paper.items, 1)
        ]
        widths = [12 * mm, TEXT_WIDTH - 88 * mm, 32 * mm, 44 * mm]
        # A long list of items runs over with its header repeated; its last two rows go over
        # with the findings and signature box, which never stands alone on a page.
        split = max(len(rows) - 2, 1)
        items = grid_table(rows[:split], widths, padding=2.5, header_rows=1)
        last_items = (
            [TableTail(rows[:1], rows[split:], widths, padding=2.5)] if rows[split:] else []
        )
        story += [
            Paragraph(escape(paper.centre_name), st.form_subtitle),
            Paragraph("联合检查记录表", st.form_title),
            Paragraph(escape(f"{paper.number or paper.title}　第 {n} 份"), st.number),
            head,
            Spacer(1, 3 * mm),
            items,
            KeepTogether(
                [
                    *last_items,
                    Spacer(1, 3 * mm),
                    grid_table(
                        [
                            [label("发现问题\n及处理"), cell("\n\n\n")],
                            [
                                label("签名"),
                                Paragraph(
                                    f"检查人员：{gap(24)}被检查单位负责人：{gap(24)}", st.cell
                                ),
                            ],
                        ],
                        [26 * mm, TEXT_WIDTH - 26 * mm],
                        padding=4,
                    ),
                ]
            ),
        ]
    if not story:
        story.append(Paragraph("该方案还没有检查对象。", st.body))
    return story


def render_checklist(paper: PlanPaper, path: Path) -> Path:
    decor = PageDecor(title=f"检查记录表 {paper.number or paper.title}", form=True)
    return build_pdf(path, _checklist_story(paper), decor, author=paper.centre_name)


# --- by number, for the pane and the command line -------------------------------------------


def print_plan(session: Session, actor: Actor, number: str, path: Path) -> Path:
    return render_plan(load_plan(session, actor, plans.find_plan(session, number).id), path)


def print_checklist(session: Session, actor: Actor, number: str, path: Path) -> Path:
    return render_checklist(load_plan(session, actor, plans.find_plan(session, number).id), path)


def print_draw(session: Session, actor: Actor, number: str, path: Path) -> Path:
    return render_draw(load_draw(session, actor, draws.find_draw(session, number)), path)
