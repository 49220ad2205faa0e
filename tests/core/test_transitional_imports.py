"""services/listings.py and services/roster/__init__.py re-export names for the UI alone, until its
imports move to the modules that define them: nothing else may lean on them in the meantime."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "commandcenter"
RE_EXPORTS = {SOURCE / "services" / "listings.py", SOURCE / "services" / "roster" / "__init__.py"}
ROSTER_MODULES = {"people", "certificates", "eligibility", "listings"}


def _outside_the_ui() -> list[Path]:
    files = [p for p in SOURCE.rglob("*.py") if "ui" not in p.relative_to(SOURCE).parts[:1]]
    for folder in ("tests", "benchmarks", "tools", "packaging"):
        files += (ROOT / folder).rglob("*.py")
    return sorted(set(files) - RE_EXPORTS)


def transitional_imports(source: str) -> list[str]:
    """The imports in *source* that go through a re-export, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                a.name
                for a in node.names
                if a.name in ("commandcenter.services.listings", "commandcenter.services.roster")
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = {a.name for a in node.names}
            if node.module == "commandcenter.services":
                found += sorted(names & {"listings", "roster"})
            elif node.module == "commandcenter.services.listings":
                found.append(node.module)
            elif node.module == "commandcenter.services.roster" and names - ROSTER_MODULES:
                found.append(f"{node.module}: {', '.join(sorted(names - ROSTER_MODULES))}")
    return found


def test_the_check_sees_each_way_in() -> None:
    assert transitional_imports("from commandcenter.services import auth, listings") == ["listings"]
    assert transitional_imports("from commandcenter.services.roster import PersonForm")
    assert transitional_imports("import commandcenter.services.listings")
    assert not transitional_imports("from commandcenter.services.roster import people")
    assert not transitional_imports("from commandcenter.services.incidents import listings")


def test_only_the_ui_uses_the_re_exports() -> None:
    found = {
        str(path.relative_to(ROOT)): ways
        for path in _outside_the_ui()
        if (ways := transitional_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}
