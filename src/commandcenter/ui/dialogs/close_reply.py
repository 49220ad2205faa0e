"""办结 with its 办结回复: the call-back result, the closing note, and the reply to the reporter,
its text started from the centre's templates filled for this incident."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from commandcenter.enums import ReplyChannel, ReplyOutcome
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import progress, replies
from commandcenter.services.incidents.detail import IncidentDetail
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, UnitOfWork, Work


def _close(
    detail: IncidentDetail, values: dict[str, Any], session: UnitOfWork, actor: Actor
) -> None:
    reply = replies.ReplyForm(
        channel=values["reply_channel"],
        outcome=values["reply_outcome"],
        text=values["reply_text"],
        template_id=values["reply_template"],
    )
    replies.close_with_reply(
        session,
        actor,
        detail.id,
        satisfaction=values["satisfaction"],
        callback_note=values["callback_note"],
        note=values["note"],
        reply=reply,
        expected_version=detail.version,
    )


def close_dialog(parent: QWidget, runner: Runner, detail: IncidentDetail) -> form_dialog.FormDialog:
    draft = runner.read_now(lambda session, actor: replies.draft(session, actor, detail.id))
    template = form_dialog.choice(
        "reply_template",
        "回复模板",
        [(name, template_id) for template_id, name, _text in draft.texts],
        blank="（不用模板）",
    )
    text = form_dialog.text(
        "reply_text", "回复内容", "告知反映人的办理结果；选择模板可自动填入", multiline=True
    )
    assert isinstance(text.widget, QPlainTextEdit)
    text.widget.setFixedHeight(130)
    filled = {template_id: body for template_id, _name, body in draft.texts}
    template.widget.currentIndexChanged.connect(
        lambda _index: text.put(filled.get(template.current(), text.get()))
    )
    fields = [
        form_dialog.choice(
            "satisfaction",
            "回访结果",
            [(f"{k} 分 {t}", k) for k, t in progress.SATISFACTION.items()],
            blank="未回访",
        ),
        form_dialog.text("callback_note", "回访记录"),
        form_dialog.text("note", "办结意见", multiline=True),
        form_dialog.choice("reply_channel", "回复方式", form_dialog.labelled(ReplyChannel)),
        form_dialog.choice("reply_outcome", "办理结果", form_dialog.labelled(ReplyOutcome)),
        template,
        text,
    ]
    if draft.needed:
        intro = (
            f"该事件来自{detail.channel}工单（{detail.channel_ref}），办结时须填写办结回复；"
            "回复将随“导出办结回复”交回来源系统。"
        )
    else:
        intro = "如需告知反映人办理结果，请填写办结回复；不填则只办结。"

    def submit(values: dict[str, Any]) -> Work:
        return partial(_close, detail, values)

    dialog = form_dialog.FormDialog(runner, "办结", fields, submit, parent=parent, intro=intro)
    defaults: dict[str, Any] = {
        "reply_channel": draft.channel,
        "reply_outcome": ReplyOutcome.RESOLVED,
    }
    if draft.needed and draft.texts:
        defaults["reply_template"] = draft.texts[0][0]
    dialog.load(defaults)
    if draft.needed and draft.texts:
        text.put(draft.texts[0][2])
    return dialog


def show_close(parent: QWidget, runner: Runner, detail: IncidentDetail) -> None:
    close_dialog(parent, runner, detail).exec()
