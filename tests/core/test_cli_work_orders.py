"""The work-order commands: a sample export made, imported with its layout confirmed once,
imported again as repeats, and the replies exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from commandcenter.cli import main
from commandcenter.paths import sqlite_url
from tests.conftest import sqlite_only
from tests.core.incident_world import PASSWORD, World


@sqlite_only
def test_sample_import_repeat_and_export(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", PASSWORD)
    path = world.db.sqlite_path
    assert path is not None
    base = ["--home", str(tmp_path / "home"), "--db", sqlite_url(path)]
    sample = tmp_path / "12345.xlsx"
    assert main([*base, "work-order-sample", str(sample), "--source", "12345", "--count", "5"]) == 0
    assert sample.exists()
    capsys.readouterr()

    command = [*base, "import-work-orders", str(sample), "--source", "12345", "--user", "op1"]
    assert main(command) == 2  # a layout not met before: say what was recognised
    err = capsys.readouterr().err
    assert "第一次导入这种格式的12345热线工单" in err
    assert "--map 工单编号=工单编号 --map 受理时间=来电时间" in err

    assert main([*command, "--map", "诉求类型=诉求类型"]) == 0
    out = capsys.readouterr().out
    assert "导入完成：共 5 行，新增 5 条，更新 0 条。" in out
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "已导入过 5 条（未作修改）" in out and "沿用已保存的12345热线的列对应" in out

    replies_file = tmp_path / "replies.xlsx"
    export = [*base, "export-replies", str(replies_file), "--source", "12345"]
    assert main([*export, "--from", "2026-09-01", "--to", "2026-09-30", "--user", "op1"]) == 0
    assert "已导出 0 张12345热线工单的办结回复" in capsys.readouterr().out
    assert main([*base, "work-order-sample", str(sample), "--source", "微博"]) == 2
    assert "工单来源应为 12345 或 四平台" in capsys.readouterr().err
