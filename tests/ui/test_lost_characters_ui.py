"""A paper with a character no font has says so in its preview and asks before printing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.platypus import Paragraph

from commandcenter.documents.layout import PageDecor, build_pdf, styles
from commandcenter.ui.dialogs.pdf_preview import PdfPreviewDialog


def _paper(tmp_path: Path, text: str) -> Path:
    return build_pdf(tmp_path / "p.pdf", [Paragraph(text, styles().body)], PageDecor("缺字"))


def test_the_preview_names_a_lost_character_and_asks_before_printing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PdfPreviewDialog(_paper(tmp_path, "当事人：王\U00031350明"), "缺字")
    qtbot.addWidget(dialog)
    banner = dialog.findChild(QLabel, "lostCharacters")
    assert banner is not None and "U+31350" in banner.text() and "空白方框" in banner.text()
    asked: list[str] = []

    def refuse(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", refuse)
    dialog.print_document()  # refused: no print dialog opens
    assert asked and "U+31350" in asked[0]


def test_a_paper_with_every_character_has_no_banner(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(_paper(tmp_path, "当事人：王明"), "正常")
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "lostCharacters") is None
