"""What the Windows build needs besides the code: the program icon and the version resource.

Both are made from the sources at build time (the icon from resources/icons/app.svg, the
version from commandcenter.__version__), so they cannot drift from what the app shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
PRODUCT = "指挥中心工作台"
COMPANY = "街道综合行政执法指挥中心"


def version() -> str:
    text = (ROOT / "src" / "commandcenter" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([0-9.]+)"', text)
    if found is None:
        raise SystemExit("commandcenter/__init__.py has no __version__")
    return found.group(1)


def write_icon(folder: Path) -> Path:
    """app.ico with every size Windows asks for, drawn from the SVG by Qt's renderer."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "app.svg"))
    folder.mkdir(parents=True, exist_ok=True)
    largest = QImage(256, 256, QImage.Format.Format_ARGB32)
    largest.fill(Qt.GlobalColor.transparent)
    painter = QPainter(largest)
    renderer.render(painter)
    painter.end()
    png = folder / "app-256.png"
    largest.save(str(png))
    icon = folder / "app.ico"
    with Image.open(png) as image:
        image.save(icon, sizes=[(s, s) for s in ICON_SIZES])
    return icon


def write_version_info(folder: Path) -> Path:
    """The version resource Explorer shows under 属性 → 详细信息, in PyInstaller's text form."""
    numbers = [int(n) for n in version().split(".")] + [0, 0, 0]
    four = tuple(numbers[:4])
    dotted = ".".join(str(n) for n in four)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": PRODUCT,
        "FileVersion": dotted,
        "InternalName": "commandcenter",
        "LegalCopyright": COMPANY,
        "OriginalFilename": "commandcenter.exe",
        "ProductName": PRODUCT,
        "ProductVersion": dotted,
    }
    entries = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={four},
    prodvers={four},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
{entries}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path
