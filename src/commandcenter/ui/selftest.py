"""``commandcenter selftest``: open the main window, visit every page, render every paper.

It runs on a fresh demo database in a temporary folder (or on a given demo database), works
offscreen and on a real display, and is the smoke test for packaged builds. A page that shows
nothing is a failure, not a pass.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QFile
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QTableView, QTableWidget, QTextBrowser, QWidget

from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.demo import DEMO_LEADER
from commandcenter.errors import UserError
from commandcenter.paths import AppPaths, sqlite_url
from commandcenter.services import settings as centre_settings
from commandcenter.services.auth import actor_for
from commandcenter.ui.app import create_application
from commandcenter.ui.launch import AppSession, build_main_window
from commandcenter.ui.pages import PAGES
from commandcenter.ui.runner import Runner

SELFTEST_INCIDENTS = 400

Say = Callable[[str], None]


def _settle(app: QApplication, milliseconds: int = 50) -> None:
    """Let Qt run for a while, not one pass: results from workers and the rows a view fetches
    as it lays out arrive as further events."""
    deadline = time.monotonic() + milliseconds / 1000
    while time.monotonic() < deadline:
        app.processEvents()


def _rows_shown(page: QWidget) -> int:
    """How many table rows a page shows, over all its tables; a filled report view counts one."""
    total = 0
    for browser in page.findChildren(QTextBrowser):
        if browser.isVisible() and browser.document().characterCount() > 1:
            total += 1
    for view in page.findChildren(QTableView):
        model = view.model()
        if model is not None:
            total += model.rowCount()
    for widget in page.findChildren(QTableWidget):
        total += widget.rowCount()
    return total


def run_selftest(
    *, screenshots: Path | None, startup_only: bool, db_url: str | None, say: Say = print
) -> int:
    timer = QElapsedTimer()
    timer.start()
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="commandcenter-selftest-") as tmp:
        home = AppPaths(Path(tmp))
        if db_url:
            db = open_database(db_url, backup_dir=home.backups)
            if not centre_settings.before_sign_in(db).is_demo:
                db.dispose()
                raise UserError("自检只能在演示数据库上运行，以免登录验证被绕过。")
        else:
            db = open_database(sqlite_url(home.home / "selftest.db"), create=True)
            from commandcenter.demo import generator  # only without a database given

            generator.generate(db, seed=7, incidents=SELFTEST_INCIDENTS)
        try:
            with db.read() as session:
                actor = actor_for(session, DEMO_LEADER)
            # The home is a throwaway folder: no scheduled backup into it.
            app_session = build_main_window(app, db, actor, home, scheduled_backups=False)
            window = app_session.window
            window.show()
            _settle(app)
            if startup_only:
                say(f"主窗口已就绪：{timer.elapsed()} 毫秒")
                window.close()
                return 0
            return _visit(app, app_session, home, screenshots, say)
        finally:
            Runner.finish_all()
            db.dispose()


def _missing_parts(db: Database) -> list[str]:
    """What a packaged build must carry besides code: compiled resources, Qt's Chinese
    translation (the text of standard buttons and dialogs) and the compiled forms."""
    from commandcenter.ui.dialogs.sign_in import SignInDialog

    missing = [
        f"资源文件缺失：{name}"
        for name in (":/commandcenter/style.qss", ":/commandcenter/app.svg")
        if not QFile.exists(name)
    ]
    if QCoreApplication.translate("QPlatformTheme", "Cancel") != "取消":
        missing.append("缺少 Qt 中文翻译（qtbase_zh_CN.qm），标准按钮会显示英文")
    dialog = SignInDialog(db)
    if not dialog.ui.centreLabel.text():
        missing.append("登录窗口（forms/sign_in.ui）没有内容")
    dialog.deleteLater()
    return missing


def _export_year_apart(runner: Runner, home: AppPaths, say: Say) -> list[str]:
    """The year-end export as a large year runs it, in an export process with a pool of two:
    in a packaged build this proves the program can start itself as a worker."""
    from commandcenter.documents import year_end
    from commandcenter.services.assessment import schemes

    year = max(runner.read_now(schemes.scheme_years), default=None)
    if year is None:
        return ["演示数据中没有考核方案，无法检查年度导出"]
    try:
        result = year_end.export(runner.db, runner.actor, year, home.home / "年度导出", processes=2)
    except UserError as exc:
        return [f"年度考核结果导出失败：{exc.message}"]
    say(f"年度导出：{result.sheets} 份考核评价表和汇总表（导出进程和 2 个生成进程）")
    return []


def _visit(
    app: QApplication, app_session: AppSession, home: AppPaths, screenshots: Path | None, say: Say
) -> int:
    # The papers and the preview are loaded only for the full run, not for --startup-only.
    from commandcenter.documents.registry import DOCUMENT_KINDS
    from commandcenter.ui.dialogs.pdf_preview import PdfPreviewDialog

    window = app_session.window
    runner = app_session.runner
    failures = _missing_parts(runner.db)
    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
    for number, spec in enumerate(PAGES, start=1):
        window.show_page(spec.key)
        runner.wait()  # pages that count in a worker: let them finish before looking
        _settle(app)
        page = window.page(spec.key)
        rows = _rows_shown(page)
        if rows == 0:
            failures.append(f"页面“{spec.title}”没有显示任何数据")
        say(f"页面 {spec.title}：{rows} 行")
        if screenshots is not None:
            window.grab().save(str(screenshots / f"{number:02d}-{spec.key}.png"))

    documents = home.home / "documents"
    with runner.db.read() as session:
        for kind in DOCUMENT_KINDS:
            path = documents / f"{kind.key}.pdf"
            try:
                kind.render_sample(session, runner.actor, path)
            except UserError as exc:
                failures.append(f"文书“{kind.title}”生成失败：{exc.message}")
                continue
            pdf = QPdfDocument()
            if pdf.load(str(path)) != QPdfDocument.Error.None_ or pdf.pageCount() < 1:
                failures.append(f"文书“{kind.title}”无法打开")
                continue
            say(f"文书 {kind.title}：{pdf.pageCount()} 页")
            if screenshots is not None:
                preview = PdfPreviewDialog(path, kind.title, window)
                preview.show()
                _settle(app, 150)
                preview.grab().save(str(screenshots / f"doc-{kind.key}.png"))
                preview.close()
    failures += _export_year_apart(runner, home, say)
    window.close()
    if failures:
        for failure in failures:
            say(f"失败：{failure}")
        return 1
    say(f"自检通过：{len(PAGES)} 个页面，{len(DOCUMENT_KINDS)} 种文书。")
    return 0
