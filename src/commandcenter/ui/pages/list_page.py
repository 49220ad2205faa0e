"""A page that shows one service listing: title, search, count, actions and the table."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.services.actor import Actor
from commandcenter.services.listing import Condition, FilterOption, ListFilter, Listing
from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.flow_layout import FlowLayout
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page
from commandcenter.ui.runner import Runner, UnitOfWork, user_message
from commandcenter.ui.table_model import ListingModel

LABEL_ROLE = Qt.ItemDataRole.UserRole + 1  # the option's label without its count


def _options(spec: ListFilter, session: UnitOfWork, actor: Actor) -> list[FilterOption]:
    return spec.options(session)


def _counts(
    listing: Listing,
    key: str,
    text: str,
    chosen: dict[str, Condition],
    still_wanted: Callable[[], bool],
    session: UnitOfWork,
    actor: Actor,
) -> dict[object, int] | None:
    # A count asked for choices the operator has already changed is not read at all: on a large
    # queue each is a scan, and a quick run of clicks would queue one per click.
    if not still_wanted():
        return None
    return listing.option_counts(session, actor, key, text, chosen=chosen)


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "page-title")
    return label


class ListingView(QWidget):
    """Search box, count and table over one listing; reusable inside other pages."""

    activated = Signal(int)  # row id
    read = Signal()  # the list was read again and is on screen

    def __init__(
        self, runner: Runner, settings: QSettings, listing: Listing, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.listing = listing
        self.model = ListingModel(runner, listing, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索（空格分隔多个关键词）")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        # Each search re-counts and re-pages the list in SQL: wait for a pause in typing (Enter
        # searches at once) rather than query on every character.
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._apply_search)

        self.table = QTableView()
        self.table.setObjectName(f"table_{listing.key}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(listing.columns):
            self.table.setColumnWidth(i, column.width)
        # The indicator first: enabling sorting sorts by whatever the indicator says.
        header.setSortIndicator(
            listing.default_sort,
            Qt.SortOrder.DescendingOrder
            if listing.default_descending
            else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)
        # Tab leaves the table for the next control; Enter and a double click open the row
        # (``activated`` is both, as the platform defines them).
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(self._on_activated)
        self._restore_columns()
        header.sectionResized.connect(lambda *_: self._save_columns())

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        # A row of its own (a long option must not squeeze the search) that wraps on a narrow
        # screen rather than widen the window past it.
        self.filters_bar = QWidget()
        self.filters_flow = filters = FlowLayout(self.filters_bar)
        self.filter_boxes: dict[str, QComboBox] = {}
        self._option_values: dict[str, list[object]] = {}
        self._filters_loaded = False
        self._extra_labels: dict[str, str] = {}
        self._counts_asked = 0
        for spec in listing.filters:
            box = QComboBox()
            box.setObjectName(f"filter_{spec.key}")
            box.setToolTip(spec.label)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            # Nine average characters, or more when 全部 and the label need them (全部被约谈单位).
            metrics = box.fontMetrics()
            needed = metrics.horizontalAdvance(f"全部{spec.label}") / metrics.horizontalAdvance("x")
            box.setMinimumContentsLength(max(9, math.ceil(needed)))
            box.currentIndexChanged.connect(lambda _n, key=spec.key: self._apply_filter(key))
            self.filter_boxes[spec.key] = box
            filters.addWidget(box)
        bar.addWidget(self.count_label)
        self.export_button = QToolButton()
        self.export_button.setObjectName(f"export_{listing.key}")
        self.export_button.setIcon(icon("export"))
        self.export_button.setToolTip("把当前列表（按现在的筛选和搜索）导出为 Excel")
        self.export_button.clicked.connect(self.export_xlsx)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        if listing.filters:
            layout.addWidget(self.filters_bar)
        layout.addWidget(self.table, 1)

    def add_filter_widget(self, widget: QWidget) -> None:
        """A filter of the page's own (a date range) after the listing's."""
        self.filters_flow.addWidget(widget)
        self.filters_bar.show()

    def _settings_key(self) -> str:
        return f"columns/{self.listing.key}"

    def _restore_columns(self) -> None:
        state = self.settings.value(self._settings_key())
        if state is not None:
            self.table.horizontalHeader().restoreState(state)

    def _save_columns(self) -> None:
        self.settings.setValue(self._settings_key(), self.table.horizontalHeader().saveState())

    def _apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_search(self.search.text(), self._searched)

    def _searched(self) -> None:
        self._update_count()
        self._update_option_counts()
        self.read.emit()

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.total} 条")

    def _on_activated(self, index: object) -> None:
        row_id = self.selected_id()
        if row_id is not None:
            self.activated.emit(row_id)

    def _load_filter_options(self) -> None:
        """Options come from the data (units); keep what the user chose where it still exists."""
        for spec in self.listing.filters:
            box = self.filter_boxes[spec.key]
            options = self.runner.read_now(partial(_options, spec))
            current = box.currentData(LABEL_ROLE) if self._filters_loaded else spec.default
            # Rebuilding the options would apply each one as a filter and reload the list; the
            # choice kept is applied once, below, without a reload.
            box.blockSignals(True)
            box.clear()
            box.addItem(f"全部{spec.label}", None)
            box.setItemData(0, "", LABEL_ROLE)
            for option in options:
                box.addItem(option.label, option.condition)
                box.setItemData(box.count() - 1, option.label, LABEL_ROLE)
            self._option_values[spec.key] = [None, *(o.value for o in options)]
            box.setCurrentIndex(max(box.findData(current, LABEL_ROLE), 0))
            box.blockSignals(False)
            self.model.set_filter(spec.key, box.currentData(), reload=False)
        self._filters_loaded = True

    def _update_option_counts(self) -> None:
        """Show how many rows each option would give, under the other choices.

        One GROUP BY a filter, read in the background: on a large queue it takes a moment
        (a scan of every incident when nothing is chosen), the list itself is already on
        screen, and what the operator asks next goes first. A late answer for an older choice
        is dropped, and one not yet begun is never read.
        """
        chosen = self.model.chosen()
        text = self.search.text()
        self._counts_asked += 1
        asked = self._counts_asked

        def still_wanted() -> bool:
            return self._counts_asked == asked  # an int read from the worker: no Qt call

        for spec in self.listing.filters:
            if spec.group is None:
                continue
            self.runner.run(
                partial(_counts, self.listing, spec.key, text, chosen, still_wanted),
                partial(self._show_counts, spec.key, asked),
                parent=self,
                on_error=lambda _exc: None,  # counts are a help; the list still works
                background=True,
            )

    def _show_counts(self, key: str, asked: int, counts: dict[object, int] | None) -> None:
        if counts is None or not shiboken6.isValid(self) or asked != self._counts_asked:
            return  # closed meanwhile, or the choices changed since
        box = self.filter_boxes[key]
        values = self._option_values.get(key, [])
        for i in range(1, box.count()):
            label = box.itemData(i, LABEL_ROLE)
            value = values[i] if i < len(values) else None
            box.setItemText(i, f"{label}（{counts.get(value, 0)}）")

    def _apply_filter(self, key: str) -> None:
        self.model.set_filter(key, self.filter_boxes[key].currentData())
        self._update_count()
        self._update_option_counts()

    def choose_filter(self, key: str, label: str) -> None:
        box = self.filter_boxes[key]
        box.setCurrentIndex(max(box.findData(label, LABEL_ROLE), 0))

    def set_extra_filter(self, key: str, condition: Condition | None, label: str = "") -> None:
        """A filter set by the page itself (a date range), not by a combo box; *label* says
        what it keeps, for exports."""
        self._extra_labels[key] = label if condition is not None else ""
        self.model.set_filter(key, condition)
        self._update_count()
        self._update_option_counts()

    def refresh(self) -> None:
        """Read the list again where it stands: the selection (by record) and the scroll position
        are kept, so a refresh for another desk's change does not lose the operator's place."""
        place = self._place()
        if self.filter_boxes:
            self._load_filter_options()
        self.model.reload()
        self._read(place)

    def refresh_later(self) -> None:
        """:meth:`refresh` with the rows read in a worker: for a list the operator has not
        asked for yet (a tab behind another), whose reading must not hold the window."""
        place = self._place()
        if self.filter_boxes:
            self._load_filter_options()
        self.model.reload_later(lambda: self._read(place))

    def show_read(self, place: tuple[int | None, int] | None) -> None:
        """After rows read elsewhere (a page's own read) were put in the model."""
        self._read(place or (None, 0))

    def _place(self) -> tuple[int | None, int]:
        return self.selected_id(), self.table.verticalScrollBar().value()

    def _read(self, place: tuple[int | None, int]) -> None:
        chosen, scrolled = place
        self._update_count()
        self._update_option_counts()
        rows = range(self.model.rowCount())
        again = next((row for row in rows if self.model.row_id(row) == chosen), None)
        # Only where the reload left nothing chosen: a page may have chosen for itself (the
        # queue follows the incident its pane shows).
        if again is not None and not self.table.selectionModel().hasSelection():
            self.table.selectRow(again)
        self.table.verticalScrollBar().setValue(scrolled)
        self.read.emit()

    def conditions(self) -> list[str]:
        """The filters in force, in words: 状态：已派单, 受理日期：…"""
        words = [
            f"{spec.label}：{self.filter_boxes[spec.key].currentData(LABEL_ROLE)}"
            for spec in self.listing.filters
            if self.filter_boxes[spec.key].currentIndex() > 0
        ]
        return words + [label for label in self._extra_labels.values() if label]

    def export_xlsx(self) -> None:
        stamp = timeutil.to_local(timeutil.now()).strftime("%Y%m%d")
        path = file_dialogs.save_file_name(
            self, "导出 Excel", f"{self.listing.title}-{stamp}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        header = self.table.horizontalHeader()
        listing, text, chosen = self.listing, self.search.text().strip(), self.model.chosen()
        sort = header.sortIndicatorSection()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        conditions = self.conditions()
        self.export_button.setEnabled(False)

        def done(count: int) -> None:
            if shiboken6.isValid(self):
                self.export_button.setEnabled(True)
                QMessageBox.information(self, "导出 Excel", f"已导出 {count} 条：{path}")

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.export_button.setEnabled(True)
                QMessageBox.warning(self, "导出 Excel", user_message(exc))

        # openpyxl is loaded on the first export, not with every list page at start-up.
        from commandcenter.exchange.listing_export import export_listing

        self.runner.run(
            lambda session, actor: export_listing(
                session,
                actor,
                listing,
                Path(path),
                text=text,
                sort=sort,
                descending=descending,
                chosen=chosen,
                conditions=conditions,
            ),
            done,
            parent=self,
            on_error=failed,
            busy=self.export_button,
        )

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None


class ListPage(Page):
    """A whole page around one listing, with a title and page actions."""

    def __init__(
        self,
        runner: Runner,
        settings: QSettings,
        listing: Listing,
        title: str,
        parent: QWidget | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.view = ListingView(runner, settings, listing, self)
        self.actions_bar = QHBoxLayout()
        self.actions_bar.addWidget(page_title(title))
        # The hint takes the room left beside the title and wraps, never widening the page.
        note = QLabel(hint)
        note.setStyleSheet(f"color: {palette.NOTE_TEXT};")
        note.setWordWrap(True)
        note.setMinimumWidth(120)
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.actions_bar.addWidget(note, 1)
        refresh = QAction(icon("refresh"), "刷新", self)
        refresh.triggered.connect(self.refresh)
        self.add_action(refresh)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.actions_bar)
        self.body.addWidget(self.view, 1)

    def add_action(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.actions_bar.addWidget(button)
        return button

    def refresh(self) -> None:
        self.view.refresh()

    def focus_search(self) -> None:
        self.view.search.setFocus()
        self.view.search.selectAll()
