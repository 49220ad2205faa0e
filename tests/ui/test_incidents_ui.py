"""A phone call to a closed incident through the queue page, as an operator works it."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.models import DocumentNumber, Incident, IncidentStatus
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.dispatch import DispatchDialog
from commandcenter.ui.dialogs.incident_steps import RegisterDialog
from commandcenter.ui.pages.incidents import IncidentsPage
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def page_for(world: World, actor: Actor, tmp_path: Path, qtbot: QtBot) -> IncidentsPage:
    runner = Runner(world.db, actor, tmp_path / "documents")
    page = IncidentsPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.resize(1500, 850)
    page.show()
    page.refresh()
    settled(qtbot, page)
    return page


def settled(qtbot: QtBot, page: IncidentsPage) -> None:
    """The detail pane shows the incident last asked for (it is read in a worker)."""
    qtbot.waitUntil(lambda: not page.detail.reading, timeout=10_000)


def in_modal(work: Callable[[QDialog], None]) -> list[BaseException]:
    """Run *work* on the dialog a button is about to open modally; close it if *work* fails."""
    failures: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, run)
            return
        try:
            work(dialog)
        except BaseException as exc:  # reported by the test after exec() returns
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)
    return failures


def type_into(dialog: QWidget, key: str, text: str) -> None:
    widget = dialog.findChild(QWidget, f"field_{key}")
    assert widget is not None, key
    if isinstance(widget, QLineEdit):
        widget.clear()
        widget.insert(text)
    else:
        widget.setPlainText(text)  # type: ignore[attr-defined]


def save_and_wait(qtbot: QtBot, dialog: QDialog) -> None:
    assert isinstance(dialog, form_dialog.FormDialog)
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error.isVisible(), timeout=10_000)
    assert not dialog.error.isVisible(), dialog.error.text()


def step(page: IncidentsPage, qtbot: QtBot, name: str, work: Callable[[QDialog], None]) -> None:
    button = page.detail.findChild(QPushButton, f"step_{name}")
    assert button is not None, f"no step {name}: " + ", ".join(
        b.objectName() for b in page.detail.findChildren(QPushButton)
    )
    failures = in_modal(work)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page.runner.wait()
    qtbot.wait(50)
    assert not failures, "".join(traceback.format_exception(failures[0]))
    page.refresh()
    settled(qtbot, page)


def status(world: World, number: str) -> IncidentStatus:
    with world.db.read() as session:
        return session.scalars(select(Incident.status).where(Incident.number == number)).one()


def test_an_operator_takes_a_call_to_a_closed_incident(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    page = page_for(world, world.operator, tmp_path, qtbot)

    # 登记: a phone call, typed with the keyboard.
    def register(dialog: QDialog) -> None:
        assert isinstance(dialog, RegisterDialog)
        type_into(dialog, "title", "梅山大道1号门口占道经营")
        type_into(dialog, "address", "梅山大道1号")
        # The grid's name typed in full is saved as the grid, not kept as text on screen only
        # (leaving the field shows the whole caption: tests/ui/test_form_fields.py).
        grid = dialog.fields["grid_id"].widget
        assert isinstance(grid, QComboBox) and grid.lineEdit() is not None
        grid.lineEdit().selectAll()  # as Tab into the field does: typing replaces （未定）
        grid.lineEdit().insert("梅东一网格")
        type_into(dialog, "reporter_phone", "139 1234 5678")
        type_into(dialog, "description", "来电反映早高峰摊点占用人行道")
        save_and_wait(qtbot, dialog)

    failures = in_modal(register)
    page.register_action.trigger()
    assert not failures, failures
    page.runner.wait()
    page.refresh()
    settled(qtbot, page)
    number = page.detail.current.number if page.detail.current else ""
    assert number == "2026-000001"
    assert status(world, number) is IncidentStatus.REGISTERED
    with world.db.read() as session:
        assert (
            session.scalar(select(Incident.grid_id).where(Incident.number == number)) == world.grid
        )

    # 研判: the item gives the route; the deadline appears.
    def triage(dialog: QDialog) -> None:
        search = dialog.findChild(QLineEdit, "search_item_id")
        assert search is not None, (
            dialog.windowTitle(),
            [w.objectName() for w in dialog.findChildren(QWidget)],
        )
        search.insert("ZF-001")
        proposal = dialog.findChild(QLabel, "field_proposal")
        assert proposal is not None and "街道执法中队办理" in proposal.text()
        save_and_wait(qtbot, dialog)

    step(page, qtbot, "triage", triage)
    assert status(world, number) is IncidentStatus.TRIAGED
    assert page.detail.current is not None and page.detail.current.deadline_at is not None

    # 派单: one officer is refused with the reason; two go through and get a numbered order.
    def send(dialog: QDialog) -> None:
        assert isinstance(dialog, DispatchDialog)
        dialog.check(world.officers[0])
        dialog.submit()
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        assert "至少派出 2 名" in dialog.error.text()
        assert dialog.isVisible()  # nothing typed is lost
        dialog.check(world.officers[1])
        dialog.check(world.auxiliary, auxiliary=True)
        assert "已选执法人员 2 名" in dialog.count.text()
        dialog.submit()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    step(page, qtbot, "dispatch", send)
    assert status(world, number) is IncidentStatus.DISPATCHED
    assert page.detail.findChild(QPushButton, "paper_dispatch-order") is not None
    page.grab().save(str(tmp_path / "dispatched.png"))

    def accept(dialog: QDialog) -> None:
        type_into(dialog, "signed_by", "王强")
        save_and_wait(qtbot, dialog)

    step(page, qtbot, "accept", accept)

    def report(dialog: QDialog) -> None:
        type_into(dialog, "result", "已劝离摊贩，现场恢复通行")
        save_and_wait(qtbot, dialog)

    step(page, qtbot, "report", report)
    assert status(world, number) is IncidentStatus.REPORTED

    def close(dialog: QDialog) -> None:
        type_into(dialog, "callback_note", "反映人表示满意")
        save_and_wait(qtbot, dialog)

    step(page, qtbot, "close", close)
    assert status(world, number) is IncidentStatus.CLOSED
    timeline = page.detail.timeline
    kinds = [timeline.topLevelItem(n).text(1) for n in range(timeline.topLevelItemCount())]
    assert kinds == ["登记", "研判", "派单", "签收", "反馈", "办结"]
    with world.db.read() as session:
        assert session.scalar(select(DocumentNumber.number)) == "梅执指派〔2026〕1号"


def test_a_dispatch_refusal_shows_every_problem(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    from tests.core.test_incidents import triaged

    incident_id = triaged(world, entity_id=world.entity)
    page = page_for(world, world.operator, tmp_path, qtbot)
    page.show_incident(incident_id)
    page.runner.wait()
    qtbot.wait(50)
    shown: list[str] = []

    def send(dialog: QDialog) -> None:
        assert isinstance(dialog, DispatchDialog)
        dialog.check(world.expired_officer)
        dialog.check(world.recused_officer)
        dialog.submit()
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        shown.append(dialog.error.text())
        dialog.reject()

    step(page, qtbot, "dispatch", send)
    assert shown and shown[0].splitlines() == [
        "未能派单，有 3 个问题：",
        "1. 周过的执法证已于 2026-06-30 过期，不能作为执法人员派出。",
        "2. 郑避须回避：近亲属经营。",
        "3. 符合条件的执法人员只有 0 名，至少需要 2 名。",
    ]


def test_the_queue_filters_by_deadline_state_with_counts(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from tests.core.test_incidents import register, triaged

    triaged(world)
    register(world, "梅东路噪音扰民")
    page = page_for(world, world.operator, tmp_path, qtbot)
    box = page.view.filter_boxes["status"]

    def texts() -> list[str]:
        return [box.itemText(n) for n in range(box.count())]

    qtbot.waitUntil(lambda: "已登记（1）" in texts(), timeout=10_000)  # counted in a worker
    assert "已研判（1）" in texts()
    page.view.choose_filter("deadline", "正常")
    assert page.view.model.total == 1
    page.view.choose_filter("deadline", "未定期限")
    assert page.view.model.total == 1


def test_catalogue_diff_and_calendar_tab(
    qtbot: QtBot,
    demo_db,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from commandcenter.services.auth import actor_for
    from commandcenter.ui.dialogs.catalogue_versions import DiffDialog
    from commandcenter.ui.pages.settings_page import SettingsPage

    with demo_db.read() as session:
        admin = actor_for(session, "admin")
    runner = Runner(demo_db, admin, tmp_path / "documents")
    dialog = DiffDialog(runner)
    qtbot.addWidget(dialog)
    assert "正在比较" in dialog.report.toPlainText()  # compared in a worker
    qtbot.waitUntil(lambda: "新增 8 项" in dialog.report.toPlainText())
    assert "2022版赋权事项清单 → 2025版赋权事项清单" in dialog.report.toPlainText()
    dialog.old.setCurrentIndex(0)
    assert "请选择两个不同的版本" in dialog.report.toPlainText()

    page = SettingsPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.refresh()
    years = page.calendar.years
    assert years.item(0, 0).text() == "2026" and years.item(0, 1).text() == "完整"
    assert "尚未确认 2027 年" in page.calendar.note.text()
    assert page.calendar.days.rowCount() > 30


def test_settings_a_user_may_not_change_look_so(qtbot: QtBot, demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from commandcenter.services.auth import actor_for
    from commandcenter.ui.pages.settings_page import SettingsPage

    ini = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    with demo_db.read() as session:
        operator, admin = actor_for(session, "operator"), actor_for(session, "admin")
    shown = SettingsPage(Runner(demo_db, operator, tmp_path / "documents"), ini)
    editable = SettingsPage(Runner(demo_db, admin, tmp_path / "documents"), ini)
    for page in (shown, editable):
        qtbot.addWidget(page)
    assert not shown.street.isEnabled() and not shown.prefix.isEnabled()
    assert shown.findChild(QLabel, "settingsWho") is not None
    assert editable.street.isEnabled() and editable.findChild(QLabel, "settingsWho") is None


def test_registering_recalls_the_caller_and_fills_the_door_s_grid(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from commandcenter.services.incidents import intake

    with world.db.write() as s:
        intake.register(
            s,
            world.operator,
            intake.IncidentForm(
                channel=intake.Channel.HOTLINE_12345,
                title="梅山大道1号占道经营",
                address="梅山大道1号",
                grid_id=world.grid,
                reporter_phone="13912345678",
            ),
        )
    dialog = RegisterDialog(Runner(world.db, world.operator, tmp_path / "documents"))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog, "address", "梅山大道1号")
    type_into(dialog, "reporter_phone", "139 1234 5678")
    qtbot.waitUntil(lambda: dialog.earlier.count() == 1)
    assert "同一号码（139****5678）" in dialog.earlier.item(0).text()
    assert dialog.fields["grid_id"].get() == world.grid
    assert "梅东一网格（1 件）" in dialog.grid_hint.text()
    # A grid the operator chose stays, whatever the address says.
    grid = dialog.fields["grid_id"]
    grid.put(None)
    grid.widget.lineEdit().setText("梅东")  # being typed
    dialog.grid_hint.clear()
    type_into(dialog, "address", "梅山大道1号")  # the same door: a grid to suggest
    qtbot.waitUntil(lambda: dialog.grid_hint.text() == "", timeout=2000)
    qtbot.wait(600)
    assert grid.widget.currentText() == "梅东"


def test_the_pane_shows_the_incident_chosen_last(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from tests.core.test_incidents import register, triaged

    first = register(world, "梅东路噪音扰民")
    second = triaged(world)
    page = page_for(world, world.operator, tmp_path, qtbot)
    shown: list[int | None] = []
    page.detail.shown.connect(
        lambda: shown.append(page.detail.current.id if page.detail.current else None)
    )
    page.show_incident(first)
    page.show_incident(second)  # the operator moves on before the first is read
    assert page.detail.reading and page.detail.asked_id == second
    settled(qtbot, page)
    page.runner.wait()
    qtbot.wait(50)  # the first answer, had it not been dropped, would have come by now
    assert shown == [second]
    assert page.detail.current is not None and page.detail.current.id == second


def test_a_step_pressed_while_the_next_incident_is_read_goes_to_that_incident(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from tests.core.test_incidents import dispatched, register

    first = register(world, "梅东路噪音扰民")
    second = dispatched(world)
    page = page_for(world, world.operator, tmp_path, qtbot)
    with world.db.read() as session:
        numbers = {i: session.get(Incident, i).number for i in (first, second)}  # type: ignore[union-attr]
    titles: list[str] = []

    def seen(dialog: QDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    # 研判 is offered on the first, not on the dispatched second: pressed as the second is
    # read, it does nothing (and never lands on the first).
    page.show_incident(first)
    settled(qtbot, page)
    triage = page.detail.findChild(QPushButton, "step_triage")
    assert triage is not None
    page.show_incident(second)
    failures = in_modal(seen)
    triage.click()
    settled(qtbot, page)
    qtbot.wait(100)
    assert not titles and not failures
    assert status(world, numbers[first]) is IncidentStatus.REGISTERED

    # 备注 is offered on both: pressed as the second is read, it opens on the second.
    page.show_incident(first)
    settled(qtbot, page)
    note = page.detail.findChild(QPushButton, "step_note")
    assert note is not None
    page.show_incident(second)
    note.click()
    note.click()  # pressed twice before the pane came: one form, as it would be
    qtbot.waitUntil(lambda: bool(titles) or bool(failures), timeout=10_000)
    assert not failures and numbers[second] in titles[0], titles
    tries = [0]

    def another() -> None:  # a second form, were one to come, is closed and counted
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            titles.append(dialog.windowTitle())
            dialog.reject()
        elif tries[0] < 25:
            tries[0] += 1
            QTimer.singleShot(20, another)

    another()
    qtbot.waitUntil(lambda: tries[0] >= 25 or len(titles) > 1, timeout=10_000)
    assert len(titles) == 1, titles
