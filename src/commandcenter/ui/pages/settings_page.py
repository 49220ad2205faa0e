"""系统设置: the centre's name and document prefix, users, the audit log, the reply templates
and the permissions."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services import centre, permissions
from commandcenter.services import settings as centre_settings
from commandcenter.services.followups import transfer_results
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.system_listings import AUDIT_LOG
from commandcenter.ui import palette
from commandcenter.ui.bulletin_recipients import BulletinRecipientsTab
from commandcenter.ui.calendar_admin import CalendarTab
from commandcenter.ui.letterhead_tab import LetterheadTab
from commandcenter.ui.live_updates import SOUND_KEY
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import ListingView, page_title
from commandcenter.ui.pages.users import UsersTab
from commandcenter.ui.reply_templates import ReplyTemplatesTab
from commandcenter.ui.runner import Runner


class SettingsPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        may_edit = allowed(runner.actor, Action.EDIT_SETTINGS)
        self.street = QLineEdit()
        self.prefix = QLineEdit()
        # Greyed like the other settings, not merely read-only: a box that looks editable and
        # takes no typing misleads.
        self.street.setEnabled(may_edit)
        self.prefix.setEnabled(may_edit)
        self.database = QLabel(runner.db.describe())
        self.database.setWordWrap(True)
        self.user = QLabel(runner.actor.label)
        self.warning = QSpinBox()
        self.warning.setObjectName("deadlineWarningPercent")
        self.warning.setRange(10, 95)
        self.warning.setSuffix(" %")
        self.warning.setEnabled(may_edit)
        self.save = QPushButton("保存")
        self.save.setEnabled(may_edit)
        self.save.clicked.connect(self.save_centre)
        # Two columns: the centre's figures on the left, this desk's on the right, so the page
        # keeps its tabs in view on a 768-pixel laptop screen.
        form = QFormLayout()
        side = QFormLayout()
        form.addRow("街道名称", self.street)
        form.addRow("发文字号前缀", self.prefix)
        form.addRow("临期提醒", self.warning)
        self.cap = QSpinBox()
        self.cap.setObjectName("inspectionCap")
        self.cap.setRange(1, 12)
        self.cap.setSuffix(" 次/年")
        self.cap.setEnabled(may_edit)
        self.cap.setToolTip(
            "同一检查对象每年最多检查的次数：随机抽取时不再抽中，手动选定时须经领导批准并写明理由。"
        )
        form.addRow("检查对象年度上限", self.cap)
        self.idle = QSpinBox()
        self.idle.setObjectName("idleLockMinutes")
        self.idle.setRange(*centre_settings.IDLE_LOCK_RANGE)
        self.idle.setSuffix(" 分钟")
        self.idle.setEnabled(may_edit)
        self.idle.setToolTip("无人操作超过该时间，屏幕自动锁定，须输入密码继续；未保存的表单保留。")
        form.addRow("无操作自动锁屏", self.idle)
        self.receipt = QSpinBox()
        self.receipt.setObjectName("transferReceiptDays")
        self.receipt.setRange(*transfer_results.RECEIPT_DAYS_RANGE)
        self.receipt.setSuffix(" 个工作日")
        self.receipt.setEnabled(may_edit)
        self.receipt.setToolTip(
            "案件移送函发出后超过该工作日数仍未登记回执，列入工作台“移送回执未回”，"
            "并计入接收单位考核。"
        )
        side.addRow("移送回执期限", self.receipt)
        # A preference of this PC, not of the centre: each desk decides whether it beeps.
        self.sound = QCheckBox("其他工位登记新事件、派单被退回或\n吹哨待报到时发出提示音（本机）")
        self.sound.setObjectName("noticeSound")
        self.sound.setChecked(bool(settings.value(SOUND_KEY, False, type=bool)))
        self.sound.toggled.connect(lambda wanted: settings.setValue(SOUND_KEY, wanted))
        side.addRow("提示", self.sound)
        side.addRow("数据库", self.database)
        side.addRow("当前用户", self.user)
        if may_edit:
            side.addRow("", self.save)
        else:
            who = QLabel("中心信息和以上设置由管理员修改。")
            who.setObjectName("settingsWho")
            who.setStyleSheet(f"color: {palette.NOTE_TEXT};")
            side.addRow("", who)
        centre_box = QGroupBox("中心信息")
        columns = QHBoxLayout(centre_box)
        columns.addLayout(form, 1)
        columns.addSpacing(24)
        columns.addLayout(side, 1)

        self.tabs = QTabWidget()
        self.audit = ListingView(runner, settings, AUDIT_LOG, self)
        self.tabs.addTab(self.audit, "操作记录")
        self.calendar = CalendarTab(runner, self)
        self.tabs.addTab(self.calendar, "节假日日历")
        self.letterhead = LetterheadTab(runner, self)
        self.tabs.addTab(self.letterhead, "公文版头")
        self.reply_templates = ReplyTemplatesTab(runner, self)
        self.tabs.addTab(self.reply_templates, "办结回复模板")
        self.recipients = BulletinRecipientsTab(runner, self)
        self.tabs.addTab(self.recipients, "通报报送")
        self.users: UsersTab | None = None
        if allowed(runner.actor, Action.MANAGE_USERS):
            self.users = UsersTab(runner, settings, self)
            self.tabs.addTab(self.users, "用户")
        matrix = QTextBrowser()
        matrix.setMarkdown("### 角色权限表\n\n" + permissions.matrix_markdown())
        self.tabs.addTab(matrix, "角色权限")

        layout = QVBoxLayout(self)
        layout.addWidget(page_title("系统设置"))
        layout.addWidget(centre_box)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        current = self.runner.read_now(centre.centre_form)
        self.street.setText(current.street_name)
        self.prefix.setText(current.doc_prefix)
        self.warning.setValue(current.warning_percent)
        self.cap.setValue(current.yearly_cap)
        self.idle.setValue(current.idle_lock_minutes)
        self.receipt.setValue(current.transfer_receipt_days)
        self.warning.setToolTip("事件办理时限（按工作时间）用去该比例后，在队列中显示为黄色临期。")
        self.audit.refresh()
        self.calendar.refresh()
        self.letterhead.refresh()
        self.reply_templates.refresh()
        self.recipients.refresh()
        if self.users is not None:
            self.users.refresh()

    def save_centre(self) -> None:
        form = centre.CentreForm(
            self.street.text(),
            self.prefix.text(),
            self.warning.value(),
            self.cap.value(),
            self.idle.value(),
            self.receipt.value(),
        )

        def done(_result: object) -> None:
            QMessageBox.information(self, "系统设置", "已保存。")
            self.refresh()

        self.runner.run(
            lambda session, actor: centre.save_centre(session, actor, form),
            done,
            write=True,
            parent=self,
        )

    def focus_search(self) -> None:
        self.audit.search.setFocus()
