"""One dialog for the many small record forms (unit, grid, liaison, certificate, course ...).

Each form is a list of fields built in code rather than a Designer file: the fields, their
order and their keys mirror the service's form dataclass, so one dialog gives every form the same
behaviour. On 保存 the service runs in a worker; a validation error comes back with the field at
fault, which gets the cursor, and the dialog stays open with everything typed still in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import Labelled
from commandcenter.errors import ConflictError, ValidationError
from commandcenter.services.pinyin import caption_matches, name_initials
from commandcenter.ui import palette
from commandcenter.ui.date_edits import DateEdit, DateTimeEdit, TimeEdit
from commandcenter.ui.fitting import FittingScrollArea
from commandcenter.ui.runner import Runner, Work, user_message

_NO_DATE = QDate(1900, 1, 1)


class Field:
    """One row of a form: the key of the service's form field it fills, its label, its widget,
    and how to read the value from the widget and put one into it."""

    def __init__(
        self,
        key: str,
        label: str,
        widget: QWidget,
        get: Callable[[], Any],
        put: Callable[[Any], None],
    ) -> None:
        self.key = key
        self.label = label
        self.widget = widget
        self.get = get
        self.put = put

    def text_of(self, value: Any) -> str:
        """How *value* reads on screen, for the conflict view."""
        return plain_text(value)


def plain_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    label = getattr(value, "label", None)
    return str(label) if label is not None else str(value)


@dataclass
class Versioned:
    """An edit of a stored record: the version it was opened at, how to read the record as it is
    stored now (form values and version), and how to save the form against a version."""

    version: int
    load: Work[tuple[dict[str, Any], int]]
    save: Callable[[dict[str, Any], int], Work]


def text(key: str, label: str, placeholder: str = "", multiline: bool = False) -> Field:
    if multiline:
        box = QPlainTextEdit()
        box.setFixedHeight(60)
        box.setTabChangesFocus(True)  # Tab moves on: forms are filled with the keyboard
        box.setPlaceholderText(placeholder)
        return Field(key, label, box, box.toPlainText, lambda value: box.setPlainText(value or ""))
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return Field(
        key,
        label,
        edit,
        edit.text,
        lambda value: edit.setText("" if value is None else str(value)),
    )


def secret(key: str, label: str) -> Field:
    """A password: shown as dots, never put back into the form."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return Field(key, label, edit, edit.text, lambda _v: edit.clear())


class ChoiceField(Field):
    """One value out of a list, in a combo box. The values stay Python objects here: Qt would
    hand an enum member back as a plain str. The options can be replaced while the form is open
    (the liaisons of the department chosen above)."""

    widget: QComboBox

    def __init__(
        self, key: str, label: str, options: Sequence[tuple[str, Any]], blank: str = ""
    ) -> None:
        super().__init__(key, label, QComboBox(), self.current, self.choose)
        self.blank = blank  # the caption of "no choice", first in the list; "" for none
        self.values: list[Any] = []  # in the order of the box's items
        self.replace(options)

    def current(self) -> Any:
        index = self.widget.currentIndex()
        return self.values[index] if 0 <= index < len(self.values) else None

    def choose(self, value: Any) -> None:
        if value in self.values:
            self.widget.setCurrentIndex(self.values.index(value))

    def replace(self, options: Sequence[tuple[str, Any]]) -> None:
        self.widget.clear()
        self.values.clear()
        if self.blank:
            self.widget.addItem(self.blank)
            self.values.append(None)
        for caption, value in options:
            self.widget.addItem(caption)
            self.values.append(value)

    def text_of(self, value: Any) -> str:
        """A choice reads as its caption rather than its id."""
        if value in self.values:
            return self.widget.itemText(self.values.index(value))
        return plain_text(value)


_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1  # what the typed text is matched against


class _CaptionCompleter(QCompleter):
    """Matches on a caption and its pinyin initials, and writes back the caption alone."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole))


class SearchableField(ChoiceField):
    """A long list to choose from by typing any part of a caption or its pinyin initials
    ("mgsq" for 梅港社区第1网格): grids, entities."""

    def __init__(
        self, key: str, label: str, options: Sequence[tuple[str, Any]], blank: str
    ) -> None:
        self._choices = QStandardItemModel()
        super().__init__(key, label, options, blank)
        box = self.widget
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = _CaptionCompleter(self._choices, box)
        completer.setCompletionRole(_SEARCH_ROLE)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        box.setCompleter(completer)
        line = box.lineEdit()
        assert line is not None
        # Tab or Enter after typing takes the entry the text names; without this the box kept
        # the typed text on screen and its old choice underneath, and the form saved no grid.
        line.editingFinished.connect(self._take_typed)
        line.textEdited.connect(lambda _text: self.mark_refused(False))

    def replace(self, options: Sequence[tuple[str, Any]]) -> None:
        super().replace(options)
        self._choices.clear()
        for caption, _value in options:
            item = QStandardItem(caption)
            item.setData(f"{caption} {name_initials(caption)}", _SEARCH_ROLE)
            self._choices.appendRow(item)

    def mark_refused(self, refused: bool) -> None:
        """Show the box as refused (red) while its text names no entry."""
        if self.widget.property("refused") != refused:
            self.widget.setProperty("refused", refused)
            self.widget.style().unpolish(self.widget)
            self.widget.style().polish(self.widget)

    def _typed_index(self) -> int | None:
        """The entry the typed text names: the chosen one if the text is still its caption (as
        captions may repeat), else the one whose caption, or whose name before the bracketed
        code or address ("梅港社区第1网格（MG-01）"), the text is in full; None when it names
        none, or several, or nothing is typed."""
        text = self.widget.currentText().strip()
        if not text:
            return 0 if self.blank else None
        if text == self.widget.itemText(self.widget.currentIndex()):
            return self.widget.currentIndex()
        first = 1 if self.blank else 0
        captions = [self.widget.itemText(i) for i in range(first, self.widget.count())]
        named = [
            i
            for i, caption in enumerate(captions, start=first)
            if text in (caption, caption.split("（", 1)[0].strip())
        ]
        return named[0] if len(named) == 1 else None

    def _take_typed(self) -> None:
        index = self._typed_index()
        if index is not None and index != self.widget.currentIndex():
            self.widget.setCurrentIndex(index)

    def current(self) -> Any:
        # Text that names no entry is no choice, never a wrong one; the form refuses to save it
        # (problem()) rather than dropping it unseen.
        index = self._typed_index()
        return self.values[index] if index is not None and index < len(self.values) else None

    def problem(self) -> str | None:
        """Why the typed text cannot be saved, or None."""
        text = self.widget.currentText().strip()
        if text and self._typed_index() is None:
            return f"{self.label}：列表中没有“{text}”，请从下拉列表中选择。"
        return None


def labelled(members: Iterable[Labelled]) -> list[tuple[str, Any]]:
    """Code values as (Chinese label, member) choices, in their order."""
    return [(member.label, member) for member in members]


def choice(
    key: str, label: str, options: Sequence[tuple[str, Any]], blank: str = ""
) -> ChoiceField:
    return ChoiceField(key, label, options, blank)


def searchable(
    key: str, label: str, options: Sequence[tuple[str, Any]], blank: str
) -> SearchableField:
    return SearchableField(key, label, options, blank)


def day(key: str, label: str, optional: bool = True) -> Field:
    edit = DateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_NO_DATE)
    if optional:
        edit.setSpecialValueText("未填")  # shown at the minimum date, which means "no date"
        edit.setDate(_NO_DATE)
    else:
        edit.setDate(QDate.currentDate())

    def get() -> date | None:
        value = edit.date()
        return None if value == _NO_DATE else date(value.year(), value.month(), value.day())

    def put(value: date | None) -> None:
        edit.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)

    return Field(key, label, edit, get, put)


def moment(key: str, label: str) -> Field:
    """A date and time in Beijing time, now by default; the service gets an aware datetime."""
    edit = DateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")

    def put(value: datetime | None) -> None:
        local = timeutil.to_local(value or timeutil.now())
        edit.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def get() -> datetime:
        day, clock = edit.date(), edit.time()
        return timeutil.local_datetime(
            date(day.year(), day.month(), day.day()), time(clock.hour(), clock.minute())
        )

    put(None)
    return Field(key, label, edit, get, put)


class PickField(Field):
    """One choice out of many in a list, narrowed by typing (an item out of the catalogue)."""

    def __init__(
        self, key: str, label: str, options: Sequence[tuple[str, Any]], hint: str = ""
    ) -> None:
        holder = QWidget()
        super().__init__(key, label, holder, self.current, self.choose)
        self.search = QLineEdit()
        self.search.setObjectName(f"search_{key}")
        self.search.setPlaceholderText(hint or "输入关键词或拼音首字母筛选")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(160)
        for caption, value in options:
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.list.addItem(item)
        self.search.textChanged.connect(self.narrow)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        holder.setFocusProxy(self.search)

    def narrow(self, text: str) -> None:
        listing = self.list
        first_visible = None
        for i in range(listing.count()):
            item = listing.item(i)
            hidden = not caption_matches(item.text(), text)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        if first_visible is not None and (
            listing.currentItem() is None or listing.currentItem().isHidden()
        ):
            listing.setCurrentItem(first_visible)

    def current(self) -> Any:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)

    def choose(self, value: Any) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == value:
                self.list.setCurrentRow(i)
                return


def pick(key: str, label: str, options: Sequence[tuple[str, Any]], hint: str = "") -> PickField:
    return PickField(key, label, options, hint)


def clock(key: str, label: str, default: time) -> Field:
    """A time of day (a plan's start and end)."""
    edit = TimeEdit(QTime(default.hour, default.minute))
    edit.setDisplayFormat("HH:mm")

    def put(value: time | None) -> None:
        if value is not None:
            edit.setTime(QTime(value.hour, value.minute))

    return Field(key, label, edit, lambda: time(edit.time().hour(), edit.time().minute()), put)


def integer(key: str, label: str, maximum: int = 100_000, minimum: int = 0) -> Field:
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    return Field(key, label, spin, spin.value, lambda value: spin.setValue(int(value or 0)))


def optional_integer(key: str, label: str, maximum: int = 100_000) -> Field:
    spin = QSpinBox()
    spin.setRange(-1, maximum)
    spin.setSpecialValueText("未填")
    spin.setValue(-1)
    return Field(
        key,
        label,
        spin,
        lambda: None if spin.value() < 0 else spin.value(),
        lambda value: spin.setValue(-1 if value is None else int(value)),
    )


def decimal(key: str, label: str, maximum: float = 1000.0) -> Field:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    return Field(key, label, spin, spin.value, lambda value: spin.setValue(float(value or 0)))


def flag(key: str, label: str, caption: str) -> Field:
    box = QCheckBox(caption)
    return Field(key, label, box, box.isChecked, lambda value: box.setChecked(bool(value)))


def many(key: str, label: str, options: Sequence[tuple[str, int]]) -> Field:
    """A searchable list with check boxes (training attendees)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    search = QLineEdit()
    search.setPlaceholderText("输入名称或拼音首字母筛选")
    listing = QListWidget()
    listing.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    listing.setMinimumHeight(180)
    for caption, value in options:
        item = QListWidgetItem(caption)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        listing.addItem(item)

    def narrow(text: str) -> None:
        for i in range(listing.count()):
            item = listing.item(i)
            item.setHidden(not caption_matches(item.text(), text))

    search.textChanged.connect(narrow)
    layout.addWidget(search)
    layout.addWidget(listing)

    def get() -> list[int]:
        return [
            listing.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(listing.count())
            if listing.item(i).checkState() == Qt.CheckState.Checked
        ]

    def put(values: Sequence[int]) -> None:
        chosen = set(values or [])
        for i in range(listing.count()):
            item = listing.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    return Field(key, label, holder, get, put)


class FormDialog(QDialog):
    """Fields in a form layout; 保存 runs *submit(values)* as a write through Runner."""

    def __init__(
        self,
        runner: Runner,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], Work],
        *,
        parent: QWidget | None = None,
        intro: str = "",
        aliases: dict[str, str] | None = None,  # service field -> form key, where they differ
        versioned: Versioned | None = None,
        save_text: str = "",  # the save button's words where 保存 is not what it does (抽取)
    ) -> None:
        super().__init__(parent)
        self.versioned = versioned
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.runner, self.submit = runner, submit
        self.fields = {f.key: f for f in fields}
        self.aliases = aliases or {}
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {palette.MUTED_TEXT};")
            layout.addWidget(note)
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        for field in fields:
            field.widget.setObjectName(f"field_{field.key}")
            form.addRow(field.label, field.widget)
        self.body_area = FittingScrollArea(body)
        layout.addWidget(self.body_area, 1)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {palette.ERROR_TEXT};")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        if save_text:
            save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            assert save_button is not None
            save_button.setText(save_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def load(self, values: dict[str, Any]) -> FormDialog:
        for key, value in values.items():
            if key in self.fields:
                self.fields[key].put(value)
        return self

    def values(self) -> dict[str, Any]:
        return {key: f.get() for key, f in self.fields.items()}

    def save(self) -> None:
        self.error.hide()
        for key, field in self.fields.items():
            problem = field.problem() if isinstance(field, SearchableField) else None
            if problem is not None:  # typed, but naming no entry: say so, keep what was typed
                assert isinstance(field, SearchableField)
                field.mark_refused(True)
                self._failed(ValidationError(problem, key))
                return
        self.buttons.setEnabled(False)
        self.runner.run(
            self.submit(self.values()),
            self._saved,
            write=True,
            parent=self,
            on_error=self._failed,
        )

    def _saved(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_value = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ConflictError) and self.versioned is not None:
            self._resolve_conflict(self.versioned)
            return
        self.error.setText(user_message(exc))
        self.error.show()
        if isinstance(exc, ValidationError) and exc.field:
            target = self.fields.get(self.aliases.get(exc.field, exc.field))
            if target is not None:
                target.widget.setFocus()

    def _resolve_conflict(self, versioned: Versioned) -> None:
        """Someone saved the record since this form was opened: show both, let the user choose.
        Nothing is overwritten without that choice."""
        theirs, version = self.runner.read_now(versioned.load)
        mine = self.values()
        choice = ConflictDialog(self, list(self.fields.values()), mine, theirs).exec()
        if choice == ConflictDialog.KEEP_MINE:
            versioned.version = version
            self.save()
        elif choice == ConflictDialog.TAKE_THEIRS:
            versioned.version = version
            self.load(theirs)
            self.error.setText("已载入对方保存的内容，可在此基础上继续修改。")
            self.error.show()


class ConflictDialog(QDialog):
    """My form and the record as now stored, field by field, differences marked."""

    KEEP_MINE, TAKE_THEIRS, BACK = 10, 11, 0

    def __init__(
        self,
        parent: QWidget,
        fields: Sequence[Field],
        mine: dict[str, Any],
        theirs: dict[str, Any],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("保存冲突")
        self.setMinimumWidth(640)
        note = QLabel(
            "在您修改期间，其他人已保存了这条记录。为免互相覆盖，本次尚未保存。"
            "请对照下表（有差别的项目排在前面，标为红色）选择："
        )
        note.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels(["项目", "您的修改", "其他人已保存的"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        rows = [
            (
                field.key,
                [field.label, field.text_of(mine.get(field.key)), field.text_of(theirs[field.key])],
            )
            for field in fields
            if field.key in theirs
        ]
        # What differs comes first, in red; the rest below for context.
        rows.sort(key=lambda row: row[1][1] == row[1][2])
        self.differences = [key for key, cells in rows if cells[1] != cells[2]]
        for row, (key, cells) in enumerate(rows):
            self.table.insertRow(row)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if key in self.differences:
                    item.setForeground(QColor(palette.ERROR_TEXT))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        keep = QPushButton("用我的修改覆盖")
        keep.setObjectName("keepMine")
        keep.clicked.connect(lambda: self.done(self.KEEP_MINE))
        take = QPushButton("改用其他人保存的内容")
        take.setObjectName("takeTheirs")
        take.clicked.connect(lambda: self.done(self.TAKE_THEIRS))
        back = QPushButton("返回表单")
        back.clicked.connect(lambda: self.done(self.BACK))
        buttons = QHBoxLayout()
        buttons.addWidget(keep)
        buttons.addWidget(take)
        buttons.addStretch(1)
        buttons.addWidget(back)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)


def stored(form_and_version: tuple[Any, int]) -> tuple[dict[str, Any], int]:
    """A service's (form dataclass, version) as form values and version."""
    form, version = form_and_version
    return dict(vars(form)), version


def edit_record(
    runner: Runner,
    title: str,
    fields: Sequence[Field],
    load: Work[tuple[dict[str, Any], int]],
    save: Callable[[dict[str, Any], int], Work],
    *,
    parent: QWidget | None = None,
    intro: str = "",
    aliases: dict[str, str] | None = None,
) -> FormDialog:
    """A form over a stored record, filled from it, that meets a concurrent edit with the
    conflict view instead of an error (or a lost update)."""
    values, version = runner.read_now(load)
    versioned = Versioned(version, load, save)
    dialog = FormDialog(
        runner,
        title,
        fields,
        lambda values: save(values, versioned.version),
        parent=parent,
        intro=intro,
        aliases=aliases,
        versioned=versioned,
    )
    return dialog.load(values)


def ask(
    parent: QWidget | None,
    runner: Runner,
    title: str,
    fields: Sequence[Field],
    submit: Callable[[dict[str, Any]], Work],
    intro: str = "",
) -> None:
    """Open a FormDialog for one step and wait until it is saved or cancelled."""
    FormDialog(runner, title, fields, submit, parent=parent, intro=intro).exec()


def confirm(
    parent: QWidget,
    runner: Runner,
    title: str,
    question: str,
    work: Work,
) -> None:
    """A step with nothing to fill in: ask 是/否, then run it as a write."""
    if QMessageBox.question(parent, title, question) == QMessageBox.StandardButton.Yes:
        runner.run(work, write=True, parent=parent)
