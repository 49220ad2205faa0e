"""The core never imports Qt: checked by import-linter and by importing it with Qt blocked."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import commandcenter

ROOT = Path(__file__).resolve().parents[2]
CORE_PACKAGES = ("db", "services", "documents", "demo")


def core_modules() -> list[str]:
    names = ["commandcenter.paths", "commandcenter.timeutil", "commandcenter.errors"]
    for package in CORE_PACKAGES:
        path = Path(commandcenter.__file__).parent / package
        names.append(f"commandcenter.{package}")
        for info in pkgutil.walk_packages([str(path)], prefix=f"commandcenter.{package}."):
            if ".migrations" not in info.name:
                names.append(info.name)
    return names


def test_core_imports_without_qt() -> None:
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'qtawesome'):\n"
        "            raise ImportError('Qt is not allowed in the core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {core_modules()!r}:\n"
        "    __import__(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_import_linter_contract_holds() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is part of the dev dependencies"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
