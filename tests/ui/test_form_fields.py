"""The kinds of form field: a choice, a searchable choice, a pick from a narrowed list."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, Work


class Colour(Enum):  # any enum: Qt would hand a member back as a plain str
    RED = "red"
    BLUE = "blue"


def test_a_choice_keeps_python_values_and_reads_as_its_caption(qtbot: QtBot) -> None:
    field = form_dialog.choice(
        "colour", "颜色", [("红", Colour.RED), ("蓝", Colour.BLUE)], blank="请选择"
    )
    qtbot.addWidget(field.widget)
    assert isinstance(field, form_dialog.ChoiceField) and isinstance(field.widget, QComboBox)
    assert field.get() is None  # the blank comes first
    field.put(Colour.BLUE)
    assert field.get() is Colour.BLUE and field.widget.currentText() == "蓝"
    assert field.text_of(Colour.RED) == "红"
    assert field.text_of(None) == "请选择"
    assert field.text_of("other") == "other"
    field.put("not an option")  # left as it was
    assert field.get() is Colour.BLUE


def test_a_choice_s_options_can_be_replaced(qtbot: QtBot) -> None:
    field = form_dialog.choice("liaison_id", "联络人", [], blank="（未联系到联络人）")
    qtbot.addWidget(field.widget)
    field.replace([("张三", 1), ("李四", 2)])
    assert [field.widget.itemText(n) for n in range(field.widget.count())] == [
        "（未联系到联络人）",
        "张三",
        "李四",
    ]
    field.put(2)
    assert field.get() == 2
    field.replace([("王五", 3)])
    assert field.values == [None, 3] and field.get() is None


def test_a_searchable_choice_takes_no_half_typed_text(qtbot: QtBot) -> None:
    field = form_dialog.searchable("grid_id", "所属网格", [("梅西村第1网格", 11)], blank="（未定）")
    qtbot.addWidget(field.widget)
    assert isinstance(field, form_dialog.SearchableField) and field.widget.isEditable()
    field.put(11)
    assert field.get() == 11
    field.widget.setEditText("梅西")  # typed, not chosen
    assert field.get() is None


def test_a_pick_narrows_its_list_by_every_word(qtbot: QtBot) -> None:
    field = form_dialog.pick("item_id", "执法事项", [("A01 占道经营", 1), ("B02 乱倒渣土", 2)])
    qtbot.addWidget(field.widget)
    assert isinstance(field.list, QListWidget)
    field.search.setText("渣土 b02")
    assert [field.list.item(n).isHidden() for n in range(2)] == [True, False]
    assert field.get() == 2  # the first shown becomes the choice
    field.put(1)
    assert field.get() is None  # chosen, but hidden by the search
    field.search.clear()
    assert field.get() == 1


def test_a_searchable_choice_takes_a_typed_caption_and_refuses_text_it_has_not(
    qtbot: QtBot,
) -> None:
    grids = [("梅港社区第1网格（MG-01）", 21), ("梅港社区第2网格（MG-02）", 22)]
    field = form_dialog.searchable("grid_id", "所属网格", grids, blank="（未定）")
    qtbot.addWidget(field.widget)
    line = field.widget.lineEdit()
    assert line is not None
    # The grid's name typed in full (the input method commits Chinese as a whole), then Tab.
    field.widget.setEditText("梅港社区第1网格")
    assert field.get() == 21 and field.problem() is None
    line.editingFinished.emit()
    assert field.widget.currentText() == "梅港社区第1网格（MG-01）" and field.get() == 21
    field.widget.setEditText("梅港社区第2网格（MG-02）")  # or the whole caption
    assert field.get() == 22
    field.widget.setEditText("梅港社区")  # names two: no choice, and the form says so
    assert field.get() is None
    assert field.problem() == "所属网格：列表中没有“梅港社区”，请从下拉列表中选择。"
    field.widget.setEditText("")
    assert field.get() is None and field.problem() is None


def test_a_form_keeps_text_its_list_does_not_have_and_says_so(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    submitted: list[dict[str, object]] = []

    def submit(values: dict[str, object]) -> Work[None]:
        submitted.append(values)
        return lambda session, actor: None

    grids = [("梅港社区第1网格（MG-01）", 21)]
    dialog = form_dialog.FormDialog(
        Runner(db, admin, tmp_path / "documents"),
        "登记",
        [form_dialog.searchable("grid_id", "所属网格", grids, blank="（未定）")],
        submit,
    )
    qtbot.addWidget(dialog)
    field = dialog.fields["grid_id"]
    field.widget.setEditText("梅港第一网格")
    dialog.save()
    assert submitted == [] and not dialog.error.isHidden()
    assert "列表中没有“梅港第一网格”" in dialog.error.text()
    assert field.widget.currentText() == "梅港第一网格"  # nothing typed is lost
    field.widget.setEditText("梅港社区第1网格")
    dialog.save()
    assert submitted == [{"grid_id": 21}]


def test_lists_narrow_by_characters_or_pinyin_initials(qtbot: QtBot) -> None:
    grids = [
        ("梅港社区第1网格（MS0201）", 1),
        ("梅山村第1网格（MS0101）", 2),
        ("七星社区第2网格", 3),
    ]
    checked = form_dialog.many("grid_ids", "检查网格", grids)
    picked = form_dialog.pick("grid", "网格", grids)
    for field in (checked, picked):
        qtbot.addWidget(field.widget)
    listing = checked.widget.findChild(QListWidget)
    search = checked.widget.findChild(QLineEdit)
    assert listing is not None and search is not None
    for typed, shown in (("mgsq", [0]), ("梅 1", [0, 1]), ("msc", [1]), ("qx 2", [2]), ("无", [])):
        search.setText(typed)
        assert [i for i in range(listing.count()) if not listing.item(i).isHidden()] == shown
        picked.search.setText(typed)
        assert picked.get() == (grids[shown[0]][1] if shown else None), typed


def test_qt_s_own_file_dialog_reads_in_chinese(qtbot: QtBot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from commandcenter.ui import file_dialogs

    seen: dict[str, str] = {}

    def look() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog))
        seen["look_in"] = dialog.labelText(QFileDialog.DialogLabel.LookIn)
        seen["type"] = dialog.labelText(QFileDialog.DialogLabel.FileType)
        dialog.reject()

    QTimer.singleShot(200, look)
    assert file_dialogs.save_file_name(None, "另存为", "x.pdf", "PDF 文件 (*.pdf)") == ""
    assert seen == {"look_in": "查找范围：", "type": "文件类型："}


def test_qt_s_words_missing_from_its_translation_are_given_and_the_rest_kept(
    qapp: QApplication,
) -> None:
    from PySide6.QtCore import QCoreApplication

    from commandcenter.ui.app import configure

    configure(qapp)

    def translate(context: str, text: str, disambiguation: str | None = None) -> str:
        return QCoreApplication.translate(context, text, disambiguation)

    assert translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    assert translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own translation still answers
    assert translate("无此上下文", "Plain") == "Plain"


def test_a_searchable_choice_completes_pinyin_initials_and_marks_a_refusal(qtbot: QtBot) -> None:
    grids = [("梅港社区第1网格（MS0201）", 1), ("七星社区第2网格", 3)]
    field = form_dialog.searchable("grid_id", "所属网格", grids, blank="（未定）")
    qtbot.addWidget(field.widget)
    field.widget.show()
    completer = field.widget.completer()
    assert completer is not None
    completer.setCompletionPrefix("mgsq")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "梅港社区第1网格（MS0201）"  # the caption, not the key
    line = field.widget.lineEdit()
    assert line is not None
    line.setText("梅港社区第9网格")
    assert field.problem() is not None
    field.mark_refused(True)
    assert field.widget.property("refused") is True
    line.textEdited.emit("梅港")  # typing again clears the mark
    assert field.widget.property("refused") is False
