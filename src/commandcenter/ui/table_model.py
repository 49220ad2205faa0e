"""A table model over a service listing: rows come from SQL a page at a time.

Sorting and filtering are done by the database (a proxy model over 100,000 Python rows takes
seconds). Rows arrive through ``canFetchMore``/``fetchMore`` as the view scrolls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from commandcenter.services.listing import Condition, Listing, ListRow
from commandcenter.ui import palette
from commandcenter.ui.runner import Runner, Work

PAGE_SIZE = 200
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FLAG_ROLE = Qt.ItemDataRole.UserRole + 2

_BACKGROUND = {
    "overdue": QColor(palette.OVERDUE_BACKGROUND),
    "expired": QColor(palette.OVERDUE_BACKGROUND),
    "warning": QColor(palette.WARNING_BACKGROUND),
    "due_soon": QColor(palette.WARNING_BACKGROUND),
    "auxiliary": QColor(palette.AUXILIARY_BACKGROUND),
}
_FLAG_TIPS = {
    "overdue": "已超过办理期限",
    "expired": "执法证已过期或已暂扣、注销，不能派出执法",
    "warning": "执法证即将到期，请及时换证",
    "due_soon": "临期：办理时限已用去提醒比例，请督促办理",
    "auxiliary": "编外协勤人员：可随同，不能单独执法，不计入执法人员",
}

Index = QModelIndex | QPersistentModelIndex
FirstPage = tuple[int, list[ListRow]]  # how many rows in all, and the first of them


class ListingModel(QAbstractTableModel):
    def __init__(self, runner: Runner, listing: Listing, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.listing = listing
        self._rows: list[ListRow] = []
        self._total = 0
        self._search = ""
        self._sort = listing.default_sort
        self._descending = listing.default_descending
        self._chosen: dict[str, Condition] = {}
        self._fetching = False
        self._loaded = False  # nothing is read until the page is first shown
        self._asked = 0  # reads in a worker, so that only the latest is shown
        self.reading = False  # a read in a worker is under way

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the first page again (after a search, a sort or a change elsewhere)."""
        self.show_first_page(self.runner.read_now(self.first_page_work()))

    def reload_later(self, then: Callable[[], None] | None = None) -> None:
        """Read the first page in a worker and show it when it comes; *then* runs after. The
        rows on screen stay until then, and an answer overtaken by a newer read is dropped."""
        self._asked += 1
        asked = self._asked

        self.reading = True

        def show(page: FirstPage) -> None:
            if asked == self._asked:
                self.show_first_page(page)
                if then is not None:
                    then()

        self.runner.run(self.first_page_work(), show, parent=self.view_parent())

    def first_page_work(self) -> Work[FirstPage]:
        """The read of the first page under the search, sort and filters chosen now."""
        listing, search, sort, desc = self.listing, self._search, self._sort, self._descending
        chosen = dict(self._chosen)

        def work(session: Any, actor: Any) -> FirstPage:
            total = listing.count(session, actor, search, chosen=chosen)
            rows = listing.fetch(
                session, actor, search, sort=sort, descending=desc, limit=PAGE_SIZE, chosen=chosen
            )
            return total, rows

        return work

    def count_work(self) -> Work[int]:
        """The count alone under the choices now: a tab's caption before its rows are read."""
        listing, search, chosen = self.listing, self._search, dict(self._chosen)
        return lambda session, actor: listing.count(session, actor, search, chosen=chosen)

    def show_first_page(self, page: FirstPage) -> None:
        self._asked += 1  # a read still under way is older than this page
        self.reading = False
        self._loaded = True
        self.beginResetModel()
        self._total, self._rows = page
        self.endResetModel()

    def view_parent(self) -> Any:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def set_search(self, text: str, then: Callable[[], None] | None = None) -> None:
        """A search is read in a worker: over a large queue it takes a fifth of a second,
        which the window must not freeze for while the operator types. *then* runs once the
        rows are shown."""
        self._search = text.strip()
        self.reload_later(then)

    def set_filter(self, key: str, condition: Condition | None, *, reload: bool = True) -> None:
        if condition is None:
            self._chosen.pop(key, None)
        else:
            self._chosen[key] = condition
        if reload:
            self.reload()

    def unfiltered(self) -> bool:
        """Neither a search nor a filter narrows the list: its count is the listing's own."""
        return not self._search and not self._chosen

    def chosen(self) -> dict[str, Condition]:
        return dict(self._chosen)

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching:
            return
        self._fetching = True  # a view may ask again while the rows are being read
        try:
            offset = len(self._rows)
            listing, search, sort, desc = (self.listing, self._search, self._sort, self._descending)
            chosen = dict(self._chosen)
            rows: list[ListRow] = self.runner.read_now(
                lambda session, actor: listing.fetch(
                    session,
                    actor,
                    search,
                    sort=sort,
                    descending=desc,
                    offset=offset,
                    limit=PAGE_SIZE,
                    chosen=chosen,
                )
            )
            if rows:
                self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
            else:  # the table shrank meanwhile; stop asking
                self._total = len(self._rows)
        finally:
            self._fetching = False

    # --- the model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.listing.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _FLAG_TIPS.get(row.flag or "")
            value = row.values[index.column()]
            return f"{value}\n{tip}" if tip else value or None
        if role == Qt.ItemDataRole.BackgroundRole and row.flag in _BACKGROUND:
            return QBrush(_BACKGROUND[row.flag])
        if role == Qt.ItemDataRole.ForegroundRole and row.flag == "inactive":
            return QBrush(
                QColor(palette.INACTIVE_TEXT)
            )  # done, withdrawn, retired: kept but in grey
        if role == ROW_ID_ROLE:
            return row.id
        if role == FLAG_ROLE:
            return row.flag
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            columns = self.listing.columns
            return columns[section].header if 0 <= section < len(columns) else None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.listing.columns):
            return
        self._sort = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded:  # before the first load, remember the order for it
            self.reload()

    def row_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None
