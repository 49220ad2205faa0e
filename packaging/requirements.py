"""Print the app's requirements with the packaging tools', one per line, from pyproject.toml:
what the Windows wheel check (scripts/check_package.sh) and build_windows.ps1 resolve."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
for requirement in [*project["dependencies"], *project["optional-dependencies"]["package"]]:
    print(requirement)
