"""Compile forms/*.ui and resources/resources.qrc into the package.

Run after editing a form or a resource:  python tools/build_forms.py
The generated modules are committed (so an installed package and a frozen build need no Qt
tools) and a test fails when they are older than their sources.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
FORMS_OUT = ROOT / "src" / "commandcenter" / "ui" / "forms"
QRC = ROOT / "resources" / "resources.qrc"
QRC_OUT = ROOT / "src" / "commandcenter" / "ui" / "resources_rc.py"
HEADER = "# Generated from {source} by tools/build_forms.py - do not edit.\n"


def _tool(name: str) -> str:
    scripts = Path(sys.executable).parent
    for candidate in (scripts / name, scripts / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    return name


def compile_form(ui_file: Path) -> str:
    out = subprocess.run(
        [_tool("pyside6-uic"), "--from-imports", str(ui_file)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    return HEADER.format(source=f"forms/{ui_file.name}") + _strip_version(out)


def compile_resources() -> str:
    out = subprocess.run(
        # Format 1 carries no file timestamps, so the output depends on the sources only
        # (a fresh checkout has new modification times).
        [_tool("pyside6-rcc"), "-g", "python", "--format-version", "1", str(QRC)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    return HEADER.format(source="resources/resources.qrc") + _strip_version(out)


def _strip_version(text: str) -> str:
    # The compilers stamp their version; leave it out so output depends on the sources only.
    return (
        "\n".join(
            line
            for line in text.splitlines()
            if "Created by:" not in line
            and "Qt User Interface Compiler" not in line
            and "Resource object code" not in line
        )
        + "\n"
    )


def expected_outputs() -> dict[Path, str]:
    outputs = {
        FORMS_OUT / f"ui_{ui.stem}.py": compile_form(ui) for ui in sorted(FORMS.glob("*.ui"))
    }
    outputs[QRC_OUT] = compile_resources()
    return outputs


def main() -> int:
    FORMS_OUT.mkdir(parents=True, exist_ok=True)
    init = FORMS_OUT / "__init__.py"
    if not init.exists():
        init.write_text(
            '"""Modules generated from forms/*.ui by tools/build_forms.py."""\n', encoding="utf-8"
        )
    for path, text in expected_outputs().items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
