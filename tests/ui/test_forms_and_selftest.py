"""Generated forms are current, and the selftest passes on a fresh demo database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from commandcenter.documents.registry import DOCUMENT_KINDS
from commandcenter.ui.pages import PAGES
from commandcenter.ui.selftest import run_selftest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_forms  # noqa: E402


def test_generated_forms_and_resources_are_current() -> None:
    for path, expected in build_forms.expected_outputs().items():
        assert path.exists(), f"{path.name} missing: run python tools/build_forms.py"
        actual = path.read_text(encoding="utf-8")
        assert actual == expected, f"{path.name} is stale: run python tools/build_forms.py"


@pytest.mark.slow
def test_selftest_visits_everything(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    code = run_selftest(
        screenshots=tmp_path / "shots", startup_only=False, db_url=None, say=lines.append
    )
    assert code == 0, lines
    assert lines[-1].startswith("自检通过")
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert len(shots) == len(PAGES) + len(DOCUMENT_KINDS)  # every page and one of each paper


def test_selftest_names_a_missing_translation(qapp, db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTranslator

    from commandcenter.ui.app import configure
    from commandcenter.ui.selftest import _missing_parts

    configure(qapp)
    assert _missing_parts(db) == []
    translators = qapp.findChildren(QTranslator)
    assert translators, "configure() installs Qt's Chinese translation"
    for translator in translators:
        qapp.removeTranslator(translator)
    try:
        assert _missing_parts(db) == ["缺少 Qt 中文翻译（qtbase_zh_CN.qm），标准按钮会显示英文"]
    finally:
        for translator in translators:
            qapp.installTranslator(translator)
