"""The centre's settings and the first-run setup that creates them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.db.engine import Database
from commandcenter.db.models import Role, Setting, User
from commandcenter.errors import ValidationError
from commandcenter.services import audit, auth, work_calendar
from commandcenter.services.actor import SYSTEM, Actor
from commandcenter.services.permissions import Action, require

STREET_NAME = "street_name"
DOC_PREFIX = "doc_prefix"
IS_DEMO = "is_demo"
CERT_WARNING_DAYS = "certificate_warning_days"
# Share of an incident's working allowance after which the queue shows it yellow.
DEADLINE_WARNING_PERCENT = "deadline_warning_percent"

# Working days a department has to return a transfer letter's receipt before it is late.
TRANSFER_RECEIPT_DAYS = "transfer_receipt_days"

# Minutes without a key press or mouse movement after which the screen locks itself.
IDLE_LOCK_MINUTES = "idle_lock_minutes"
IDLE_LOCK_RANGE = (1, 120)

# 版头: the issuing authority's name printed in red at the head of the 公文 chosen here (keys of
# LETTERHEAD_KINDS, comma-separated). An empty name means the centre's own.
LETTERHEAD_NAME = "letterhead_name"
LETTERHEAD_PAPERS = "letterhead_papers"
LETTERHEAD_KINDS = {
    "transfer-letter": "案件移送函",
    "supervision": "督办文书（督办函、工作提示单等）",
    "plan": "联合执法行动方案",
    "bulletin": "月通报、季度汇总",
}
LETTERHEAD_NAME_LIMIT = 30

DEFAULTS = {
    CERT_WARNING_DAYS: "60",
    IS_DEMO: "0",
    DEADLINE_WARNING_PERCENT: "75",
    IDLE_LOCK_MINUTES: "15",
    TRANSFER_RECEIPT_DAYS: "5",
}


@dataclass(frozen=True)
class CentreSettings:
    street_name: str
    doc_prefix: str
    certificate_warning_days: int
    is_demo: bool
    deadline_warning_percent: int = 75
    idle_lock_minutes: int = 15

    @property
    def centre_name(self) -> str:
        return f"{self.street_name}综合行政执法指挥中心"


def get(session: Session, key: str) -> str | None:
    value = session.get(Setting, key)
    return value.value if value is not None else DEFAULTS.get(key)


def _put(session: Session, key: str, value: str) -> None:
    existing = session.get(Setting, key)
    if existing is None:
        session.add(Setting(key=key, value=value))
    else:
        existing.value = value


def is_initialised(session: Session) -> bool:
    has_admin = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN)
    )
    return bool(has_admin) and get(session, STREET_NAME) is not None


def before_sign_in(db: Database) -> CentreSettings:
    """The centre's settings for what is shown before anyone has signed in: its name on the
    sign-in window, whether a database is the demo's. Nothing in them is personal."""
    with db.read() as session:
        return load(session)


def centre(session: Session, actor: Actor) -> CentreSettings:
    """The centre's settings as a signed-in user sees them (the services read them with
    :func:`load`)."""
    require(actor, Action.VIEW)
    return load(session)


def load(session: Session) -> CentreSettings:
    stored = dict(session.execute(select(Setting.key, Setting.value)).all())  # one query

    def get(key: str) -> str | None:
        return stored.get(key, DEFAULTS.get(key))

    return CentreSettings(
        street_name=get(STREET_NAME) or "",
        doc_prefix=get(DOC_PREFIX) or "",
        certificate_warning_days=int(get(CERT_WARNING_DAYS) or 60),
        is_demo=get(IS_DEMO) == "1",
        deadline_warning_percent=int(get(DEADLINE_WARNING_PERCENT) or 75),
        idle_lock_minutes=int(get(IDLE_LOCK_MINUTES) or 15),
    )


@dataclass(frozen=True)
class Letterhead:
    name: str  # as stored: empty means the centre's own name
    papers: frozenset[str]
    centre_name: str

    def for_paper(self, kind: str) -> str | None:
        """The 版头 a paper of *kind* carries, or None: it is issued in the centre's name."""
        return (self.name or self.centre_name) if kind in self.papers else None


def letterhead(session: Session) -> Letterhead:
    """What the papers read (no permission: printing a paper is checked where it is read)."""
    papers = get(session, LETTERHEAD_PAPERS) or ""
    return Letterhead(
        name=get(session, LETTERHEAD_NAME) or "",
        papers=frozenset(k for k in papers.split(",") if k in LETTERHEAD_KINDS),
        centre_name=load(session).centre_name,
    )


def letterhead_form(session: Session, actor: Actor) -> Letterhead:
    require(actor, Action.VIEW)
    return letterhead(session)


def set_letterhead(session: Session, actor: Actor, name: str, papers: set[str]) -> None:
    """Which authority's 版头 the chosen 公文 carry."""
    require(actor, Action.EDIT_SETTINGS)
    name = name.strip()
    if len(name) > LETTERHEAD_NAME_LIMIT:
        raise ValidationError(f"版头名称不能超过 {LETTERHEAD_NAME_LIMIT} 个字。", "letterhead_name")
    unknown = set(papers) - set(LETTERHEAD_KINDS)
    if unknown:
        raise ValidationError("选择的文书种类无效。", "letterhead_papers")
    stored = ",".join(k for k in LETTERHEAD_KINDS if k in papers)
    before = {
        LETTERHEAD_NAME: get(session, LETTERHEAD_NAME),
        LETTERHEAD_PAPERS: get(session, LETTERHEAD_PAPERS),
    }
    _put(session, LETTERHEAD_NAME, name)
    _put(session, LETTERHEAD_PAPERS, stored)
    after = {LETTERHEAD_NAME: name, LETTERHEAD_PAPERS: stored}
    audit.record(
        session, actor, "settings.update", "修改公文版头", changes=audit.diff(before, after)
    )


def validate_centre(street_name: str, doc_prefix: str) -> tuple[str, str]:
    street = street_name.strip()
    prefix = doc_prefix.strip()
    if not street:
        raise ValidationError("请填写街道名称，例如“梅山街道”。")
    if not street.endswith(("街道", "镇", "乡")):
        raise ValidationError("街道名称应以“街道”“镇”或“乡”结尾，例如“梅山街道”。")
    if not prefix:
        raise ValidationError("请填写发文字号前缀，例如“梅执”。")
    if not re.fullmatch(r"[\u4e00-\u9fff]{1,6}", prefix):
        raise ValidationError("发文字号前缀应为 1 到 6 个汉字，例如“梅执”。")
    return street, prefix


def update_centre(session: Session, actor: Actor, street_name: str, doc_prefix: str) -> None:
    require(actor, Action.EDIT_SETTINGS)
    street, prefix = validate_centre(street_name, doc_prefix)
    before = {STREET_NAME: get(session, STREET_NAME), DOC_PREFIX: get(session, DOC_PREFIX)}
    _put(session, STREET_NAME, street)
    _put(session, DOC_PREFIX, prefix)
    after = {STREET_NAME: street, DOC_PREFIX: prefix}
    audit.record(
        session, actor, "settings.update", "修改中心设置", changes=audit.diff(before, after)
    )


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> None:
    low, high = IDLE_LOCK_RANGE
    if not low <= minutes <= high:
        raise ValidationError(f"自动锁屏时间应在 {low} 到 {high} 分钟之间。", "idle_lock_minutes")
    set_value(session, actor, IDLE_LOCK_MINUTES, str(minutes))


def set_value(session: Session, actor: Actor, key: str, value: str) -> None:
    require(actor, Action.EDIT_SETTINGS)
    before = get(session, key)
    _put(session, key, value)
    audit.record(
        session, actor, "settings.update", f"修改设置 {key}", changes={key: [before, value]}
    )


def set_up_centre(
    db: Database,
    *,
    street_name: str,
    doc_prefix: str,
    admin_username: str,
    admin_display_name: str,
    admin_password: str,
) -> Actor:
    """The first start's form: :func:`first_run` in a unit of work of its own; the new
    administrator is the one who carries on."""
    with db.write() as session:
        admin = first_run(
            session,
            street_name=street_name,
            doc_prefix=doc_prefix,
            admin_username=admin_username,
            admin_display_name=admin_display_name,
            admin_password=admin_password,
        )
        return Actor.of(admin)


def first_run(
    session: Session,
    *,
    street_name: str,
    doc_prefix: str,
    admin_username: str,
    admin_display_name: str,
    admin_password: str,
    demo: bool = False,
) -> User:
    """Set up a new database: the street, its document prefix and the first admin."""
    if is_initialised(session):
        raise ValidationError("该数据库已完成首次设置。")
    street, prefix = validate_centre(street_name, doc_prefix)
    _put(session, STREET_NAME, street)
    _put(session, DOC_PREFIX, prefix)
    _put(session, IS_DEMO, "1" if demo else "0")
    audit.record(session, SYSTEM, "setup.first_run", f"首次设置：{street}，发文字号前缀 {prefix}")
    # Deadlines count working days from the first incident on: the official holidays come with
    # the application for the years it knows; later years are added in 系统设置.
    work_calendar.load_official_years(session, SYSTEM, work_calendar.official_years())
    return auth.create_user(
        session,
        SYSTEM,
        username=admin_username,
        display_name=admin_display_name,
        role=Role.ADMIN,
        password=admin_password,
    )
