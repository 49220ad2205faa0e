"""Every page and the long forms fit the screens operators have.

The common office laptop is 1366×768; 1920×1080 at 150 % scaling is 1280×720 logical pixels.
With a taskbar and the window's frame, a window must be able to shrink to about 1264×632:
a minimum size larger than that pushes buttons off the screen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.paths import AppPaths
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog, plan_steps
from commandcenter.ui.dialogs.incident_steps import RegisterDialog
from commandcenter.ui.launch import AppSession, build_main_window
from commandcenter.ui.pages import PAGES

# 1280×720 logical, less a 40-pixel taskbar, a window frame and a title bar.
SMALLEST = (1280 - 16, 720 - 40 - 48)


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


@pytest.fixture
def session(
    qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths
) -> Iterator[AppSession]:
    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.resize(1366, 728)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    yield ui
    ui.window.close()


def test_every_page_fits_the_smallest_screen(session: AppSession, qtbot: QtBot) -> None:
    window = session.window
    too_big = []
    for spec in PAGES:
        window.show_page(spec.key)
        session.runner.wait()
        qtbot.wait(20)
        hint = window.minimumSizeHint()
        if hint.width() > SMALLEST[0] or hint.height() > SMALLEST[1]:
            too_big.append(f"{spec.title}: {hint.width()}×{hint.height()}")
    assert not too_big, too_big
    # Shown on a 1366-pixel screen, the window was never pushed wider than it.
    assert window.width() <= 1366


def test_a_long_form_scrolls_and_keeps_its_buttons(session: AppSession, qtbot: QtBot) -> None:
    dialogs = [
        form_dialog.FormDialog(
            session.runner,
            "编制行动方案",
            plan_steps.plan_fields(session.runner),
            lambda values: None,  # type: ignore[arg-type, return-value]
            parent=session.window,
        ),
        RegisterDialog(session.runner, session.window),
    ]
    for dialog in dialogs:
        dialog.setMinimumWidth(640)
        dialog.show()
        qtbot.waitExposed(dialog)
        minimum = dialog.minimumSizeHint()
        assert minimum.height() <= SMALLEST[1], dialog.windowTitle()
        screen = dialog.screen().availableGeometry()
        assert dialog.height() <= screen.height(), dialog.windowTitle()
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None and buttons.isVisible()
        bottom = buttons.mapTo(dialog, buttons.rect().bottomLeft()).y()
        assert bottom <= dialog.height(), dialog.windowTitle()
        dialog.close()
