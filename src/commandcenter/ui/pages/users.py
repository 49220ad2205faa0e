"""The admin's users tab: new user, reset a forgotten password, switch an account off or on,
tie an account to its person on the roster. The rules are the auth and user_people services'."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.db.changes import Area, Changes
from commandcenter.enums import Role
from commandcenter.services import auth, user_people
from commandcenter.services.system_listings import USERS
from commandcenter.ui.dialogs.form_dialog import (
    FormDialog,
    choice,
    confirm,
    labelled,
    searchable,
    secret,
    text,
)
from commandcenter.ui.dialogs.password import same_twice
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.list_page import ListingView
from commandcenter.ui.runner import Runner, Work


class UsersTab(QWidget):
    """The users list with what an admin does to accounts."""

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.view = ListingView(runner, settings, USERS, self)
        bar = QHBoxLayout()
        for name, caption, slot in (
            ("add", "新建用户", self.new_user),
            ("key", "重置密码", self.reset_password),
            ("toggle", "停用/启用", self.toggle_active),
            ("roster", "关联人员", self.link_person),
        ):
            action = QAction(icon(name), caption, self)
            action.triggered.connect(slot)
            button = QToolButton()
            button.setDefaultAction(action)
            # Captioned like every list page's buttons: four bare icons said nothing to an admin.
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(f"users_{name}")
            bar.addWidget(button)
        bar.addStretch(1)
        self.bar = bar
        # 账号关联 in Excel: each account's roster person, exported, filled in, imported back.
        ExchangeActions(runner, "users", self).install(self)
        # Leader accounts from before the rule that a leader names its person (R6 needs it).
        self.unlinked = QLabel()
        self.unlinked.setObjectName("users_unlinked_leaders")
        self.unlinked.setProperty("role", "banner")
        self.unlinked.setWordWrap(True)
        self.unlinked.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.unlinked)
        layout.addWidget(self.view, 1)
        runner.changed.connect(self._on_changed)

    def add_action(self, action: QAction) -> QToolButton:
        """Where ExchangeActions puts 导入/导出/模板: after the account buttons."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.bar.insertWidget(self.bar.count() - 1, button)
        return button

    def _on_changed(self, areas: Changes) -> None:
        if Area.USERS in areas:
            self.refresh()

    def refresh(self) -> None:
        self.view.refresh()
        # A short read of a few accounts, done at once: the banner lives and dies with the tab.
        names = self.runner.read_now(user_people.unlinked_leaders)
        self.unlinked.setText(
            "以下领导账号尚未关联人员名册中的本人，“办、审、定三分离”无法核对，请选中后"
            "点“关联人员”：" + "、".join(names)
        )
        self.unlinked.setVisible(bool(names))

    def _chosen(self) -> auth.Account | None:
        user_id = self.view.selected_id()
        if user_id is None:
            QMessageBox.information(self, "用户", "请先在列表中选中一个用户。")
            return None
        return self.runner.read_now(lambda session, actor: auth.account(session, actor, user_id))

    def new_user(self) -> None:
        roles = labelled(Role)
        people = self.runner.read_now(user_people.person_choices)

        def submit(values: dict[str, Any]) -> Work[object]:
            def work(session: Any, actor: Any) -> object:
                return auth.create_user(
                    session,
                    actor,
                    username=values["username"],
                    display_name=values["display_name"],
                    role=values["role"],
                    password=same_twice(values),
                    person_id=values["person_id"],
                )

            return work

        FormDialog(
            self.runner,
            "新建用户",
            [
                text("username", "用户名", "登录时输入，如 chenli"),
                text("display_name", "姓名"),
                choice("role", "角色", roles),
                searchable("person_id", "对应人员", people, blank="（不关联）"),
                secret("new", "初始密码"),
                secret("repeat", "再输一遍"),
            ],
            submit,
            parent=self,
            intro="领导账号须关联人员名册中的本人：审批、法制审核和办结时据此核对"
            "“办、审、定三分离”。",
            aliases={"password": "new"},
        ).exec()

    def reset_password(self) -> None:
        user = self._chosen()
        if user is None:
            return
        user_id = user.id

        def submit(values: dict[str, Any]) -> Work[None]:
            return lambda session, actor: auth.reset_password(
                session, actor, user_id, same_twice(values)
            )

        FormDialog(
            self.runner,
            f"重置密码：{user.display_name}（{user.username}）",
            [secret("new", "新密码"), secret("repeat", "再输一遍")],
            submit,
            parent=self,
            intro="请当面把新密码告诉本人，并请其登录后在“文件 → 修改密码”中改为自己的密码。"
            "重置同时解除因输错密码造成的临时锁定。",
            aliases={"password": "new"},
        ).exec()

    def toggle_active(self) -> None:
        user = self._chosen()
        if user is None:
            return
        user_id, active = user.id, not user.active
        verb = "启用" if active else "停用"
        confirm(
            self,
            self.runner,
            f"{verb}用户",
            f"{verb}用户 {user.display_name}（{user.username}）？"
            + ("" if active else "\n停用后该账号不能登录；其操作记录保留。"),
            lambda session, actor: auth.set_active(session, actor, user_id, active),
        )

    def link_person(self) -> None:
        """Tie the chosen account to its person: the command room is assessed on what its
        accounts registered and dispatched."""
        user = self._chosen()
        if user is None:
            return
        user_id = user.id
        people = self.runner.read_now(user_people.person_choices)

        def submit(values: dict[str, Any]) -> Work[bool]:
            return lambda session, actor: user_people.link_person(
                session, actor, user_id, values["person_id"]
            )

        FormDialog(
            self.runner,
            f"关联人员：{user.display_name}（{user.username}）",
            [searchable("person_id", "对应人员", people, blank="（不关联）")],
            submit,
            parent=self,
            intro="指挥室人员的受理登记、研判派单等考核指标按其系统账号统计；"
            "未关联账号的人员，这些指标记为“不适用”。领导账号须关联本人，不能解除关联。",
        ).load({"person_id": user.person_id}).exec()
