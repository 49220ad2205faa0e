"""The command line: subcommands, and Chinese errors instead of tracebacks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter import cli
from commandcenter.cli import main
from commandcenter.db import engine
from commandcenter.db.engine import Database
from commandcenter.diagnostics import LOG_NAME
from commandcenter.paths import sqlite_url
from tests.conftest import PASSWORD, sqlite_only


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


@sqlite_only
def test_a_locked_database_is_a_short_chinese_error(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", PASSWORD)
    path = db.sqlite_path
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)  # another workstation is saving
    try:
        holder.execute("BEGIN IMMEDIATE")
        code = main(["--db", sqlite_url(path), "check", "--user", "admin"])
    finally:
        holder.close()
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == "错误：数据库正被其他工作站占用，请稍后重试。\n"


def test_an_unexpected_error_is_one_chinese_line_and_a_crash_report(tmp_path: Path) -> None:
    home = tmp_path / "数据"
    # A bug inside a command, in a process of its own so the console is the real one.
    script = (
        "import sys\n"
        "from commandcenter import cli\n"
        "def broken(args, paths):\n"
        "    raise RuntimeError('张三 110101199003071234')\n"
        "cli.cmd_template = broken\n"
        f"sys.exit(cli.main(['--home', {str(home)!r}, 'template', 'people', 'x.xlsx']))\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert child.returncode == 1
    reports = list((home / "logs").glob("crash-*.txt"))
    assert len(reports) == 1
    assert (
        child.stderr
        == f"错误：程序内部错误，命令未完成。详细情况已写入 {reports[0]}，请交给系统管理员。\n"
    )
    assert child.stdout == ""
    report = reports[0].read_text(encoding="utf-8")
    assert "Traceback" in report and "RuntimeError: 张三" in report
    log = (home / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "unexpected error" in log and "RuntimeError: 张三" in log


@pytest.mark.slow
def test_a_demo_killed_while_being_replaced_leaves_the_old_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from commandcenter.demo import generator

    home = tmp_path / "h"
    assert main(["--home", str(home), "demo", "--incidents", "20"]) == 0
    demo = home / "demo" / "commandcenter-demo.db"
    before = demo.read_bytes()

    def killed(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # as a window closed or Ctrl+C half-way

    monkeypatch.setattr(generator, "generate", killed)
    assert main(["--home", str(home), "demo", "--incidents", "20", "--replace"]) != 0
    assert demo.read_bytes() == before  # the old demo, whole
    monkeypatch.undo()
    # The half-made one left beside it does not stand in the way of the next run.
    assert (home / "demo" / "commandcenter-demo.db.new").exists()
    assert main(["--home", str(home), "demo", "--incidents", "20", "--replace"]) == 0
    assert not (home / "demo" / "commandcenter-demo.db.new").exists()
    assert "演示数据库已生成" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--db", "sqlite:///D:/data/cc.db", "--read-only"],
        ["--home=/tmp/x", "--db=postgresql://cc:pw@host/cc"],
        ["--read"],  # an abbreviation, as argparse allows it
    ],
)
def test_the_window_options_are_read_as_the_full_parser_reads_them(argv: list[str]) -> None:
    quick = cli._window_args(argv)
    assert quick is not None
    assert vars(quick) == vars(cli._parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--incidents", "10"],
        ["--db", "sqlite:///x.db", "check"],
        ["-h"],
        ["--db"],  # no value: the full parser reports it
        ["--demo", "--seed", "3"],
    ],
)
def test_anything_but_the_window_goes_to_the_full_parser(argv: list[str]) -> None:
    assert cli._window_args(argv) is None
