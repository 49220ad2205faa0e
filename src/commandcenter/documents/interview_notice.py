"""约谈提醒书: the notice calling a unit's responsible person to a 约谈 (seed 002 约谈提醒).

After GB/T 9704 like the other letters: the centre, the title and number, the addressee, why
and when and where, who conducts it, what to bring, the contact, the centre and the date."""

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
    styles,
    title_block,
)
from commandcenter.services.actor import Actor
from commandcenter.services.followups.paper_reads import InterviewNotice, interview_notice


def load(session: Session, actor: Actor, interview_id: int) -> InterviewNotice:
    return interview_notice(session, actor, interview_id)


def _story(notice: InterviewNotice) -> list[Flowable]:
    st = styles()
    plain = ParagraphStyle("plain", parent=st.body, firstLineIndent=0)

    def para(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return Paragraph(escape(text), style)

    when = timeutil.to_local(notice.scheduled_at)
    moment = f"{timeutil.chinese_date(when.date())}{when.hour}时{when.minute:02d}分"
    about = f"（涉及事件 {notice.incident_number}）" if notice.incident_number else ""
    story: list[Flowable] = [
        Letterhead(notice.centre_name, notice.number, red=False),
        *title_block("约谈提醒书", blank_lines_before=1),
        Spacer(1, LINE),  # 标题下空一行
        para(f"{notice.addressee}：", plain),
        para(f"因{notice.reason}{about}，经研究，决定对你单位进行约谈。现将有关事项提醒如下："),
        para(f"一、约谈时间：{moment}"),
        para(f"二、约谈地点：{notice.place or '另行通知'}"),
        para(f"三、约谈对象：{notice.person}"),
        para(f"四、约谈人：{notice.conducted_by}"),
        para(
            "五、请被约谈人按时参加，不得无故缺席或委托他人参加；"
            "并就约谈事由准备书面说明（问题原因、整改措施、完成时限和责任人），约谈时提交。"
        ),
        para("约谈中作出的整改承诺将予记录，指挥中心将按约定日期跟进核查，核查情况计入单位考核。"),
    ]
    # The 落款 (right four characters in, with room for the seal) goes over with the last
    # paragraph and the contact line, never alone on a page.
    story.append(
        KeepTogether(
            [
                story.pop(),
                para(f"联系人：{notice.contact}"),
                SignatureBlock(notice.centre_name, timeutil.local_date(notice.issued_at)),
            ]
        )
    )
    return story


def render(notice: InterviewNotice, path: Path) -> Path:
    return build_pdf(
        path,
        _story(notice),
        PageDecor(title=f"约谈提醒书 {notice.number}"),
        author=notice.centre_name,
    )
