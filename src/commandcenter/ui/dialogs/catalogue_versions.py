"""Catalogue versions: what changed between two, and what a new one is imported as."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.services import catalogue
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner


def diff_html(diff: catalogue.VersionDiff) -> str:
    parts = [
        f"<h3>{escape(diff.old_label)} → {escape(diff.new_label)}</h3>",
        f"<p>新增 {len(diff.added)} 项，删除 {len(diff.removed)} 项，修改 {len(diff.changed)} 项，"
        f"未变 {diff.unchanged} 项。</p>",
    ]
    if diff.added:
        parts.append("<h4>新增事项</h4><ul>")
        parts += [f"<li>{escape(code)} {escape(name)}</li>" for code, name in diff.added]
        parts.append("</ul>")
    if diff.removed:
        parts.append("<h4>删除事项</h4><ul>")
        parts += [f"<li>{escape(code)} {escape(name)}</li>" for code, name in diff.removed]
        parts.append("</ul>")
    if diff.changed:
        parts.append("<h4>修改事项</h4>")
        for change in diff.changed:
            rows = "".join(
                f"<tr><td>{escape(what)}</td><td>{escape(before) or '（空）'}</td>"
                f"<td>{escape(after) or '（空）'}</td></tr>"
                for what, before, after in change.changes
            )
            parts.append(
                f"<p><b>{escape(change.code)} {escape(change.name)}</b></p>"
                f"<table border='1' cellspacing='0' cellpadding='3'>"
                f"<tr><th>内容</th><th>原版本</th><th>新版本</th></tr>{rows}</table>"
            )
    return "".join(parts)


class DiffDialog(QDialog):
    """Two versions side by side: what was added, removed and changed."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.asked: tuple[int, int] | None = None  # the comparison whose answer is awaited
        self.setWindowTitle("比较清单版本")
        self.resize(760, 560)
        versions = runner.read_now(
            lambda session, actor: catalogue.versions(session, actor, timeutil.today())
        )
        self.report = QTextBrowser()
        self.report.setObjectName("diffReport")
        self.old, self.new = QComboBox(), QComboBox()
        self.old.setObjectName("oldVersion")
        self.new.setObjectName("newVersion")
        for box in (self.old, self.new):
            for version in versions:
                box.addItem(
                    f"{version.label}（{version.effective_from.isoformat()} 起，{version.items} 项）",
                    version.id,
                )
        if len(versions) > 1:
            self.old.setCurrentIndex(1)  # the one before the newest
        for box in (self.old, self.new):
            box.currentIndexChanged.connect(self.compare)
        form = QFormLayout()
        form.addRow("原版本", self.old)
        form.addRow("新版本", self.new)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.compare()

    def compare(self) -> None:
        old, new = self.old.currentData(), self.new.currentData()
        self.asked = None
        if old is None or new is None:
            self.report.setHtml("<p>还没有清单版本。</p>")
            return
        if old == new:
            self.report.setHtml("<p>请选择两个不同的版本。</p>")
            return
        # Two versions of a few thousand items are compared in a worker; a comparison asked for
        # later replaces one still on its way.
        self.asked = (old, new)
        self.report.setHtml("<p>正在比较…</p>")

        def show(diff: catalogue.VersionDiff) -> None:
            if self.asked == (old, new):
                self.report.setHtml(diff_html(diff))

        self.runner.run(
            lambda session, actor: catalogue.diff(session, actor, old, new), show, parent=self
        )


def ask_version(parent: QWidget) -> dict[str, Any] | None:
    """The new version's name, date and source, asked before its file is read."""
    fields = [
        form_dialog.text("label", "版本名称", "例如：2027版赋权事项清单"),
        form_dialog.day("effective_from", "生效日期", optional=False),
        form_dialog.text("source", "依据文件", "例如：区政府关于调整街道综合行政执法事项的通知"),
    ]
    dialog = QDialog(parent)
    dialog.setWindowTitle("导入新版清单")
    form = QFormLayout()
    for field in fields:
        field.widget.setObjectName(f"field_{field.key}")
        form.addRow(field.label, field.widget)
    note = QLabel("整张表作为一个新版本导入；已研判的事件保留原版本的事项，不受影响。")
    note.setWordWrap(True)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(note)
    layout.addLayout(form)
    layout.addWidget(buttons)
    if not dialog.exec():
        return None
    return {f.key: f.get() for f in fields}
