"""Choosing files and folders, in Chinese wherever the dialog is Qt's own.

On Windows these are the system's dialogs, in the system's language. Where Qt draws the dialog
itself, two of its labels (查找范围, 文件类型) are set without going through Qt's translations and
would read "Look in:" and "Files of type:": they are named here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

_LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
}


def _dialog(
    parent: QWidget | None,
    caption: str,
    start: str,
    filters: str,
    mode: QFileDialog.FileMode,
    accept: QFileDialog.AcceptMode = QFileDialog.AcceptMode.AcceptOpen,
) -> QFileDialog:
    dialog = QFileDialog(parent, caption, start, filters)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    for label, text in _LABELS.items():
        dialog.setLabelText(label, text)
    return dialog


def _chosen(dialog: QFileDialog) -> list[str]:
    try:
        return dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, start: str = "", filters: str = "") -> str:
    """One existing file, or "" if the user cancelled."""
    chosen = _chosen(_dialog(parent, caption, start, filters, QFileDialog.FileMode.ExistingFile))
    return chosen[0] if chosen else ""


def open_file_names(
    parent: QWidget | None, caption: str, start: str = "", filters: str = ""
) -> list[str]:
    """Existing files (none if the user cancelled)."""
    return _chosen(_dialog(parent, caption, start, filters, QFileDialog.FileMode.ExistingFiles))


def save_file_name(parent: QWidget | None, caption: str, start: str = "", filters: str = "") -> str:
    """Where to write a file (replacing one is confirmed), or "" if the user cancelled."""
    dialog = _dialog(
        parent,
        caption,
        start,
        filters,
        QFileDialog.FileMode.AnyFile,
        QFileDialog.AcceptMode.AcceptSave,
    )
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""


def existing_directory(parent: QWidget | None, caption: str, start: str = "") -> str:
    """A folder, or "" if the user cancelled."""
    dialog = _dialog(parent, caption, start, "", QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""
