"""The command line: subcommands, and Chinese errors instead of tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from commandcenter.cli import main
from tests.conftest import sqlite_only


@pytest.mark.slow
def test_demo_creates_a_demo_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    code = main(["--home", str(home), "demo", "--incidents", "120", "--as-of", "2026-11-20"])
    assert code == 0
    assert (home / "demo" / "commandcenter-demo.db").exists()
    assert "演示数据库已生成" in capsys.readouterr().out
    # A second run refuses, unless told to replace it.
    assert main(["--home", str(home), "demo", "--incidents", "10"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["--home", str(home), "demo", "--incidents", "10", "--replace"]) == 0


@sqlite_only
def test_demo_never_replaces_a_real_database(
    tmp_path: Path, db: object, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "cc.db"
    before = real.read_bytes()
    code = main(["--db", f"sqlite:///{real}", "demo", "--replace", "--incidents", "5"])
    assert code == 2
    assert "不是演示数据库" in capsys.readouterr().err
    assert real.read_bytes() == before


def test_missing_database_is_a_short_chinese_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", f"sqlite:///{tmp_path}/missing.db", "selftest", "--startup-only"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("错误：数据库未找到")
    assert "Traceback" not in captured.err
