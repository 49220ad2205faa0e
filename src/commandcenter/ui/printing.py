"""Generate a paper in a worker, then open it in the preview with its print button."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from commandcenter import timeutil
from commandcenter.ui.dialogs.pdf_preview import PdfPreviewDialog
from commandcenter.ui.runner import Runner

Render = Callable[[Any, Any, Path], Path]


def output_path(runner: Runner, kind: str) -> Path:
    stamp = timeutil.to_local(timeutil.now()).strftime("%Y%m%d-%H%M%S")
    return runner.documents_dir / f"{kind}-{stamp}.pdf"


def generate_and_preview(
    parent: QWidget,
    runner: Runner,
    kind: str,
    title: str,
    render: Render,
    *,
    write: bool = False,  # the paper takes its number on first printing
    on_done: Callable[[], None] | None = None,
) -> None:
    path = output_path(runner, kind)

    def show(result: Path) -> None:
        dialog = PdfPreviewDialog(result, title, parent)
        dialog.setObjectName("pdfPreview")
        dialog.show()
        if on_done is not None:
            on_done()

    runner.run(
        lambda session, actor: render(session, actor, path), show, parent=parent, write=write
    )
