"""Every kind of paper the application prints, with a way to render a sample of each.

``selftest`` renders one of each from the database it runs on, so a missing font, a broken
template or a changed model shows up before an operator presses 打印.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.documents import (
    assessment_papers,
    assessment_results,
    briefing_papers,
    bulletin,
    certificate_review,
    dispatch_order,
    incident_letters,
    inspection_papers,
    interview_notice,
    liaison_directory,
    minutes,
    plan_papers,
    reply_slip,
)
from commandcenter.errors import NotFound
from commandcenter.services import (
    annual_inspection_plan,
    briefings,
    draws,
    inspection_publication,
    meetings,
    plans,
)
from commandcenter.services import certificate_review as review_service
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import sheets
from commandcenter.services.followups import paper_reads
from commandcenter.services.incidents import paper_records, replies


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    render_sample: Callable[[Session, Actor, Path], Path]


def _sample_dispatch_order(session: Session, actor: Actor, path: Path) -> Path:
    incident_id = paper_records.sample_dispatch_incident(session)
    if incident_id is None:
        raise NotFound("数据库中没有事件，无法生成指挥调度单样张。")
    return dispatch_order.render(dispatch_order.load(session, actor, incident_id), path)


def _sample_transfer_letter(session: Session, actor: Actor, path: Path) -> Path:
    transfer_id = paper_records.newest_transfer(session)
    if transfer_id is None:
        raise NotFound("数据库中没有移送记录，无法生成案件移送函样张。")
    return incident_letters.render(
        incident_letters.load_transfer(session, actor, transfer_id), path
    )


def _sample_supervision(session: Session, actor: Actor, path: Path) -> Path:
    found = paper_records.newest_supervision(session)
    if found is None:
        raise NotFound("数据库中没有督办文书，无法生成督办函样张。")
    return incident_letters.render(incident_letters.load_supervision(session, actor, found), path)


def _sample_reply_slip(session: Session, actor: Actor, path: Path) -> Path:
    found = replies.newest_replied(session)
    if found is None:
        raise NotFound("数据库中没有办结回复，无法生成办结回复单样张。")
    return reply_slip.print_reply(session, actor, found, path)


def _sample_interview_notice(session: Session, actor: Actor, path: Path) -> Path:
    found = paper_reads.newest_interview(session)
    if found is None:
        raise NotFound("数据库中没有约谈记录，无法生成约谈提醒书样张。")
    return interview_notice.render(interview_notice.load(session, actor, found), path)


def _latest_plan(session: Session) -> int:
    found = plans.newest_approved_plan(session)
    if found is None:
        raise NotFound("数据库中没有已审批的行动方案，无法生成样张。")
    return found


def _sample_plan(session: Session, actor: Actor, path: Path) -> Path:
    return plan_papers.render_plan(
        plan_papers.load_plan(session, actor, _latest_plan(session)), path
    )


def _sample_checklist(session: Session, actor: Actor, path: Path) -> Path:
    paper = plan_papers.load_plan(session, actor, _latest_plan(session))
    return plan_papers.render_checklist(paper, path)


def _sample_draw(session: Session, actor: Actor, path: Path) -> Path:
    found = draws.newest_draw(session)
    if found is None:
        raise NotFound("数据库中没有随机抽取记录，无法生成样张。")
    return plan_papers.render_draw(plan_papers.load_draw(session, actor, found), path)


def _sample_directory(session: Session, actor: Actor, path: Path) -> Path:
    return liaison_directory.render(liaison_directory.load(session, actor), path)


def _sample_certificate_review(session: Session, actor: Actor, path: Path) -> Path:
    year = timeutil.today().year
    return certificate_review.render(review_service.build(session, actor, year), path)


def _sample_assessment_sheet(session: Session, actor: Actor, path: Path) -> Path:
    sheet_id = sheets.newest_sheet(session)
    if sheet_id is None:
        raise NotFound("数据库中还没有考核评价表。")
    return assessment_papers.print_sheet(session, actor, sheet_id, path)


def _sample_bulletin(session: Session, actor: Actor, path: Path) -> Path:
    today = timeutil.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return bulletin.print_monthly(session, actor, year, month, path)


def _sample_minutes(session: Session, actor: Actor, path: Path) -> Path:
    return minutes.print_minutes(session, actor, meetings.find_meeting(session, None), path)


def _sample_weekly(session: Session, actor: Actor, path: Path) -> Path:
    week = briefings.last_full_week(timeutil.today())
    return briefing_papers.print_weekly(session, actor, week, path)


def _sample_notice(session: Session, actor: Actor, path: Path) -> Path:
    found = inspection_publication.newest_publication(session)
    if found is not None:
        notice = inspection_publication.notice_for_paper(session, actor, found)
    else:
        start, end = inspection_publication.default_period(timeutil.today())
        notice = inspection_publication.draft_notice_for_paper(session, actor, start, end)
    return inspection_papers.render_notice(notice, path)


def _sample_coverage(session: Session, actor: Actor, path: Path) -> Path:
    report, centre = annual_inspection_plan.coverage_for_paper(
        session, actor, timeutil.today().year
    )
    return inspection_papers.render_coverage(report, centre, path)


DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("dispatch-order", "指挥调度单", _sample_dispatch_order),
    DocumentKind("transfer-letter", "案件移送函", _sample_transfer_letter),
    DocumentKind("supervision", "督办函", _sample_supervision),
    DocumentKind("reply-slip", "办结回复单", _sample_reply_slip),
    DocumentKind("interview-notice", "约谈提醒书", _sample_interview_notice),
    DocumentKind("plan", "联合执法行动方案", _sample_plan),
    DocumentKind("draw-record", "随机抽取记录", _sample_draw),
    DocumentKind("checklist", "检查记录表", _sample_checklist),
    DocumentKind("inspection-notice", "抽查结果公示", _sample_notice),
    DocumentKind("annual-inspection-coverage", "年度检查总计划执行情况", _sample_coverage),
    DocumentKind("liaison-directory", "通讯名录", _sample_directory),
    DocumentKind("certificate-review", "执法证年度清理表", _sample_certificate_review),
    DocumentKind("assessment-sheet", "考核评价表", _sample_assessment_sheet),
    DocumentKind("results-letter", "考核结果通报函", assessment_results.sample_letter),
    DocumentKind("recommendation", "推荐提名函", assessment_results.sample_recommendation),
    DocumentKind("personnel-motion", "人事调整动议书", assessment_results.sample_motion),
    DocumentKind("bulletin", "月通报", _sample_bulletin),
    DocumentKind("minutes", "会议纪要", _sample_minutes),
    DocumentKind("huddle", "日碰头清单", briefing_papers.print_daily),
    DocumentKind("weekly", "周例会材料", _sample_weekly),
)
