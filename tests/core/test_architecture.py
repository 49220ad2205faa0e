"""The core never imports Qt: checked by import-linter and by importing it with Qt blocked."""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import commandcenter

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(commandcenter.__file__).parent
# The front ends: the window and the program's entry points, which open it.
FRONT_ENDS = frozenset({"ui", "cli", "cli_maintenance", "cli_work_orders", "__main__"})


def top_level() -> dict[str, bool]:
    """Every package and module directly in commandcenter, with whether it is a package."""
    return {info.name: info.ispkg for info in pkgutil.iter_modules([str(PACKAGE)])}


def core_top_level() -> set[str]:
    """What is on disk, less the front ends: a new package is core unless listed above."""
    return set(top_level()) - FRONT_ENDS


def core_modules() -> list[str]:
    names = []
    for name in sorted(core_top_level()):
        names.append(f"commandcenter.{name}")
        if top_level()[name]:
            for info in pkgutil.walk_packages(
                [str(PACKAGE / name)], prefix=f"commandcenter.{name}."
            ):
                if ".migrations" not in info.name:
                    names.append(info.name)
    return names


def contract(name: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for found in config["tool"]["importlinter"]["contracts"]:
        if found["name"] == name:
            return dict(found)
    raise AssertionError(f"pyproject.toml has no import-linter contract named {name!r}")


def test_the_core_list_is_what_is_on_disk() -> None:
    # A guard against the list above going stale: the front ends exist, and the core is the rest.
    assert set(top_level()) >= FRONT_ENDS
    assert {"db", "services", "documents", "exchange", "demo", "fileio"} <= core_top_level()


def test_the_layers_name_every_top_level_module() -> None:
    layers = contract("Layers")
    assert layers["containers"] == ["commandcenter"]
    named = [
        part.strip() for layer in layers["layers"] for part in layer.replace(":", "|").split("|")
    ]
    assert sorted(named) == sorted(top_level())


def test_the_qt_contract_covers_the_whole_core() -> None:
    sources = contract("The core never imports Qt")["source_modules"]
    assert sorted(sources) == sorted(f"commandcenter.{name}" for name in core_top_level())


def _sqlalchemy_imports(package: str) -> dict[str, set[str]]:
    """Each module of *package* with the names it imports from SQLAlchemy."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                found.setdefault(path.stem, set()).update(names)
            elif isinstance(node, ast.Import):
                names = {a.name for a in node.names if a.name.startswith("sqlalchemy")}
                if names:
                    found.setdefault(path.stem, set()).update(names)
    return found


@pytest.mark.parametrize("package", ["documents", "exchange"])
def test_papers_and_workbooks_run_no_queries_of_their_own(package: str) -> None:
    # A paper or a workbook is handed its session for the services it calls, nothing more: the
    # queries behind it live in services, beside the permission check.
    found = _sqlalchemy_imports(package)
    assert found
    for module, names in found.items():
        assert names == {"sqlalchemy.orm.Session"}, module


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
