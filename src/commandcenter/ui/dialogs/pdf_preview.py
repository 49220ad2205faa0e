"""Preview of a generated PDF with print and save-as, before it goes to paper."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QToolBar, QVBoxLayout, QWidget

from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.fitting import resize_within_screen
from commandcenter.ui.icons import icon

# Finer than this adds spool size and time, not sharpness: text at 600 dpi is at the limit of
# what office laser printers resolve.
MAX_PRINT_DPI = 600


def _on_white(image: QImage) -> QImage:
    """The page as paper shows it: a rendered page is transparent where nothing is drawn, which
    a conversion to grey would turn black."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor(palette.PAPER))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


class PdfPreviewDialog(QDialog):
    def __init__(self, pdf_path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf_path = pdf_path
        self.setWindowTitle(f"{title} - 预览")
        resize_within_screen(self, 900, 1000)
        self.document = QPdfDocument(self)
        error = self.document.load(str(pdf_path))
        if error != QPdfDocument.Error.None_:
            raise OSError(f"无法打开 PDF：{pdf_path}")
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        toolbar = QToolBar()
        print_action = QAction(icon("print"), "打印(&P)…", self)
        print_action.setShortcut("Ctrl+P")
        print_action.triggered.connect(self.print_document)
        save_action = QAction(icon("save"), "另存为(&S)…", self)
        save_action.setShortcut("Ctrl+S")
        save_action.triggered.connect(self.save_as)
        zoom_in = QAction(icon("zoom-in"), "放大", self)
        zoom_in.setShortcut("Ctrl+=")
        zoom_in.triggered.connect(lambda: self._zoom(1.2))
        zoom_out = QAction(icon("zoom-out"), "缩小", self)
        zoom_out.setShortcut("Ctrl+-")
        zoom_out.triggered.connect(lambda: self._zoom(1 / 1.2))
        for action in (print_action, save_action, zoom_in, zoom_out):
            toolbar.addAction(action)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        # Characters no font on this PC has print as empty boxes: said before anything prints.
        # From the layout that built the paper, loaded by then: not a cost of the pages that
        # merely offer a preview.
        from commandcenter.documents.layout import lost_characters, lost_message

        self.lost = lost_characters(pdf_path)
        self._lost_message = lost_message(self.lost) if self.lost else ""
        if self.lost:
            banner = QLabel(self._lost_message)
            banner.setObjectName("lostCharacters")
            banner.setWordWrap(True)
            banner.setStyleSheet(
                f"background: {palette.BANNER_BACKGROUND}; color: {palette.BANNER_TEXT};"
                f" border: 1px solid {palette.BANNER_BORDER}; padding: 6px;"
            )
            layout.addWidget(banner)
        layout.addWidget(self.view, 1)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(self.view.zoomFactor() * factor)

    def print_to(self, printer: QPrinter) -> None:
        """Render the chosen pages at the printer's resolution (at most MAX_PRINT_DPI), in grey
        on a printer set to print in grey, scaled to its page."""
        pages = self._pages_to_print(printer)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        grey = printer.colorMode() is QPrinter.ColorMode.GrayScale
        # A driver that cannot make copies itself gets each copy (collated) from here.
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("打印机无法开始打印")
        try:
            for printed, page in enumerate([p for _ in range(copies) for p in pages]):
                if printed:
                    printer.newPage()
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                size = self.document.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image = self.document.render(page, (size * dpi / 72).toSize())
                if grey:
                    image = _on_white(image).convertToFormat(QImage.Format.Format_Grayscale8)
                placed = QRectF(QPointF(0, 0), (size * scale))
                painter.drawImage(placed, image)
        finally:
            painter.end()

    def _pages_to_print(self, printer: QPrinter) -> list[int]:
        """The pages the print dialog asked for (its 页码范围), 0-based."""
        if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage():
            first = max(1, printer.fromPage())
            last = min(self.page_count, printer.toPage() or self.page_count)
            return list(range(first - 1, last))
        return list(range(self.page_count))

    def print_document(self) -> None:
        if self.lost:
            answer = QMessageBox.warning(
                self,
                "缺字提示",
                self._lost_message + "\n\n仍要打印吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        dialog.setMinMax(1, self.page_count)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except OSError as exc:
            QMessageBox.warning(self, "打印失败", str(exc))

    def save_as(self) -> None:
        target = file_dialogs.save_file_name(self, "另存为", self.pdf_path.name, "PDF 文件 (*.pdf)")
        if not target:
            return
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            QMessageBox.warning(self, "保存失败", f"无法保存到 {target}：{exc.strerror or exc}")
