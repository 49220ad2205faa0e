"""Sign-in, users and the permission matrix, through the services alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord, Role, User
from commandcenter.errors import (
    AccountWithdrawn,
    AuthenticationFailed,
    PermissionDenied,
    ValidationError,
)
from commandcenter.services import audit, auth, permissions
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import MATRIX, Action, require
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_sign_in_with_a_long_chinese_password(db: Database, admin: Actor) -> None:
    phrase = "指挥中心值班室的密码要足够长" * 8  # far beyond bcrypt's 72 bytes
    with db.write() as s:
        auth.create_user(
            s, admin, username="chenli", display_name="陈丽", role=Role.OPERATOR, password=phrase
        )
    actor = auth.sign_in(db, "ChenLi", phrase)
    assert actor.role is Role.OPERATOR
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(db, "chenli", phrase[:-1])


def test_wrong_password_and_unknown_user_read_the_same(db: Database) -> None:
    messages = []
    for username, password in (("admin", "wrong-password"), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationFailed) as caught:
            auth.sign_in(db, username, password)
        messages.append(caught.value.message)
    assert messages[0] == messages[1] == auth.SIGN_IN_FAILED


def test_failed_sign_ins_are_audited_and_lock_the_account(db: Database) -> None:
    for _ in range(auth.LOCK_AFTER_FAILURES):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(db, "admin", "wrong-password")
    # Locked: even the right password is refused for now, in the words of a wrong one, so a
    # caller cannot learn that the account exists and is locked; the log says it.
    with pytest.raises(AuthenticationFailed) as caught:
        auth.sign_in(db, "admin", PASSWORD)
    assert caught.value.message == auth.SIGN_IN_FAILED
    with db.read() as s:
        failures = s.scalars(select(AuditRecord).where(AuditRecord.action == "auth.failed")).all()
        assert len(failures) == auth.LOCK_AFTER_FAILURES + 1
        assert failures[-1].summary.endswith("（账号临时锁定中）")
        locked = s.scalars(select(User.locked_until).where(User.username == "admin")).one()
        assert locked is not None


@pytest.mark.usefixtures("real_password_hashes")
def test_passwords_are_stored_as_argon2id_at_the_recommended_cost(
    db: Database, admin: Actor
) -> None:
    with db.write() as s:
        auth.create_user(
            s, admin, username="op", display_name="值班员", role=Role.OPERATOR, password=PASSWORD
        )
    with db.read() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "op")).one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    # RFC 9106's second recommended option (t=3, 64 MiB) or dearer; the suite itself hashes
    # with cheap parameters (tests/conftest.py), so this is the one test of the real ones.
    parameters = extract_parameters(stored)
    assert parameters.time_cost >= 3 and parameters.memory_cost >= 64 * 1024


def test_only_admins_create_users(db: Database, admin: Actor) -> None:
    with db.write() as s:
        auth.create_user(
            s,
            admin,
            username="op",
            display_name="值班员甲",
            role=Role.OPERATOR,
            password="12345678",
        )
    with db.read() as s:
        operator = auth.actor_for(s, "op")
    with pytest.raises(PermissionDenied, match="值班员无权管理用户"), db.write() as s:
        auth.create_user(
            s, operator, username="x", display_name="乙", role=Role.ADMIN, password="12345678"
        )


def test_user_names_are_unique_regardless_of_case(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="已被使用"), db.write() as s:
        auth.create_user(
            s, admin, username="ADMIN", display_name="重复", role=Role.LEADER, password="12345678"
        )


def test_short_passwords_are_refused(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="至少"), db.write() as s:
        auth.create_user(
            s, admin, username="x", display_name="乙", role=Role.LEADER, password="short"
        )


def test_every_action_has_roles_and_a_label() -> None:
    assert set(MATRIX) == set(Action)
    assert set(permissions.ACTION_LABELS) == set(Action)


def test_deny_by_default() -> None:
    nobody = Actor(None, "guest", "访客", None)
    for action in Action:
        with pytest.raises(PermissionDenied):
            require(nobody, action)


def test_leaders_approve_and_operators_do_not() -> None:
    leader = Actor(1, "l", "领导", Role.LEADER)
    operator = Actor(2, "o", "值班员", Role.OPERATOR)
    require(leader, Action.APPROVE_EXTENSION)
    with pytest.raises(PermissionDenied):
        require(operator, Action.APPROVE_EXTENSION)


def test_permissions_document_matches_the_matrix() -> None:
    doc = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert permissions.matrix_markdown() in doc, "run: python tools/write_permissions_doc.py"


def _operator(db: Database, admin: Actor, username: str = "op") -> Actor:
    with db.write() as s:
        auth.create_user(
            s,
            admin,
            username=username,
            display_name="值班员甲",
            role=Role.OPERATOR,
            password="初始密码-0001",
        )
    return auth.sign_in(db, username, "初始密码-0001")


def test_a_refused_attempt_is_audited_though_its_work_is_rolled_back(
    db: Database, admin: Actor
) -> None:
    operator = _operator(db, admin)
    with pytest.raises(PermissionDenied), db.write() as s:
        auth.reset_password(s, operator, admin.user_id or 0, "夺取管理员-123")
    with db.read() as s:
        denied = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "permission.denied")
        ).one()
        assert denied.username == "op" and "无权管理用户" in denied.summary
        assert audit.verify_chain(s).intact
    auth.sign_in(db, "admin", PASSWORD)  # the admin's password is untouched


def test_users_change_their_own_password_and_admins_reset_forgotten_ones(
    db: Database, admin: Actor
) -> None:
    operator = _operator(db, admin)
    with pytest.raises(ValidationError, match="当前密码不正确"), db.write() as s:
        auth.change_password(s, operator, "猜的密码-000", "新的密码-2026")
    with pytest.raises(ValidationError, match="不能与当前密码相同"), db.write() as s:
        auth.change_password(s, operator, "初始密码-0001", "初始密码-0001")
    with db.write() as s:
        auth.change_password(s, operator, "初始密码-0001", "新的密码-2026")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(db, "op", "初始密码-0001")
    auth.sign_in(db, "op", "新的密码-2026")
    # Forgotten and locked out: the admin's reset lifts the lock as well.
    for _ in range(auth.LOCK_AFTER_FAILURES):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(db, "op", "记不清了-000")
    assert operator.user_id is not None
    with db.write() as s:
        auth.reset_password(s, admin, operator.user_id, "临时密码-7788")
    auth.sign_in(db, "op", "临时密码-7788")
    with db.read() as s:
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert "user.password" in actions and "user.reset_password" in actions


def test_accounts_are_switched_off_never_the_last_admin(db: Database, admin: Actor) -> None:
    operator = _operator(db, admin)
    assert operator.user_id is not None and admin.user_id is not None
    with db.write() as s:
        auth.set_active(s, admin, operator.user_id, False)
    with pytest.raises(AuthenticationFailed, match=auth.SIGN_IN_FAILED):
        auth.sign_in(db, "op", "初始密码-0001")
    with pytest.raises(ValidationError, match="不能停用自己"), db.write() as s:
        auth.set_active(s, admin, admin.user_id, False)
    with db.write() as s:
        auth.set_active(s, admin, operator.user_id, True)
    auth.sign_in(db, "op", "初始密码-0001")


@pytest.mark.usefixtures("real_password_hashes")
def test_older_hash_parameters_are_renewed_at_sign_in(db: Database) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with db.write() as s:
        s.scalars(select(User).where(User.username == "admin")).one().password_hash = weak
    auth.sign_in(db, "admin", PASSWORD)
    with db.read() as s:
        renewed = s.scalars(select(User.password_hash).where(User.username == "admin")).one()
    assert renewed != weak and not auth._hasher.check_needs_rehash(renewed)


def test_an_account_acts_only_while_active_and_with_the_role_it_signed_in_with(
    db: Database, admin: Actor
) -> None:
    with db.write() as s:
        user = auth.create_user(
            s,
            admin,
            username="op9",
            display_name="值班员九",
            role=Role.OPERATOR,
            password=PASSWORD,
        )
        operator = Actor.of(user)
        auth.still_entitled(s, operator)  # as signed in: may act
        user.role = Role.LEADER  # changed at the database by another workstation
    with db.read() as s, pytest.raises(AccountWithdrawn, match="角色已改为“领导”"):
        auth.still_entitled(s, operator)
    with db.write() as s:
        auth.set_active(s, admin, operator.user_id or 0, False)
    with db.read() as s, pytest.raises(AccountWithdrawn, match="已被管理员停用"):
        auth.still_entitled(s, Actor.of(s.get_one(User, operator.user_id)))
