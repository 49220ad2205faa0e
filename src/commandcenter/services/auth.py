"""Users and sign-in, with argon2id password hashes.

argon2 has no 72-byte limit (unlike bcrypt), so long Chinese pass phrases work as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import Role, User
from commandcenter.errors import (
    AccountWithdrawn,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from commandcenter.services import audit, user_people
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

MIN_PASSWORD_LENGTH = 8
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
# One message for an unknown user and a wrong password: it must not tell which one it was.
SIGN_IN_FAILED = "用户名或密码不正确。"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")
    if password.strip() != password:
        raise ValidationError("密码首尾不能是空格。")


def normalise_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise ValidationError("请填写用户名。")
    if len(name) > 50:
        raise ValidationError("用户名不能超过 50 个字符。")
    return name


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    person_id: int | None = None,
) -> User:
    """A new account; a leader's names its roster person (:mod:`user_people`)."""
    require(actor, Action.MANAGE_USERS)
    username = normalise_username(username)
    display_name = display_name.strip()
    if not display_name:
        raise ValidationError("请填写姓名。")
    check_password_rules(password)
    taken = session.scalar(
        select(func.count()).select_from(User).where(func.lower(User.username) == username.lower())
    )
    if taken:
        raise ValidationError(f"用户名“{username}”已被使用。")
    if person_id is None and role in user_people.PERSON_REQUIRED:
        raise ValidationError(user_people.LEADER_NEEDS_PERSON, "person_id")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.create",
        f"新建用户 {username}（{display_name}，{role.label}）",
        entity_type="user",
        entity_id=user.id,
    )
    if person_id is not None:
        user_people.link_person(session, actor, user.id, person_id)
    return user


def change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """A signed-in user changes their own password; the current one must be given."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.active:
        raise PermissionDenied("只有已登录的用户才能修改自己的密码。")
    try:
        _hasher.verify(user.password_hash, current)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise ValidationError("当前密码不正确。", "current") from None
    check_password_rules(new)
    if new == current:
        raise ValidationError("新密码不能与当前密码相同。", "new")
    user.password_hash = hash_password(new)
    audit.record(
        session,
        actor,
        "user.password",
        f"用户 {user.username} 修改了自己的密码",
        entity_type="user",
        entity_id=user.id,
    )


def reset_password(session: Session, actor: Actor, user_id: int, new: str) -> None:
    """An admin sets a new password for someone who forgot theirs, and lifts a lock."""
    require(actor, Action.MANAGE_USERS)
    user = _user(session, user_id)
    check_password_rules(new)
    user.password_hash = hash_password(new)
    user.failed_attempts = 0
    user.locked_until = None
    audit.record(
        session,
        actor,
        "user.reset_password",
        f"重置用户 {user.username}（{user.display_name}）的密码",
        entity_type="user",
        entity_id=user.id,
    )


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """Switch an account off (someone left) or on again. Accounts are never deleted: the audit
    record names them."""
    require(actor, Action.MANAGE_USERS)
    user = _user(session, user_id)
    if user.active == active:
        return
    if not active:
        if user.id == actor.user_id:
            raise ValidationError("不能停用自己正在使用的账号。")
        if user.role == Role.ADMIN and _active_admins(session) <= 1:
            raise ValidationError("这是最后一个在用的管理员账号，不能停用。")
    user.active = active
    audit.record(
        session,
        actor,
        "user.enable" if active else "user.disable",
        f"{'启用' if active else '停用'}用户 {user.username}（{user.display_name}）",
        entity_type="user",
        entity_id=user.id,
    )


@dataclass(frozen=True)
class Account:
    """A user account as the users tab shows it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    person_id: int | None = None  # the roster person the account belongs to


def account(session: Session, actor: Actor, user_id: int) -> Account:
    require(actor, Action.MANAGE_USERS)
    user = _user(session, user_id)
    return Account(
        user.id, user.username, user.display_name, user.role, user.active, user.person_id
    )


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("该用户不存在。")
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
    return int(session.scalar(query) or 0)


def sign_in(db: Database, username: str, password: str) -> Actor:
    """Check the credentials and return the acting user, or raise AuthenticationFailed.

    The attempt is recorded (failure count, lockout, audit) in its own transaction, committed
    before a refusal is raised, so a failed attempt is never rolled back with the error.
    """
    if db.read_only:
        # Nothing can be recorded in a read-only database: the check alone decides.
        with db.read() as session:
            user, refusal = _check(session, username, password, timeutil.now())
        if refusal is not None:
            raise AuthenticationFailed(refusal)
        assert user is not None
        return Actor.of(user)
    with db.write() as session:
        outcome = _attempt(session, username, password)
    if isinstance(outcome, str):
        raise AuthenticationFailed(outcome)
    return outcome


def _check(
    session: Session, username: str, password: str, now: datetime
) -> tuple[User | None, str | None]:
    """The user the name belongs to, and why they may not sign in (None when they may)."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.active:
        _hasher.hash(password)  # spend the same time, so timing does not reveal the user
        return None, SIGN_IN_FAILED
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return user, SIGN_IN_FAILED
    if _locked(user, now):
        # The same words, after the same work, as a wrong password: a caller cannot tell a
        # locked account from a wrong guess, nor so learn that the account exists. The lock
        # shows to the admin (系统设置 → 用户) and in the audit log.
        return user, SIGN_IN_FAILED
    return user, None


def _locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _attempt(session: Session, username: str, password: str) -> Actor | str:
    now = timeutil.now()
    user, refusal = _check(session, username, password, now)
    if refusal is not None:
        if user is not None and _locked(user, now):
            _record_locked_attempt(session, user)
        elif user is not None:  # a wrong password counts to the lock
            _record_failure(session, user, now)
        return refusal
    assert user is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in_at = now
    actor = Actor.of(user)
    audit.record(
        session,
        actor,
        "auth.sign_in",
        f"用户 {user.username} 登录",
        entity_type="user",
        entity_id=user.id,
    )
    return actor


def _record_failure(session: Session, user: User, now: datetime) -> None:
    user.failed_attempts += 1
    locked = user.failed_attempts >= LOCK_AFTER_FAILURES
    if locked:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_attempts = 0
    audit.record(
        session,
        Actor(None, user.username, user.display_name, None),
        "auth.failed",
        f"用户 {user.username} 登录失败" + ("，账号临时锁定" if locked else ""),
        entity_type="user",
        entity_id=user.id,
    )


def _record_locked_attempt(session: Session, user: User) -> None:
    audit.record(
        session,
        Actor(None, user.username, user.display_name, None),
        "auth.failed",
        f"用户 {user.username} 登录失败（账号临时锁定中）",
        entity_type="user",
        entity_id=user.id,
    )


def still_entitled(session: Session, actor: Actor) -> None:
    """Raise :class:`AccountWithdrawn` unless *actor*'s account is still active with the role
    it signed in with. One read by primary key: every unit of work of a window asks it, so an
    account an administrator disables stops working at its next step, on every workstation."""
    if actor.user_id is None:
        return  # the application itself
    row = session.execute(
        select(User.active, User.role).where(User.id == actor.user_id)
    ).one_or_none()
    if row is None or not row.active:
        raise AccountWithdrawn("您的账号已被管理员停用，请联系管理员。本窗口将退出登录。")
    if row.role is not actor.role:
        raise AccountWithdrawn(
            f"您的账号角色已改为“{row.role.label}”，请重新登录后按新的权限使用。"
        )


def actor_for(session: Session, username: str) -> Actor:
    """The acting user for *username* without a password: demo databases and selftest only."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise AuthenticationFailed(SIGN_IN_FAILED)
    return Actor.of(user)
