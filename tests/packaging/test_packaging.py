"""The Windows build's inputs made from the sources: the version resource, the icon, the list of
requirements. (scripts/check_package.sh builds the package itself and runs its selftest.)"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import commandcenter

ROOT = Path(__file__).resolve().parents[2]


def _assets() -> ModuleType:
    spec = importlib.util.spec_from_file_location("assets", ROOT / "packaging" / "assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_version_resource_carries_the_apps_version(tmp_path: Path) -> None:
    assets = _assets()
    assert assets.version() == commandcenter.__version__
    text = assets.write_version_info(tmp_path).read_text(encoding="utf-8")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates it as one expression
    assert isinstance(tree.body, ast.Call) and getattr(tree.body.func, "id", "") == "VSVersionInfo"
    four = ".".join((commandcenter.__version__.split(".") + ["0"] * 4)[:4])
    assert f"StringStruct('FileVersion', '{four}')" in text
    assert "StringStruct('ProductName', '指挥中心工作台')" in text


@pytest.mark.usefixtures("qapp")  # the suite's QApplication, not a QGuiApplication of its own
def test_the_icon_has_every_size_windows_asks_for(tmp_path: Path) -> None:
    icon = _assets().write_icon(tmp_path)
    data = icon.read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    count = int.from_bytes(data[4:6], "little")
    sizes = {data[6 + 16 * n] or 256 for n in range(count)}  # width byte; 0 means 256
    assert sizes == {16, 24, 32, 48, 64, 128, 256}


def test_the_wheel_check_covers_every_requirement() -> None:
    listed = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "requirements.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert listed == project["dependencies"] + project["optional-dependencies"]["package"]
    assert any(line.startswith("pyinstaller") for line in listed)
