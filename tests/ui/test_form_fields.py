"""The kinds of form field: a choice, a searchable choice, a pick from a narrowed list."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QComboBox, QListWidget
from pytestqt.qtbot import QtBot

from commandcenter.ui.dialogs import form_dialog


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
