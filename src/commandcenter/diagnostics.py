"""The log file, and what happens to an error nobody caught.

A packaged build on Windows has no console: ``sys.stdout`` and ``sys.stderr`` are None, and a
traceback printed there is lost. So the application writes its log to the data folder's
``logs`` (``%LOCALAPPDATA%\\commandcenter\\logs``), an uncaught error becomes a crash report
file there, and a hard crash inside Qt leaves its stack in ``faulthandler.log``.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO

from commandcenter import __version__

LOG_NAME = "commandcenter.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

# Told where the report went, on the GUI thread (a message box); set by the GUI at start.
CrashNotice = Callable[[Path], None]

# A record with this attribute set goes to the log file only (a traceback the console is spared).
OFF_CONSOLE = "off_console"

_handlers: list[logging.Handler] = []
_fault_file: IO[str] | None = None


def quiet_streams() -> None:
    """Give a windowed build somewhere to write: libraries that print to a missing console
    would fail. Present streams keep going on characters their code page lacks (GBK)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


# What a database server repeats of the row a statement failed on ("Failing row contains
# (…, 张三, 330206…)", "Key (id_number)=(330206…) already exists"): people's names and ID
# numbers, which must not reach a log or a crash report. The driver's parameters are already
# hidden (hide_parameters); these come from the server's own message.
_ROW_DATA = re.compile(r"(Failing row contains |Key \([^)]*\)=)\(.*?\)(?=[ .]|$)", re.M)


def redacted(text: str) -> str:
    return _ROW_DATA.sub(r"\1(…已隐去…)", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redacted(super().format(record))


def configure_logging(logs: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to ``logs/commandcenter.log`` (five files of 2 MB, UTF-8) and warnings to the
    console when there is one. Returns the log file, or None when the folder is not writable
    (the application still runs; a read-only data folder is reported where it matters)."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    root.setLevel(level)
    if sys.stderr is not None and not any(
        isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
        for h in root.handlers
    ):
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        console.addFilter(_for_console)
        console.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        _add(root, console)
    try:
        logs.mkdir(parents=True, exist_ok=True)
        file = RotatingFileHandler(
            logs / LOG_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    file.setFormatter(RedactingFormatter(FORMAT))
    _add(root, file)
    return logs / LOG_NAME


def _for_console(record: logging.LogRecord) -> bool:
    return not getattr(record, OFF_CONSOLE, False)


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    root.addHandler(handler)
    _handlers.append(handler)


def write_crash_report(
    logs: Path, kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> Path | None:
    """A file of its own for one uncaught error: when, which version, where, the traceback."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    lines = [
        f"指挥中心工作台 {__version__} 未处理的错误 {datetime.now().isoformat(timespec='seconds')}",
        f"Python {sys.version.split()[0]} on {platform.platform()}"
        f"{' (packaged)' if getattr(sys, 'frozen', False) else ''}",
        f"thread {threading.current_thread().name}",
        "",
        *traceback.format_exception(kind, value, tb),
    ]
    try:
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / f"crash-{stamp}.txt"
        text = "\n".join(line.rstrip("\n") for line in lines) + "\n"
        path.write_text(redacted(text), encoding="utf-8")
    except OSError:
        return None
    return path


def report_unexpected(logs: Path, exc: BaseException) -> Path | None:
    """A command's unexpected error: the traceback to the log file and a crash report, not to
    the console, where the operator is told in one line where to find them."""
    logging.getLogger("commandcenter.crash").error(
        "unexpected error", exc_info=exc, extra={OFF_CONSOLE: True}
    )
    return write_crash_report(logs, type(exc), exc, exc.__traceback__)


def install_crash_hooks(logs: Path, notice: CrashNotice | None = None) -> None:
    """Uncaught errors, on any thread and in Qt's callbacks, go to a crash report and the log;
    *notice* tells the user where. Interpreter-level crashes go to ``faulthandler.log``."""
    global _fault_file
    log = logging.getLogger("commandcenter.crash")

    def report(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("uncaught error", exc_info=(kind, value, tb))
        path = write_crash_report(logs, kind, value, tb)
        if notice is not None and path is not None:
            try:
                notice(path)
            except Exception:  # the notice must never raise from inside the hook
                log.exception("crash notice failed")

    def thread_report(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = report
    threading.excepthook = thread_report
    try:
        logs.mkdir(parents=True, exist_ok=True)
        if _fault_file is None:
            _fault_file = open(logs / "faulthandler.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_fault_file)
    except OSError:
        pass
