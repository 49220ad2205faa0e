"""The queue's work-order actions: a new layout mapped once in its dialog and imported, the
closing of a work order with its reply filled from a template, and the reply in the pane."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QDialog, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from commandcenter.db.models import Channel, Incident, IncidentReply, IncidentStatus
from commandcenter.exchange.report import ImportReport
from commandcenter.ui.exchange_actions import ImportReportDialog
from commandcenter.ui.work_order_dialogs import ColumnMappingDialog
from tests.core.incident_world import World
from tests.core.test_replies import reported
from tests.core.test_work_orders import ROWS, csv_file
from tests.ui.test_incidents_ui import in_modal, page_for, step

SHOTS = os.environ.get("COMMANDCENTER_DIALOG_SHOTS")  # a folder to keep screenshots in


def shot(widget: QDialog, name: str) -> None:
    if SHOTS:
        widget.resize(max(widget.width(), 640), widget.height())
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_a_new_layout_is_mapped_once_then_imported(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    page = page_for(world, world.operator, tmp_path, qtbot)
    # The source calls the content 问题详情, which no guess knows: the operator picks it.
    path = csv_file(tmp_path, ROWS)
    path.write_text(path.read_text("utf-8-sig").replace("诉求内容", "问题详情"), "utf-8-sig")
    reports: list[ImportReport] = []

    def map_columns(dialog: QDialog) -> None:
        assert isinstance(dialog, ColumnMappingDialog)
        shot(dialog, "work-order-columns")
        number = dialog.findChild(QComboBox, "column_number")
        assert number is not None and number.currentText() == "工单编号"  # guessed
        dialog.check()  # 诉求内容 is required and unmapped: refused, the dialog stays
        assert dialog.isVisible() and "诉求内容" in dialog.error.text()
        content = dialog.findChild(QComboBox, "column_content")
        assert content is not None
        content.setCurrentText("问题详情")

        def report(shown: QDialog) -> None:
            assert isinstance(shown, ImportReportDialog)
            reports.append(shown.report)
            shown.reject()

        in_modal(report)
        dialog.check()

    failures = in_modal(map_columns)
    page.work_orders.run_import(Channel.HOTLINE_12345, path)
    qtbot.waitUntil(lambda: bool(reports) or bool(failures), timeout=15_000)
    assert not failures, failures
    assert reports[0].created == 3
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 3


def test_closing_a_work_order_replies_from_a_template(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    incident_id = reported(world)
    page = page_for(world, world.operator2, tmp_path, qtbot)
    page.show_incident(incident_id)

    def close(dialog: QDialog) -> None:
        shot(dialog, "close-with-reply")
        text = dialog.findChild(QPlainTextEdit, "field_reply_text")
        assert text is not None
        assert "已劝离摊贩，现场恢复通行" in text.toPlainText()  # filled from 已解决
        template = dialog.findChild(QComboBox, "field_reply_template")
        assert template is not None
        template.setCurrentText("解释说明")
        assert "经梅山街道综合行政执法中队现场核查" in text.toPlainText()
        dialog.save()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    step(page, qtbot, "close", close)
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).status is IncidentStatus.CLOSED
        stored = s.scalars(select(IncidentReply)).one()
        assert stored.text.startswith("您好！关于您反映的“梅山大道1号门口占道经营”")
    assert "办结回复" in page.detail.facts.toPlainText()
    assert page.detail.findChild(QPushButton, "paper_reply-slip") is not None


@pytest.mark.parametrize("size", [(1366, 768)])
def test_the_dialogs_fit_the_operators_screen(
    qtbot: QtBot, world: World, size: tuple[int, int]
) -> None:
    header = ["工单编号", "来电时间", "问题详情", "事发地址", "联系人", "联系电话"]
    dialog = ColumnMappingDialog(Channel.HOTLINE_12345, header, {"number": "工单编号"})
    qtbot.addWidget(dialog)
    hint = dialog.sizeHint()
    assert hint.width() <= size[0] and dialog.minimumSizeHint().height() <= size[1] - 136


def test_a_header_cell_of_a_long_note_leaves_the_mapping_on_the_screen(qtbot: QtBot) -> None:
    # A file whose header row carries a note of thousands of characters in one cell.
    note = "说明：本表由系统自动导出，" * 200
    dialog = ColumnMappingDialog(Channel.HOTLINE_12345, ["工单编号", "来电时间", note], {})
    qtbot.addWidget(dialog)
    assert dialog.minimumSizeHint().width() <= 1264
    assert dialog.sizeHint().width() <= 1264
    box = dialog.findChild(QComboBox, "column_content")
    assert box is not None and box.findText(note) == 3  # still offered, whole
