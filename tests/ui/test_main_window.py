"""The windows as an operator uses them: sign in, first run, every page, printing."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.documents.registry import DOCUMENT_KINDS
from commandcenter.paths import AppPaths, sqlite_url
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.listing import Listing
from commandcenter.services.listing_registry import ALL_LISTINGS
from commandcenter.services.system_listings import USERS
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs.first_run import FirstRunDialog
from commandcenter.ui.dialogs.pdf_preview import PdfPreviewDialog
from commandcenter.ui.dialogs.sign_in import SignInDialog
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.pages import PAGES
from commandcenter.ui.runner import Runner
from commandcenter.ui.table_model import ListingModel
from tests.conftest import AS_OF, PASSWORD, sqlite_only


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def type_text(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type *text*: key clicks for ASCII; Chinese arrives committed by the input method, which
    QTest cannot simulate (its key clicks abort on characters outside Latin-1)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def _ok(dialog: SignInDialog | FirstRunDialog) -> None:
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_sign_in_dialog(qtbot: QtBot, db: Database) -> None:
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "梅山街道综合行政执法指挥中心" in dialog.ui.centreLabel.text()
    type_text(qtbot, dialog.ui.usernameEdit, "admin")
    type_text(qtbot, dialog.ui.passwordEdit, "not the password")
    _ok(dialog)
    # The password is checked on a thread; the form stays painted and refuses a second press.
    assert not dialog.ui.buttons.isEnabled()
    qtbot.waitUntil(lambda: dialog.ui.errorLabel.text() != "", timeout=10_000)
    assert dialog.ui.errorLabel.text() == "用户名或密码不正确。"
    assert dialog.result() == 0 and dialog.actor is None
    assert dialog.ui.usernameEdit.text() == "admin"  # what was typed stays
    assert dialog.ui.passwordEdit.text() == "" and dialog.ui.buttons.isEnabled()
    type_text(qtbot, dialog.ui.passwordEdit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_first_run_keeps_input_on_error_and_sets_up(qtbot: QtBot, tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "new.db"), create=True)
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.ui.streetEdit, "梅山街道")
    type_text(qtbot, dialog.ui.prefixEdit, "MS")  # must be Chinese
    type_text(qtbot, dialog.ui.displayNameEdit, "张管理")
    type_text(qtbot, dialog.ui.passwordEdit, "管理员的长密码1")
    type_text(qtbot, dialog.ui.confirmEdit, "管理员的长密码1")
    _ok(dialog)
    assert "汉字" in dialog.ui.errorLabel.text()
    assert dialog.ui.streetEdit.text() == "梅山街道"
    assert dialog.ui.passwordEdit.text() == "管理员的长密码1"
    with db.read() as session:
        assert not settings.is_initialised(session)  # nothing half-written
    dialog.ui.prefixEdit.setText("梅执")
    _ok(dialog)
    assert dialog.actor is not None
    with db.read() as session:
        assert settings.load(session).doc_prefix == "梅执"
    db.dispose()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    yield ui.window
    ui.window.close()


def test_a_page_is_built_when_first_shown(window) -> None:  # type: ignore[no-untyped-def]
    # Start-up builds only the page the window opens on; the others wait for their first visit.
    assert list(window.pages) == [window.current_key()]
    window.show_page("roster")
    assert set(window.pages) == {window.stack.widget(0).objectName()[5:], "roster"}
    assert window.page("roster") is window.stack.currentWidget()


def test_every_page_shows_data(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    for spec in PAGES:
        window.show_page(spec.key)
        page = window.page(spec.key)
        assert window.stack.currentWidget() is page
        tables = page.findChildren(QTableView)

        def shown(tables: list[QTableView] = tables) -> int:
            return sum(t.model().rowCount() for t in tables if t.model() is not None)

        if spec.key == "meetings":  # opens on the 日碰头, read in a worker
            qtbot.waitUntil(lambda p=page: p.huddle.view.briefing is not None, timeout=10_000)
        elif spec.key == "dashboard":  # its figures and the list on show are read in a worker
            card = page.cards["open_incidents"]
            qtbot.waitUntil(lambda c=card: c.value.text() not in ("–", "0"), timeout=10_000)
            page.tabs.setCurrentWidget(page.overdue)  # the lists behind tabs are read when shown
            qtbot.waitUntil(lambda: shown() > 0, timeout=10_000)
        elif spec.key != "reports":
            assert shown() > 0, spec.title
    qtbot.waitUntil(lambda: "超期未办结" in window.overdue_label.text())  # read in a worker
    assert "王建国" in window.user_label.text()


def test_the_status_bar_says_when_the_database_is_out_of_reach(  # type: ignore[no-untyped-def]
    window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commandcenter.errors import DatabaseFailure
    from commandcenter.services import overview

    qtbot.waitUntil(lambda: "超期未办结" in window.overdue_label.text())

    def unreachable(*_args: object) -> int:
        raise DatabaseFailure("数据库连接已断开。")

    monkeypatch.setattr(overview, "overdue_count", unreachable)
    window.refresh_status()  # as its timer does each minute, in a worker
    qtbot.waitUntil(lambda: window.overdue_label.text() == "数据库暂时无法访问")


def test_shortcuts_switch_pages(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "incidents"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "meetings"
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"


def test_search_filters_in_the_database(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("incidents")
    view = window.page("incidents").view
    before = view.model.total
    type_text(qtbot, view.search, "七星")
    qtbot.waitUntil(lambda: view.model.total < before)
    assert view.model.total > 0
    assert view.count_label.text() == f"共 {view.model.total} 条"


def test_window_state_persists(
    qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths
) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    first = build_main_window(app, demo_db, leader, paths).window  # type: ignore[arg-type]
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.show_page("directory")
    first.move(40, 30)
    first.splitter.setSizes([230, 570])
    first.close()
    stored = QSettings(str(paths.ui_settings), QSettings.Format.IniFormat)
    # Qt's restoreGeometry then fits this to the screen (offscreen: 800x600).
    assert stored.value("window/geometry") == first.saveGeometry()
    assert stored.value("window/splitter") == first.splitter.saveState()
    second = build_main_window(app, demo_db, leader, paths).window  # type: ignore[arg-type]
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.current_key() == "directory"


@pytest.mark.parametrize("listing", ALL_LISTINGS, ids=lambda listing: listing.key)
def test_table_models_pass_the_model_tester(
    qtmodeltester,
    demo_db: Database,
    leader: Actor,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    listing: Listing,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The demo's morning, not the machine's: "today" lists must have rows.
    morning = timeutil.local_datetime(AS_OF, time(9, 0))
    monkeypatch.setattr(timeutil, "now", lambda: morning)
    actor = leader
    if listing is USERS:
        from commandcenter.services.auth import actor_for

        with demo_db.read() as session:
            actor = actor_for(session, "admin")
    runner = Runner(demo_db, actor, tmp_path)
    model = ListingModel(runner, listing)
    model.reload()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


@pytest.mark.slow
def test_pdf_preview_prints(qtbot: QtBot, demo_db: Database, leader: Actor, tmp_path: Path) -> None:
    kind = DOCUMENT_KINDS[0]
    with demo_db.read() as session:
        pdf = kind.render_sample(session, leader, tmp_path / "order.pdf")
    dialog = PdfPreviewDialog(pdf, kind.title)
    qtbot.addWidget(dialog)
    assert dialog.page_count == 1
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_to(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_print_from_the_queue_opens_the_preview(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("incidents")
    page = window.page("incidents")
    page.view.choose_filter("status", "已派单")
    page.view.table.selectRow(0)
    page.print_dispatch_order()
    qtbot.waitUntil(
        lambda: window.findChild(PdfPreviewDialog, "pdfPreview") is not None, timeout=15_000
    )
    preview = window.findChild(PdfPreviewDialog, "pdfPreview")
    assert preview.page_count == 1
    assert preview.pdf_path.exists()
    preview.close()


@pytest.mark.slow
@sqlite_only
def test_demo_database_is_made_once_and_never_over_real_data(
    qtbot: QtBot, tmp_path: Path, db: Database
) -> None:
    from sqlalchemy import func, select

    from commandcenter.db.models import Incident
    from commandcenter.demo import generator
    from commandcenter.errors import UserError
    from commandcenter.ui.launch import DEMO_INCIDENTS, open_demo_database

    home = AppPaths(tmp_path / "demo-home")
    first = open_demo_database(home)
    first.dispose()
    again = open_demo_database(home)
    with again.read() as session:
        # The history asked for, and the calls of the demo's morning.
        expected = DEMO_INCIDENTS + len(generator.MORNING_CALLS)
        assert session.scalar(select(func.count(Incident.id))) == expected
    again.dispose()
    # A real database where the demo should be is refused, untouched.
    real = tmp_path / "cc.db"
    other = AppPaths(tmp_path / "other-home")
    other.demo_database.parent.mkdir(parents=True)
    db.dispose()
    other.demo_database.write_bytes(real.read_bytes())
    before = other.demo_database.read_bytes()
    with pytest.raises(UserError, match="不是演示数据库"):
        open_demo_database(other)
    assert other.demo_database.read_bytes() == before


def test_any_list_exports_what_it_shows(
    window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QMessageBox, QToolButton

    from commandcenter.ui import file_dialogs

    target = tmp_path / "queue.xlsx"
    told: list[str] = []
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *_args, **_kwargs: str(target))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window.show_page("incidents")
    view = window.page("incidents").view
    view.choose_filter("status", "已派单")
    view.search.setText("路")
    with qtbot.waitSignal(view.read):  # a search is read in a worker
        view._apply_search()
    button = view.findChild(QToolButton, "export_incidents")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    rows = list(load_workbook(target)["事件队列"].iter_rows(values_only=True))[1:]
    assert len(rows) == view.model.total > 0 and f"已导出 {len(rows)} 条" in told[0]
    model = view.model
    assert model.rowCount() == model.total  # one page: every row is on screen to compare
    assert [r[0] for r in rows] == [model.index(n, 0).data() for n in range(model.rowCount())]
    assert {r[5] for r in rows} == {"已派单"}


def test_only_an_admin_sees_the_tools_menu(
    window, qtbot: QtBot, demo_db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QMessageBox

    from commandcenter.services.auth import actor_for

    def tools(w) -> bool:  # type: ignore[no-untyped-def]
        menu = next(a for a in w.menuBar().actions() if a.text() == "工具(&T)")
        return menu.isVisible()

    assert not tools(window)  # the demo leader
    with demo_db.read() as session:
        admin = actor_for(session, "admin")
    ui = build_main_window(QApplication.instance(), demo_db, admin, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    assert tools(ui.window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    ui.window._backup_now()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    if demo_db.sqlite_path is None:  # a server's backups are pg_dump's, kept by its admin
        assert ui.window.backups is None and "服务器管理员" in shown[0]
        return
    assert "已备份并校验" in shown[0] and list(paths.backups.glob("*-manual.db"))


def test_a_read_only_database_shows_a_banner_and_refuses_changes(
    qtbot: QtBot, demo_db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from commandcenter.db.models import UnitKind
    from commandcenter.services import organisation
    from commandcenter.services.auth import actor_for

    url = demo_db.engine.url.render_as_string(hide_password=False)
    read_only = open_database(url, read_only=True)
    with read_only.read() as session:
        leader = actor_for(session, "leader")
    ui = build_main_window(QApplication.instance(), read_only, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    banner = ui.window.read_only_banner
    assert banner is not None and banner.isVisible() and banner.text().startswith("只读模式")
    assert ui.window.db_label.text().endswith("（只读）") and ui.window.backups is None
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    form = organisation.UnitForm(name="执法五中队", short_name="五中队", kind=UnitKind.SQUAD)
    ui.runner.run(
        lambda session, actor: organisation.create_unit(session, actor, form),
        write=True,
        parent=ui.window,
    )
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "只读方式打开，不能修改" in shown[0]
    ui.window.close()
    read_only.dispose()


@sqlite_only
def test_a_damaged_database_left_open_shows_a_red_banner(
    qtbot: QtBot, demo_db: Database, paths: AppPaths, tmp_path: Path
) -> None:
    import shutil

    from PySide6.QtWidgets import QApplication

    from commandcenter.services.auth import actor_for
    from commandcenter.ui import palette

    with demo_db.read() as session:
        leader = actor_for(session, "leader")
        conn = session.connection()
        root = int(
            conn.exec_driver_sql(
                "SELECT rootpage FROM sqlite_master WHERE name = 'training_attendance'"
            ).scalar_one()
        )
        size = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
    assert demo_db.sqlite_path is not None
    demo_db.dispose()
    path = tmp_path / "left-open.db"
    shutil.copyfile(demo_db.sqlite_path, path)
    with path.open("r+b") as fh:  # a table the first page does not read, overwritten
        fh.seek((root - 1) * size)
        fh.write(b"\xa5" * size)
    path.with_name(path.name + "-wal").write_bytes(b"")  # as a killed program leaves it
    damaged = open_database(sqlite_url(path))
    ui = build_main_window(QApplication.instance(), damaged, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.resize(1366, 768)
    ui.window.show()
    banner = ui.window.read_only_banner
    assert banner is not None and banner.isVisible()
    assert banner.text().startswith("数据库文件检查未通过，文件已损坏")
    assert "请恢复备份" in banner.text()
    assert palette.ALARM_BANNER_BACKGROUND in banner.styleSheet()
    assert ui.window.db_label.text().endswith("（只读）") and ui.window.backups is None
    ui.window.close()
    damaged.dispose()


def test_closing_during_an_export_asks_and_cancels_it(
    window, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent, _title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window.show_page("assessment")
    page = window.page("assessment")
    out = tmp_path / "导出"
    page.export_to(AS_OF.year, out)

    window.close()  # answered 否: the window stays and the export goes on
    assert asked == [
        f"正在导出{AS_OF.year}年度考核结果。关闭程序将取消它，已写的部分会清除。确定关闭吗？"
    ]
    assert window.isVisible() and page.running_work()

    answer = QMessageBox.StandardButton.Yes
    window.close()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: page.running_work() is None, timeout=30_000)
    assert told == []  # no notice of the cancel after the window has gone
    assert list(out.iterdir()) == []


def _numbered_pages(path: Path, count: int) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for page in range(1, count + 1):
        canvas.drawString(100, 700, f"page {page}")
        canvas.showPage()
    canvas.save()
    return path


def test_printing_keeps_the_page_range_and_greys_on_white_paper(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = PdfPreviewDialog(_numbered_pages(tmp_path / "three.pdf", 3), "三页")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # 1200 dpi to a PDF
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    dialog.print_to(printer)
    printed = QPdfDocument()
    printed.load(str(tmp_path / "printed.pdf"))
    assert printed.pageCount() == 2
    page = printed.render(0, QSize(200, 280))
    assert page.pixelColor(5, 5).lightness() > 240  # white paper, not a black sheet
    assert (tmp_path / "printed.pdf").stat().st_size < 2_000_000
