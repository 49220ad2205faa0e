"""The QApplication: Chinese locale, Qt's own Chinese translation, font, style and icon."""

from __future__ import annotations

import gc
import sys
from typing import ClassVar

from PySide6.QtCore import QFile, QLibraryInfo, QLocale, QTextStream, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from commandcenter import APP_NAME, __version__
from commandcenter.ui import (
    palette,
    resources_rc,  # noqa: F401 - registers :/commandcenter/...
)

_UI_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "PingFang SC",
)


class MissingQtWords(QTranslator):
    """The few words of Qt's own dialogs its Chinese translation leaves in English (a file
    dialog's 文件夹 column, the print dialog's 页面集)."""

    WORDS: ClassVar[dict[tuple[str, str], str]] = {
        ("QAbstractFileIconProvider", "Folder"): "文件夹",
        ("QAbstractFileIconProvider", "File"): "文件",
        ("QAbstractFileIconProvider", "Drive"): "驱动器",
        ("QAbstractFileIconProvider", "Computer"): "计算机",
        ("QAbstractFileIconProvider", "Trash"): "回收站",
        ("QPrintSettingsOutput", "Page &Set:"): "页面集(&S)：",
    }

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        plural: int = -1,
    ) -> str | None:
        # None, not "": Qt asks the next translator only when the answer is a null string.
        return self.WORDS.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 scales for high-DPI screens by itself (fractional factors pass through).
        _own_taskbar_entry()
        app = QApplication(argv if argv is not None else sys.argv[:1])
    configure(app)
    return app


def _own_taskbar_entry() -> None:
    """On Windows, group the window and a pinned shortcut under the app's own icon rather than
    under the Python interpreter's (which a source install runs as)."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("commandcenter.workbench")


def configure(app: QApplication) -> None:
    app.setApplicationName("commandcenter")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("commandcenter")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if not app.property("cc_translated"):
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(
            QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path
        ):
            app.installTranslator(translator)
        app.installTranslator(MissingQtWords(app))
        app.setProperty("cc_translated", True)
    families = set(QFontDatabase.families())
    for family in _UI_FONTS:
        if family in families:
            font = QFont(family, 10)
            app.setFont(font)
            break
    app.setWindowIcon(QIcon(":/commandcenter/app.svg"))
    qss = QFile(":/commandcenter/style.qss")
    if qss.open(QFile.OpenModeFlag.ReadOnly | QFile.OpenModeFlag.Text):
        # The sheet names its colours; the palette fills them in (see ui/palette.py).
        app.setStyleSheet(palette.style_sheet(QTextStream(qss).readAll()))
        qss.close()


def settle_heap() -> None:
    """Take what start-up built out of the cycle collector's sight.

    A worker allocating many objects (a font's glyph tables, a year-end export) sets off full
    collections, and each walks every widget, model and mapped class while holding the
    interpreter lock: the GUI froze ~80 ms at a time (figure 4 in docs/performance.md).
    Reference counting still frees these objects; only cycles among them stay for good.
    """
    gc.freeze()
