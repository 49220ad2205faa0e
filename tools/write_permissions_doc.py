"""Write docs/permissions.md from the permission matrix in the services."""

from __future__ import annotations

from pathlib import Path

from commandcenter.services.permissions import matrix_markdown

ROOT = Path(__file__).resolve().parent.parent

HEADER = """# 角色权限表 (permission matrix)

Generated from `src/commandcenter/services/permissions.py` by `python tools/write_permissions_doc.py`;
a test fails when the two disagree. Every service action calls `require(actor, action)`, deny by
default: a role not listed for an action is refused with a Chinese message, whatever the UI shows.

"""


def main() -> None:
    (ROOT / "docs" / "permissions.md").write_text(HEADER + matrix_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
