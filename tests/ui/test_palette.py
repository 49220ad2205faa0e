"""Colours come from ui/palette.py: no other UI module holds a colour literal, and the style
sheet takes its colours from the palette when the application loads it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from commandcenter.ui import palette

UI = Path(palette.__file__).parent
STYLE_SHEET = UI.parents[2] / "resources" / "style.qss"
# Generated from forms/ and resources/ (the compiled style sheet is checked through its source).
GENERATED = {UI / "resources_rc.py", *(UI / "forms").glob("*.py")}

_HEX = re.compile(r"#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![0-9A-Za-z_])")
_NAMED = re.compile(
    r"(?:color|background|background-color|bgcolor|border-color|border)\s*[:=]\s*['\"]?"
    r"(?:[^;'\"]*\s)?(red|green|blue|yellow|orange|white|black|gr[ae]y|silver|maroon|navy)\b",
    re.IGNORECASE,
)
# Qt and the libraries that take a colour as arguments, or as keyword arguments.
_COLOUR_CALLS = {"QColor", "QBrush", "QPen", "fromRgb", "fromRgbF", "fromHsv", "fromString"}
_COLOUR_KEYWORDS = {"color", "color_active", "color_disabled", "color_selected", "colour"}


def colour_literals(source: str) -> list[str]:
    """Where *source* spells out a colour rather than naming it from the palette."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"{node.lineno}: {m.group()}" for m in _HEX.finditer(node.value)]
            found += [f"{node.lineno}: {m.group()}" for m in _NAMED.finditer(node.value)]
        elif isinstance(node, ast.Attribute) and node.attr != "GlobalColor":
            if isinstance(node.value, ast.Attribute) and node.value.attr == "GlobalColor":
                found.append(f"{node.lineno}: GlobalColor.{node.attr}")
        elif isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            literal_args = [a for a in node.args if isinstance(a, ast.Constant)]
            if name in _COLOUR_CALLS and literal_args:
                found.append(f"{node.lineno}: {name}({literal_args[0].value!r}, …)")
            for keyword in node.keywords:
                if keyword.arg in _COLOUR_KEYWORDS and isinstance(keyword.value, ast.Constant):
                    found.append(f"{node.lineno}: {keyword.arg}={keyword.value.value!r}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        'label.setStyleSheet("color: #B3261E;")',
        "html = f\"<td bgcolor='#EEF1F5'>{x}</td>\"",
        "html = \"<p style='color:#777'>无</p>\"",
        "brush = QBrush(QColor(200, 22, 29))",
        "fmt.setBackground(Qt.GlobalColor.yellow)",
        'cover.setStyleSheet("background: white; color: black")',
        'qta.icon("mdi6.home", color="#2F4A6D")',
        "c = QColor.fromRgb(255, 0, 0)",
        "item.setForeground(QColor('darkRed'))",
    ],
)
def test_the_check_finds_colour_literals(source: str) -> None:
    assert colour_literals(source), source


@pytest.mark.parametrize(
    "source",
    [
        'label.setStyleSheet(f"color: {palette.ERROR_TEXT};")',
        "brush = QBrush(QColor(palette.OVERDUE_BACKGROUND))",
        'qta.icon("mdi6.home", color=palette.ICON)',
        'text = "第#1号" + "#tag"',
        'label.setStyleSheet("font-weight: bold; border: none;")',
        'box.setProperty("role", "card")',
    ],
)
def test_the_check_leaves_named_colours_alone(source: str) -> None:
    assert colour_literals(source) == []


def test_no_ui_module_but_the_palette_holds_a_colour_literal() -> None:
    offenders = {
        str(path.relative_to(UI)): found
        for path in sorted(UI.rglob("*.py"))
        if path.name != "palette.py"
        and path not in GENERATED
        and (found := colour_literals(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "colours belong in ui/palette.py"


def test_every_palette_colour_is_a_colour() -> None:
    named = palette.colours()
    assert len(named) > 20
    for name, value in named.items():
        assert QColor(value).isValid(), name
    for value in palette.CHART_SERIES:
        assert QColor(value).isValid(), value


def test_the_style_sheet_takes_its_colours_from_the_palette() -> None:
    template = STYLE_SHEET.read_text(encoding="utf-8")
    assert not _HEX.search(template)
    assert not _NAMED.search(template)
    filled = palette.style_sheet(template)
    assert "$" not in filled
    assert f"background: {palette.HEADER_BLUE};" in filled
    assert f"color: {palette.ALERT_RED};" in filled


def test_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(KeyError):
        palette.style_sheet("QLabel { color: $no_such_colour; }")


def test_the_application_loads_the_filled_style_sheet(qapp: QApplication) -> None:
    from commandcenter.ui.app import create_application

    app = create_application()
    sheet = app.styleSheet()
    assert sheet == palette.style_sheet(STYLE_SHEET.read_text(encoding="utf-8"))
    assert palette.NAV_SELECTED in sheet
