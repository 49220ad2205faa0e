"""The log file and crash reports: what a packaged build without a console leaves behind."""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandcenter import diagnostics
from commandcenter import paths as paths_module
from commandcenter.cli import main


@pytest.fixture
def hooks_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """The hooks as they were after the test; the fault handler's file is only noted."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(diagnostics, "_fault_file", None)
    enabled: list[object] = []
    monkeypatch.setattr(diagnostics.faulthandler, "enable", enabled.append)
    yield enabled
    if diagnostics._fault_file is not None:
        diagnostics._fault_file.close()


def test_the_log_is_written_in_utf8_under_a_chinese_folder(tmp_path: Path) -> None:
    logs = tmp_path / "张三的数据" / "logs"
    try:
        path = diagnostics.configure_logging(logs)
        diagnostics.configure_logging(logs)  # again: still one file handler, not two
        logging.getLogger("commandcenter.test").warning("派单 梅执指派〔2026〕15号 已打印")
        files = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
        assert len([h for h in files if Path(h.baseFilename).parent == logs]) == 1
        for handler in files:
            handler.flush()
    finally:
        diagnostics.configure_logging(tmp_path / "elsewhere")
    assert path == logs / diagnostics.LOG_NAME
    assert "梅执指派〔2026〕15号 已打印" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_command_logs_to_the_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "李四" / "数据"
    assert main(["--home", str(home), "demo", "--incidents", "5", "--as-of", "2026-11-20"]) == 0
    logging.getLogger("commandcenter.test").info("记录一条")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "记录一条" in (home / "logs" / diagnostics.LOG_NAME).read_text(encoding="utf-8")


def test_an_uncaught_error_becomes_a_crash_report_and_a_notice(
    tmp_path: Path, hooks_restored: list[object]
) -> None:
    logs = tmp_path / "王五" / "logs"
    told: list[Path] = []
    diagnostics.install_crash_hooks(logs, told.append)
    try:
        raise RuntimeError("派单失败：测试")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert len(told) == 1 and told[0].parent == logs
    report = told[0].read_text(encoding="utf-8")
    assert "RuntimeError: 派单失败：测试" in report and "未处理的错误" in report
    assert "Traceback" in report
    assert hooks_restored and getattr(hooks_restored[0], "name", "").endswith("faulthandler.log")

    # An error on another thread is reported the same way.
    worker = threading.Thread(target=lambda: 1 / 0, name="导出线程")
    worker.start()
    worker.join()
    assert len(told) == 2 and "ZeroDivisionError" in told[1].read_text(encoding="utf-8")
    assert "thread 导出线程" in told[1].read_text(encoding="utf-8")


def test_a_failing_notice_does_not_escape_the_hook(
    tmp_path: Path, hooks_restored: list[object]
) -> None:
    def broken(path: Path) -> None:
        raise OSError("no screen")

    diagnostics.install_crash_hooks(tmp_path / "logs", broken)
    try:
        raise ValueError("x")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert len(list((tmp_path / "logs").glob("crash-*.txt"))) == 1


def test_a_windowed_build_without_console_streams_can_still_print(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    diagnostics.quiet_streams()
    assert sys.stdout is not None and sys.stderr is not None
    print("演示数据库已生成")  # goes nowhere, and does not fail
    sys.stdout.close()
    sys.stderr.close()


def test_a_console_with_a_narrow_code_page_does_not_fail_on_chinese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", console)
    diagnostics.quiet_streams()
    print("梅执指派〔2026〕15号 ✔")  # ✔ is not in GBK
    console.flush()
    assert raw.getvalue().decode("gbk") == "梅执指派〔2026〕15号 ?\n"


def test_without_a_chosen_folder_data_and_logs_are_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows: C:\\Users\\张三\\AppData\\Local\\commandcenter and its Logs folder."""
    local = tmp_path / "Users" / "张三" / "AppData" / "Local"
    monkeypatch.delenv("COMMANDCENTER_HOME")
    monkeypatch.setattr(
        paths_module.platformdirs,
        "user_data_dir",
        lambda name, appauthor, roaming: str(local / name),
    )
    monkeypatch.setattr(
        paths_module.platformdirs,
        "user_log_dir",
        lambda name, appauthor: str(local / name / "Logs"),
    )
    paths = paths_module.resolve_home()
    assert paths.home == local / "commandcenter"
    assert paths.logs == local / "commandcenter" / "Logs"
    assert paths_module.resolve_home(tmp_path / "移动后").logs == tmp_path / "移动后" / "logs"
