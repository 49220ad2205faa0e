"""Atomic file writes: the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from commandcenter.errors import UserError


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside *target*; on success it replaces *target* in one step."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise UserError(f"无法写入文件夹 {target.parent}：{exc.strerror or exc}") from exc
    temp = Path(temp_name)
    try:
        yield temp
        with temp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except PermissionError as exc:
        raise UserError(
            f"无法保存 {target.name}：文件可能正被其他程序打开（例如 PDF 阅读器），请关闭后重试。"
        ) from exc
    except OSError as exc:
        raise UserError(f"无法保存 {target}：{exc.strerror or exc}。原文件未受影响。") from exc
    finally:
        temp.unlink(missing_ok=True)
