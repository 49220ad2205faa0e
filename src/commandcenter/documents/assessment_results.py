"""考核结果运用 papers: 考核结果通报函, 推荐提名函 and 人事调整动议书 (seed 000, 四(一)(二)).

Letters after GB/T 9704 like the incident letters: the issuer above the title, the number, the
addressee (the department's full name), the body in 三号 FangSong, the issuer and the date at the
foot. The figures come from the locked sheets (services/assessment/results.py).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.documents.layout import (
    LINE,
    Letterhead,
    PageDecor,
    SignatureBlock,
    build_pdf,
    escape,
    gap,
    styles,
    title_block,
)
from commandcenter.errors import NotFound
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import results
from commandcenter.services.assessment.results import (
    AgencyResult,
    Frame,
    Motion,
    Recommendation,
    ResultsLetter,
    ResultsPaper,
)

LETTER, RECOMMENDATION, MOTION = "考核结果通报函", "推荐提名函", "人事调整动议书"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _figures(r: AgencyResult, frame: Frame) -> str:
    grade = r.grade.label if r.grade else "待定"
    return (
        f"综合得分{_points(r.total)}分，在本年度{r.of}个派驻机构中"
        f"{'并列' if r.tied else '列'}第{r.rank or '—'}名，"
        f"考核等次为“{grade}”。其中街道评价得分{_points(r.street)}分"
        f"（占{frame.street_weight:g}%），部门评价得分{_points(r.department_part)}分"
        f"（占{frame.department_weight:g}%）。"
    )


# How an official letter refers back to an agency: by the last character of its name
# (梅山市场监督管理所 -> 该所, 梅山监督站 -> 该站), or 该单位 for any other name.
_AGENCY_WORDS = "所站局队"
# Typed text closed by any of these is already a finished sentence.
_SENTENCE_ENDS = "。！？；…”"


def this_agency(agency: str) -> str:
    last = agency.strip()[-1:]
    return f"该{last}" if last and last in _AGENCY_WORDS else "该单位"


def sentence(text: str) -> str:
    """Typed text as a sentence of the paper: a full stop added where the writer left none."""
    text = text.strip()
    return text if not text or text[-1] in _SENTENCE_ENDS else text + "。"


def _period(frame: Frame) -> str:
    return f"考核数据期间为{frame.period.text}"


def _committee(frame: Frame) -> str:
    return f"中共{frame.street_name}工作委员会"


def _head(frame: Frame, kind: str, issuer: str) -> list[Flowable]:
    # The GB/T 9704 head: the issuer, the 发文字号 centred under it, the title, a blank line.
    return [
        Letterhead(issuer, frame.number, red=False),
        *title_block(kind, blank_lines_before=1),
        Spacer(1, LINE),
    ]


def _foot(last: Flowable, issuer: str, frame: Frame) -> Flowable:
    """The last paragraph kept with the issuer and date: a signature never stands alone."""
    return KeepTogether([last, SignatureBlock(issuer, frame.dated)])


def _plain() -> ParagraphStyle:
    return ParagraphStyle("results_plain", parent=styles().body, firstLineIndent=0)


def _letter_story(letter: ResultsLetter) -> list[Flowable]:
    st = styles()
    f = letter.frame
    story = _head(f, LETTER, f.street_office)
    story += [
        Paragraph(f"{escape(letter.department)}：", _plain()),
        Paragraph(
            escape(
                f"根据派驻机构双向考核有关规定，{f.street_name}已完成{f.year}年度派驻机构考核"
                f"（{f.scheme_name}，{_period(f)}），考核评价表已经街道分管领导锁定签发。"
                f"现将你单位派驻{f.street_name}机构的考核结果通报如下："
            ),
            st.body,
        ),
    ]
    for n, r in enumerate(letter.agencies, start=1):
        story.append(Paragraph(escape(f"{n}. {r.agency}：{_figures(r, f)}"), st.body))
    closing = Paragraph(
        escape(
            "考核结果作为派驻机构干部评先评优、提拔使用和年度考核的重要依据，"
            "请你单位在干部考核评价中予以运用。如对考核结果有异议，"
            "请自收到本函之日起十个工作日内向街道综合行政执法指挥中心书面提出。"
        ),
        st.body,
    )
    story.append(_foot(closing, f.street_office, f))
    return story


def _recommendation_story(paper: Recommendation) -> list[Flowable]:
    st = styles()
    f, r = paper.frame, paper.result
    who = escape(paper.head) if paper.head else gap(24)
    story = _head(f, RECOMMENDATION, _committee(f))
    story += [
        Paragraph(f"{escape(r.department)}：", _plain()),
        Paragraph(
            escape(
                f"{r.agency}在{f.street_name}{f.year}年度派驻机构考核中（{_period(f)}），"
                + _figures(r, f)
            ),
            st.body,
        ),
        Paragraph(
            escape(
                f"{this_agency(r.agency)}履职尽责、配合街道综合行政执法工作成效明显，"
                "驻在地群众评价较好。"
                "根据派驻机构双向考核和干部管理有关规定，街道党工委对表现优秀的派驻机构干部"
                "有推荐提名权。现推荐："
            ),
            st.body,
        ),
        Paragraph(f"被推荐人：{who}（{escape(r.agency)}）", st.body),
        _foot(
            Paragraph(
                escape("请你单位在干部评先评优、提拔使用中予以优先考虑，并将采纳情况函告街道。"),
                st.body,
            ),
            _committee(f),
            f,
        ),
    ]
    return story


def _motion_story(paper: Motion) -> list[Flowable]:
    st = styles()
    f, r = paper.frame, paper.result
    head = f"{paper.head_position}{paper.head_name}" if paper.head_position else paper.head_name
    story = _head(f, MOTION, _committee(f))
    story += [
        Paragraph(f"{escape(r.department)}：", _plain()),
        Paragraph(
            escape(
                f"{r.agency}在{f.street_name}{f.year}年度派驻机构考核中（{_period(f)}），"
                + _figures(r, f)
            ),
            st.body,
        ),
        Paragraph(escape(f"动议理由：{sentence(paper.reasons)}"), st.body),
        Paragraph(
            escape(
                f"经{timeutil.chinese_date(paper.meeting_date)}{paper.meeting_name}研究，"
                f"{sentence(paper.decision)}"
            ),
            st.body,
        ),
        _foot(
            Paragraph(
                escape(
                    "根据派驻机构双向考核和干部管理有关规定，对工作实绩差、群众满意度低的派驻"
                    "机构科级领导干部，街道党工委可以向区级部门提出人事调整动议。"
                    f"现就{this_agency(r.agency)}主要负责人{head}提出人事调整动议，"
                    "请你单位充分采纳，并将处理结果函告街道党工委。"
                ),
                st.body,
            ),
            _committee(f),
            f,
        ),
    ]
    return story


def title_of(paper: ResultsPaper) -> str:
    if isinstance(paper, ResultsLetter):
        return f"{LETTER}（{paper.department}）"
    if isinstance(paper, Recommendation):
        return f"{RECOMMENDATION}（{paper.result.agency}）"
    return f"{MOTION}（{paper.result.agency}）"


def render(paper: ResultsPaper, path: Path) -> Path:
    if isinstance(paper, ResultsLetter):
        story = _letter_story(paper)
    elif isinstance(paper, Recommendation):
        story = _recommendation_story(paper)
    else:
        story = _motion_story(paper)
    return build_pdf(
        path,
        story,
        PageDecor(
            title=f"{title_of(paper)} {paper.frame.number}",
            watermark="样稿" if paper.frame.sample else None,
        ),
        author=paper.frame.street_office,
    )


def _rendered(paper: ResultsPaper | None, path: Path) -> Path:
    if paper is None:  # only when asked not to number: the print paths always number
        raise NotFound("该文书尚未编号。")
    return render(paper, path)


def print_letter(
    session: Session, actor: Actor, scheme_id: int, department_id: int, path: Path
) -> Path:
    """Print (in a write scope: the first printing takes a number) the results letter."""
    return _rendered(results.letter_for_paper(session, actor, scheme_id, department_id), path)


def print_recommendation(session: Session, actor: Actor, sheet_id: int, path: Path) -> Path:
    return _rendered(results.recommendation_for_paper(session, actor, sheet_id), path)


def print_motion(session: Session, actor: Actor, sheet_id: int, path: Path) -> Path:
    return _rendered(results.motion_for_paper(session, actor, sheet_id), path)


def sample_letter(session: Session, actor: Actor, path: Path) -> Path:
    return render(results.samples(session, actor)[0], path)


def sample_recommendation(session: Session, actor: Actor, path: Path) -> Path:
    return render(results.samples(session, actor)[1], path)


def sample_motion(session: Session, actor: Actor, path: Path) -> Path:
    return render(results.samples(session, actor)[2], path)
