"""会商例会: record a meeting and its agreed items, follow an item up, and use the huddle and the
weekly pack; the 工作台 lists the overdue agreed items."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import AgreedItem, AgreedItemStatus, Person, Unit
from commandcenter.services import meetings
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.agreed_item import ItemDialog
from commandcenter.ui.pages.dashboard import DashboardPage
from commandcenter.ui.pages.meetings import MeetingsPage
from commandcenter.ui.runner import Runner
from tests.ui.test_incidents_ui import in_modal, save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *_args, **_kwargs: None)


def _runner(db: Database, actor: Actor, tmp_path: Path) -> tuple[Runner, QSettings]:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    return Runner(db, actor, tmp_path / "documents"), settings


def page_for(db: Database, actor: Actor, tmp_path: Path, qtbot: QtBot) -> MeetingsPage:
    page = MeetingsPage(*_runner(db, actor, tmp_path))
    qtbot.addWidget(page)
    page.resize(1500, 850)
    page.show()
    page.refresh()
    page.runner.wait()
    return page


def click(page: QDialog | MeetingsPage, qtbot: QtBot, name: str) -> None:
    button = page.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)


def run_modal(qtbot: QtBot, work: object, open_it: object) -> None:
    failures = in_modal(work)  # type: ignore[arg-type]
    open_it()  # type: ignore[operator]
    assert not failures, failures


def test_an_operator_records_a_meeting_and_follows_an_item_up(
    demo_db: Database, operator: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = page_for(demo_db, operator, tmp_path, qtbot)
    page.tabs.setCurrentWidget(page.minutes)
    tab = page.minutes
    with demo_db.read() as session:
        attendee = session.scalars(select(Person).order_by(Person.id).limit(1)).one()
        attendee_id, attendee_name = attendee.id, attendee.name

    def meeting(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.fields["title"].put("11月第二次联席会议")
        dialog.fields["place"].put("街道三楼会议室")
        dialog.fields["chair"].put("王建国")
        dialog.fields["attendees"].put("执法一中队、梅山市场监管所")
        dialog.fields["attendee_ids"].put([attendee_id])  # chosen from the roster
        dialog.fields["minutes"].put("研究春节前沿街经营整治。")
        save_and_wait(qtbot, dialog)

    run_modal(qtbot, meeting, lambda: click(tab, qtbot, "meeting_new"))
    assert tab.current is not None and tab.current.title == "11月第二次联席会议"
    assert "研究春节前沿街经营整治" in tab.detail.toPlainText()
    assert f"执法一中队、梅山市场监管所、{attendee_name}（" in tab.detail.toPlainText()

    with demo_db.read() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.short_name == "执法一中队")).one()
    typed = "春晓路沿街跨门经营整治"

    def item(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.save()  # nothing typed: refused, the dialog stays open
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        assert "工作任务" in dialog.error.text()
        dialog.fields["task"].put(typed)
        dialog.fields["standard"].put("跨门经营清零")
        dialog.fields["unit_id"].put(unit_id)
        dialog.fields["responsible_person"].put("周强")
        save_and_wait(qtbot, dialog)

    run_modal(qtbot, item, lambda: click(tab, qtbot, "meeting_item"))
    assert tab.current is not None and [i.task for i in tab.current.items] == [typed]
    assert typed in tab.detail.toPlainText()
    item_id = tab.current.items[0].id

    page.tabs.setCurrentWidget(page.items_tab)
    page.items.search.setText("春晓路沿街")
    with qtbot.waitSignal(page.items.read):  # a search is read in a worker
        page.items._apply_search()
    assert page.items.model.total == 1 and page.items.model.row_id(0) == item_id

    dialog = ItemDialog(page.runner, item_id, page)
    qtbot.addWidget(dialog)

    def report(form: QDialog) -> None:
        assert isinstance(form, form_dialog.FormDialog)
        form.fields["text"].put("已整改 12 家")
        save_and_wait(qtbot, form)

    run_modal(qtbot, report, dialog.report)
    assert "已整改 12 家" in dialog.view.toPlainText()

    def done(form: QDialog) -> None:
        assert isinstance(form, form_dialog.FormDialog)
        form.fields["note"].put("经复核销号")
        save_and_wait(qtbot, form)

    run_modal(qtbot, done, dialog.complete)
    assert not dialog.buttons["report"].isEnabled() and dialog.buttons["reopen"].isEnabled()
    with demo_db.read() as session:
        stored = session.get(AgreedItem, item_id)
        assert stored is not None and stored.status is AgreedItemStatus.DONE
        assert stored.done_on == timeutil.today()


def test_a_leader_reads_the_huddle_and_steps_through_weekly_packs(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    qtbot.waitUntil(lambda: page.huddle.view.briefing is not None, timeout=10_000)
    b = page.huddle.view.briefing
    assert b is not None and b.kind == "日碰头"
    overdue = b.sections[0]
    assert overdue.rows and overdue.rows[0][0] in page.huddle.view.toPlainText()
    with qtbot.waitSignal(page.open_incident) as opened:
        page.huddle.view._follow(QUrl(f"incident:{overdue.ids[0]}"))
    assert opened.args == [overdue.ids[0]]

    page.tabs.setCurrentWidget(page.weekly)
    page.runner.wait()
    qtbot.waitUntil(lambda: page.weekly.view.briefing is not None, timeout=10_000)
    first = page.weekly.week
    assert first.text in page.weekly.label.text()
    assert "各单位办理情况" in page.weekly.view.toPlainText()
    click(page, qtbot, "previousWeek")
    page.runner.wait()
    qtbot.waitUntil(lambda: page.weekly.view.briefing.period == page.weekly.week, timeout=10_000)  # type: ignore[union-attr]
    assert page.weekly.week.first == first.first - timedelta(days=7)
    click(page, qtbot, "printWeekly")
    page.runner.wait()
    qtbot.waitUntil(lambda: page.findChild(QDialog, "pdfPreview") is not None, timeout=30_000)
    preview = page.findChild(QDialog, "pdfPreview")
    assert preview is not None and preview.page_count >= 2  # type: ignore[attr-defined]


def test_the_dashboard_lists_overdue_agreed_items(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = DashboardPage(*_runner(demo_db, leader, tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    view = page.lists["overdue_agreed_items"]
    with demo_db.read() as session:
        overdue = meetings.overdue_items(session, leader)
    qtbot.waitUntil(lambda: page.cards["overdue_agreed_items"].value.text() != "–")
    page.tabs.setCurrentWidget(view)  # read when its tab is shown
    qtbot.waitUntil(lambda: view.model.total > 0)
    assert overdue and view.model.total == len(overdue)
    assert page.cards["overdue_agreed_items"].value.text() == str(len(overdue))
    assert {view.model.row_id(n) for n in range(view.model.rowCount())} == {i.id for i in overdue}
