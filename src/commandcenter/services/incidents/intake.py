"""登记: register an incident from any channel, with attachments; edit it before dispatch.

The registering operator is the incident's first-responsible person (R4). Reporter name and
phone are optional and masked everywhere but the detail view of roles that may see them.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Attachment,
    Channel,
    Entity,
    Grid,
    Incident,
    IncidentEventKind,
    IncidentStatus,
    Priority,
)
from commandcenter.errors import ValidationError
from commandcenter.services import records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, require
from commandcenter.services.work_calendar import WorkCalendar

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@dataclass
class IncidentForm:
    channel: Channel | None = None
    title: str = ""
    description: str = ""
    address: str = ""
    grid_id: int | None = None
    entity_id: int | None = None
    channel_ref: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    received_at: datetime | None = None  # now when left empty
    priority: Priority = Priority.NORMAL
    is_major: bool = False


def incident_values(
    session: Session, form: IncidentForm, now: datetime
) -> tuple[dict[str, Any], list[ValidationError]]:
    """The form cleaned field by field, with every problem found."""
    c = records.Checks()

    def channel() -> Channel:
        if form.channel is None:
            raise ValidationError("请选择来源渠道。")
        return form.channel

    def received() -> datetime:
        moment = form.received_at or now
        if moment.tzinfo is None:
            raise ValidationError("受理时间缺少时区。")
        if moment > now + timedelta(minutes=5):
            raise ValidationError("受理时间不能晚于当前时间。")
        return moment

    def phone() -> str | None:
        if not form.reporter_phone.strip():
            return None
        return validators.clean_office_phone(form.reporter_phone)

    def grid() -> int | None:
        if form.grid_id is not None and session.get(Grid, form.grid_id) is None:
            raise ValidationError("所选网格不存在，请重新选择。")
        return form.grid_id

    def entity() -> int | None:
        if form.entity_id is not None and session.get(Entity, form.entity_id) is None:
            raise ValidationError("所选检查对象不存在，请重新选择。")
        return form.entity_id

    c.step("channel", channel)
    c.step("title", lambda: records.text(form.title, "title", "事件名称", required=True, limit=200))
    c.step("description", lambda: (form.description or "").strip()[:4000])
    c.step("address", lambda: records.text(form.address, "address", "事发地点", limit=200) or None)
    c.step("grid_id", grid)
    c.step("entity_id", entity)
    c.step(
        "channel_ref",
        lambda: records.text(form.channel_ref, "channel_ref", "来源工单号", limit=60) or None,
    )
    c.step(
        "reporter_name",
        lambda: records.text(form.reporter_name, "reporter_name", "反映人姓名", limit=50) or None,
    )
    c.step("reporter_phone", phone)
    c.step("received_at", received)
    c.values["priority"] = form.priority
    c.values["is_major"] = form.is_major
    if not c.values.get("address") and c.values.get("grid_id") is None and "address" in c.values:
        c.fail("请填写事发地点或选择网格，以便派单和查重。", "address")
    return c.values, c.problems


def register(
    session: Session,
    actor: Actor,
    form: IncidentForm,
    *,
    attachments: Sequence[Path] = (),
    store: Path | None = None,
    now: datetime | None = None,
) -> Incident:
    require(actor, Action.REGISTER_INCIDENT)
    if actor.user_id is None:
        raise ValidationError("事件必须由登录的值班员登记（首问负责）。")
    moment = now or timeutil.now()
    values, problems = incident_values(session, form, moment)
    records.raise_first(problems)
    incident = Incident(
        **values,
        number=workflow.next_number(session, values["received_at"]),
        registered_by_id=actor.user_id,
        status=IncidentStatus.REGISTERED,
    )
    session.add(incident)
    session.flush()
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.REGISTERED,
        f"{values['channel'].label}：{values['title']}（首问负责人 {actor.display_name}）",
        at=moment,
    )
    for path in attachments:
        if store is None:
            raise ValueError("attachments need a store folder")
        _attach(session, actor, incident, path, store, moment)
    return incident


def update_registration(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: IncidentForm,
    expected_version: int | None,
) -> Incident:
    """Correct what was registered, until the incident is dispatched."""
    incident = workflow.begin(session, actor, incident_id, Step.EDIT, expected_version)
    values, problems = incident_values(session, form, timeutil.now())
    records.raise_first(problems)
    changes = records.apply(incident, values)
    if incident.deadline_at is not None and {"priority", "received_at"} & changes.keys():
        deadlines.set_deadline(session, incident, WorkCalendar.load(session))
    if changes:
        workflow.record(
            session,
            actor,
            incident,
            IncidentEventKind.NOTE,
            "修改登记信息：" + "、".join(_FIELD_WORDS.get(k, k) for k in changes),
        )
    return incident


_FIELD_WORDS = {
    "channel": "来源渠道",
    "title": "事件名称",
    "description": "事件描述",
    "address": "事发地点",
    "grid_id": "网格",
    "entity_id": "检查对象",
    "channel_ref": "来源工单号",
    "reporter_name": "反映人",
    "reporter_phone": "反映人电话",
    "received_at": "受理时间",
    "priority": "紧急程度",
    "is_major": "重大执法决定标记",
}


def registration_form(session: Session, actor: Actor, incident_id: int) -> tuple[IncidentForm, int]:
    """The registration as stored, to correct it (:func:`update_registration`)."""
    require(actor, Action.VIEW)
    i = records.get(session, Incident, incident_id, "该事件")
    form = IncidentForm(
        channel=i.channel,
        title=i.title,
        description=i.description,
        address=i.address or "",
        grid_id=i.grid_id,
        entity_id=i.entity_id,
        channel_ref=i.channel_ref or "",
        reporter_name=i.reporter_name or "",
        reporter_phone=i.reporter_phone or "",
        received_at=i.received_at,
        priority=i.priority,
        is_major=i.is_major,
    )
    return form, i.version


# --- attachments ----------------------------------------------------------------------------


def add_attachment(
    session: Session, actor: Actor, incident_id: int, path: Path, store: Path
) -> Attachment:
    incident = workflow.begin(session, actor, incident_id, Step.ATTACH)
    return _attach(session, actor, incident, path, store, timeutil.now())


def store_file(path: Path, store: Path) -> tuple[str, str, int]:
    """Copy *path* into the store under its checksum: (relative path, sha256, size).

    The name is the content's hash, so a copy left by a failed transaction is harmless and the
    same file attached twice is stored once.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"无法读取附件“{path.name}”：{exc.strerror or exc}。") from exc
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"附件“{path.name}”超过 50 MB，请压缩后再添加。")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()
    relative = Path(sha[:2]) / f"{sha}{path.suffix.lower()}"
    target = store / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return relative.as_posix(), sha, size


def _attach(
    session: Session, actor: Actor, incident: Incident, path: Path, store: Path, moment: datetime
) -> Attachment:
    """Copy *path* into the store, then record it against *incident*."""
    if actor.user_id is None:
        raise ValidationError("附件必须由登录用户添加。")
    relative, sha, size = store_file(path, store)
    attachment = Attachment(
        incident_id=incident.id,
        filename=path.name[:255],
        stored_path=relative,
        sha256=sha,
        size=size,
        added_at=moment,
        added_by_id=actor.user_id,
    )
    session.add(attachment)
    workflow.record(session, actor, incident, IncidentEventKind.ATTACHMENT, path.name, at=moment)
    return attachment


def attachment_file(session: Session, actor: Actor, attachment_id: int, store: Path) -> Path:
    """Where the stored copy of an attachment is, to open it."""
    require(actor, Action.VIEW)
    return store / records.get(session, Attachment, attachment_id, "该附件").stored_path


def verify_attachment(store: Path, attachment: Attachment) -> bool:
    """The stored copy is still there and unchanged."""
    target = store / attachment.stored_path
    if not target.exists():
        return False
    return hashlib.sha256(target.read_bytes()).hexdigest() == attachment.sha256


def add_note(session: Session, actor: Actor, incident_id: int, note: str) -> None:
    incident = workflow.begin(session, actor, incident_id, Step.NOTE)
    text = (note or "").strip()
    if not text:
        raise ValidationError("请填写备注内容。", "note")
    workflow.record(session, actor, incident, IncidentEventKind.NOTE, text[:2000])
