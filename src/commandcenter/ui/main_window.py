"""The main window: sidebar of ten places, the page stack and a status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import APP_NAME, __version__
from commandcenter.db.changes import Changes
from commandcenter.errors import UserError
from commandcenter.services import audit_evidence, checks, overview
from commandcenter.services import settings as centre_settings
from commandcenter.services.incidents import detail
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.app import settle_heap
from commandcenter.ui.backup_schedule import BackupSchedule
from commandcenter.ui.busy import BusyIndicator
from commandcenter.ui.dialogs.password import change_own_password
from commandcenter.ui.dialogs.restore import RestoreDialog
from commandcenter.ui.fitting import resize_within_screen
from commandcenter.ui.icons import icon, nav_icon
from commandcenter.ui.idle_lock import IdleLock, confirm_switch_user
from commandcenter.ui.live_updates import LiveUpdates
from commandcenter.ui.pages import PAGES, PageSpec
from commandcenter.ui.pages.base import Page
from commandcenter.ui.runner import Runner

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 60_000
NOTICE_MS = 15_000  # how long another desk's news stays in the status bar


def _shortcut(number: int) -> str:
    """Ctrl+1 to Ctrl+9 for the first nine places, Ctrl+0 for the tenth."""
    return f"Ctrl+{number % 10}"


def _numbers() -> dict[str, int]:
    """Each numbered place's number, in sidebar order."""
    numbered = [spec.key for spec in PAGES if spec.numbered]
    return {key: n for n, key in enumerate(numbered, start=1)}


class MainWindow(QMainWindow):
    # Someone else is to sign in: the launcher closes this session first.
    switch_user_requested = Signal()
    # A backup is to replace the open database: the launcher closes the session, restores, and
    # asks for a sign-in to the restored database.
    restore_requested = Signal(Path)

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        centre = runner.read_now(centre_settings.centre)
        demo = "（演示数据）" if centre.is_demo else ""
        # Qt appends the application display name (指挥中心工作台) itself.
        self.setWindowTitle(f"{centre.centre_name}{demo}")
        self.setObjectName("mainWindow")

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(150)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}  # the pages built so far; see page()
        self.backups: BackupSchedule | None = None  # set when the database is a local file
        self.idle_lock: IdleLock | None = None  # set by the launcher
        self._dirty: set[str] = set()
        numbers = _numbers()
        for spec in PAGES:
            item = QListWidgetItem(nav_icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            number = numbers.get(spec.key)
            item.setToolTip(f"{spec.title}（{_shortcut(number)}）" if number else spec.title)
            self.nav.addItem(item)
            self._dirty.add(spec.key)
        self.nav.currentRowChanged.connect(self._show_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 1100])
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.read_only_banner: QLabel | None = None
        if runner.db.read_only:
            # Every change is refused below the UI; the banner says so before anyone tries.
            self.read_only_banner = QLabel(
                f"只读模式：可以查看和打印，不能作任何修改。{runner.db.read_only}"
            )
            self.read_only_banner.setObjectName("readOnlyBanner")
            self.read_only_banner.setProperty("role", "banner")
            if runner.db.damaged:
                # A damaged file is an alarm, not a mode: red until a backup is put back.
                self.read_only_banner.setText(runner.db.read_only)
                self.read_only_banner.setStyleSheet(palette.alarm_banner_style())
            self.read_only_banner.setWordWrap(True)
            column.addWidget(self.read_only_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel(f"当前用户：{runner.actor.label}")
        self.user_label.setObjectName("statusUser")
        self.db_label = QLabel(
            f"数据库：{runner.db.describe()}" + ("（只读）" if runner.db.read_only else "")
        )
        self.db_label.setObjectName("statusDatabase")
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("statusOverdue")
        status = self.statusBar()
        status.addWidget(self.user_label)
        status.addWidget(self.db_label, 1)
        status.addPermanentWidget(self.overdue_label)
        self.busy_label = QLabel()
        status.addPermanentWidget(self.busy_label)
        self.busy = BusyIndicator(self.busy_label, self)
        self._signing_out = False
        runner.busy_changed.connect(self.busy.set_busy)
        runner.account_withdrawn.connect(self._sign_out)

        self._build_menus()
        runner.changed.connect(self._on_changed)
        self.live = LiveUpdates(runner, settings, self)
        self.live.noticed.connect(lambda text: self.statusBar().showMessage(text, NOTICE_MS))
        self.live.start()
        self._status_timer = QTimer(self, interval=STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        self._restore()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self.refresh_status()

    # --- menus and shortcuts ---------------------------------------------------------------------

    def _add(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        icon_name: str | None = None,
        shortcut: str | None = None,
    ) -> QAction:
        action = QAction(text, self) if icon_name is None else QAction(icon(icon_name), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self._add(file_menu, "锁定屏幕(&L)", self._lock, "lock", "Ctrl+L")
        self._add(file_menu, "切换用户(&U)…", self._switch_user, "switch-user")
        self._add(file_menu, "修改密码(&P)…", self._change_password, "key")
        file_menu.addSeparator()
        self._add(file_menu, "退出(&X)", self.close, shortcut="Ctrl+Q")

        view_menu = self.menuBar().addMenu("视图(&V)")
        numbers = _numbers()
        for spec in PAGES:
            action = QAction(nav_icon(spec.icon), spec.title, self)
            if spec.key in numbers:
                action.setShortcut(QKeySequence(_shortcut(numbers[spec.key])))
            # triggered passes the checked flag; the default binds this action's page
            action.triggered.connect(lambda _=False, key=spec.key: self.show_page(key))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self._add(view_menu, "刷新(&R)", self.refresh_current, "refresh", "F5")
        self._add(view_menu, "查找(&F)", self._focus_search, "search", "Ctrl+F")
        self._add(view_menu, "转到事件(&G)…", self._go_to_incident, "search", "Ctrl+G")

        tools = self.menuBar().addMenu("工具(&T)")
        tools.menuAction().setVisible(allowed(self.runner.actor, Action.BACKUP_RESTORE))
        self._add(tools, "立即备份(&B)", self._backup_now, "database")
        self._add(tools, "从备份恢复(&R)…", self._restore_backup, "history")
        self._add(tools, "数据检查(&C)…", self._check, "review")

        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._add(help_menu, "关于(&A)", self._about)

    def _lock(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.lock()

    def _sign_out(self, why: str) -> None:
        """The account may no longer act: say why and go back to the sign-in window. Forms
        still open are closed with the window; nothing was written for them."""
        if self._signing_out:
            return
        self._signing_out = True
        QMessageBox.warning(self, "账号已变更", why)
        self.switch_user_requested.emit()

    def _switch_user(self) -> None:
        if confirm_switch_user(self, self.runner.actor):
            self.switch_user_requested.emit()

    def _change_password(self) -> None:
        if change_own_password(self, self.runner):
            QMessageBox.information(self, "修改密码", "密码已修改，下次登录请使用新密码。")

    def _backup_now(self) -> None:
        if self.backups is None:
            QMessageBox.information(
                self,
                "立即备份",
                "当前数据库不在本机（或是演示数据库），由服务器管理员负责备份。",
            )
            return
        self.backups.backup_now(self)

    def _restore_backup(self) -> None:
        if self.backups is None:
            QMessageBox.information(
                self,
                "从备份恢复",
                "当前数据库不在本机（或是演示数据库、只读数据库），不能在这里恢复。",
            )
            return
        dialog = RestoreDialog(self.backups.folder, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        answer = QMessageBox.question(
            self,
            "从备份恢复",
            f"用以下备份替换当前数据库？\n{dialog.chosen}\n\n"
            "当前数据库会先另存为“恢复前备份”。所有窗口将关闭，未保存的内容不再保留。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(dialog.chosen)

    def _check(self) -> None:
        def show(findings: list[checks.Finding]) -> None:
            box = QMessageBox(self)
            box.setWindowTitle("数据检查")
            box.setText(
                "检查完毕，未发现问题。" if not findings else f"发现 {len(findings)} 个问题。"
            )
            repair = None
            if findings:
                box.setDetailedText("\n".join(checks.report_lines(findings)))
                box.setIcon(QMessageBox.Icon.Warning)
                if any(f.fix for f in findings):
                    box.setInformativeText(
                        "其中部分问题可按记录自身的历史安全修复（修复前先备份）。"
                    )
                    repair = box.addButton("安全修复", QMessageBox.ButtonRole.ActionRole)
                box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if repair is not None and box.clickedButton() is repair:
                self._repair()

        folder = self.runner.backups_dir
        self.runner.run(
            lambda session, actor: checks.run_checks(session, actor, folder), show, parent=self
        )

    def _repair(self) -> None:
        def done(result: tuple[Path | None, list[str]]) -> None:
            made, repaired = result
            lines = (
                [f"已修复 {len(repaired)} 处：", *repaired]
                if repaired
                else ["没有需要修复的项目。"]
            )
            if made is not None:
                lines.append(f"修复前的备份：{made}")
            QMessageBox.information(self, "数据检查", "\n".join(lines))
            self._check()  # a second run shows what is left: only what a person must decide

        self.runner.run_transactions(
            lambda db, actor: checks.repair_database(db, actor, self.runner.backups_dir),
            done,
            parent=self,
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"{APP_NAME} {__version__}\n街道综合行政执法指挥中心工作平台\n\n"
            f"数据库：{self.runner.db.describe()}",
        )

    # --- pages -----------------------------------------------------------------------------------

    def show_page(self, key: str) -> None:
        for row, spec in enumerate(PAGES):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(key)

    def page(self, key: str) -> Page:
        """The page *key*, built on first use: start-up builds only the page it opens on."""
        page = self.pages.get(key)
        if page is None:
            spec = next(spec for spec in PAGES if spec.key == key)
            page = spec.build(self.runner, self.settings)
            # Pages that list incidents (工作台, 考核评价's figures) open them in the queue.
            page.open_incident.connect(self.open_incident)
            page.show_place.connect(self.show_page)
            self.pages[key] = page
            self.stack.addWidget(page)
            settle_heap()  # its widgets stay for the session: out of the collector's walks
        return page

    def _leave_checkpoint(self) -> None:
        """Where the audit log stands as the window closes, kept outside the database."""
        folder = self.runner.backups_dir
        try:
            self.runner.read_now(
                lambda session, actor: audit_evidence.record_checkpoint(session, actor, folder)
            )
        except (UserError, OSError) as exc:  # an unreachable database or folder: next time
            log.warning("audit checkpoint not written: %s", exc)

    def _go_to_incident(self) -> None:
        typed, ok = QInputDialog.getText(
            self, "转到事件", "事件编号（如 2026-000123，本年事件也可只输序号 123）："
        )
        if not ok or not typed.strip():
            return
        found = self.runner.read_now(
            lambda session, actor: detail.find_typed_number(session, actor, typed)
        )
        if found is None:
            QMessageBox.information(self, "转到事件", f"没有编号为“{typed.strip()}”的事件。")
            return
        self.open_incident(found)

    def open_incident(self, incident_id: int) -> None:
        """Show one incident in the queue's detail pane (from the 工作台's lists)."""
        self.show_page("incidents")
        self.page("incidents").open_record(incident_id)

    def current_key(self) -> str:
        return PAGES[max(0, self.nav.currentRow())].key

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec: PageSpec = PAGES[row]
        self.stack.setCurrentWidget(self.page(spec.key))
        if spec.key in self._dirty:
            self._refresh_page(spec.key)

    def _refresh_page(self, key: str) -> None:
        self._dirty.discard(key)
        self.page(key).refresh()

    def refresh_current(self) -> None:
        self._refresh_page(self.current_key())
        self.refresh_status()

    def _focus_search(self) -> None:
        self.page(self.current_key()).focus_search()

    def _on_changed(self, areas: Changes) -> None:
        """A write touched *areas*: refresh the visible page now, the others when shown."""
        for spec in PAGES:
            if spec.areas & areas:
                self._dirty.add(spec.key)
        if self.current_key() in self._dirty:
            self._refresh_page(self.current_key())
        self.refresh_status()

    def refresh_status(self) -> None:
        """The status bar's overdue count, read in a worker (70 ms on a large street, after
        every write and each minute). Every read in a worker asks whether the account may
        still act, so an account disabled meanwhile signs out within the minute."""

        def shown(count: int) -> None:
            self.overdue_label.setText(f"超期未办结：{count} 件")
            self.overdue_label.setStyleSheet(
                f"color: {palette.ALERT_RED}; font-weight: bold;" if count else ""
            )

        def failed(exc: BaseException) -> None:
            # The timer must not warn every minute while the database is out of reach.
            log.warning("status refresh failed: %s", exc)
            self.overdue_label.setText("数据库暂时无法访问")
            self.overdue_label.setStyleSheet(f"color: {palette.ALERT_RED};")

        self.runner.run(overview.overdue_count, shown, parent=self, on_error=failed, quiet=True)

    # --- window state ----------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1360, 820)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        page = self.settings.value("window/page")
        if isinstance(page, str) and any(spec.key == page for spec in PAGES):
            self.show_page(page)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/page", self.current_key())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Work a page is doing that closing would cut short (a year-end export): ask, then
        # cancel it, so it is not left running on behind a window that has gone.
        running = [(page, text) for page in self.pages.values() if (text := page.running_work())]
        if running:
            doing = "；".join(text for _, text in running)
            answer = QMessageBox.question(
                self, "关闭程序", f"{doing}。关闭程序将取消它，已写的部分会清除。确定关闭吗？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            for page, _ in running:
                page.cancel_running()
        self._status_timer.stop()
        self.live.stop()
        self.save_state()
        # A write still in its worker commits or rolls back before the database is closed; the
        # limit keeps a stuck worker from holding the window open.
        self.runner.wait(5000)
        self._leave_checkpoint()
        self.busy.set_busy(False)  # the cursor is the application's: give it back
        super().closeEvent(event)
