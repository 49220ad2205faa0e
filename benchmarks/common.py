"""What every benchmark needs: timing, the databases it measures on, and the result table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"  # generated databases and files, kept between runs (git-ignored)


@dataclass
class Figure:
    """One line of the table: ours against the stack's own limit, and the target ratio."""

    number: str
    name: str
    ours_ms: float
    limit_ms: float | None  # None where the stack offers no like-for-like limit
    target: float
    absolute_ms: float | None = None  # an absolute ceiling as well, where the target sets one
    unit: str = "ms"

    @property
    def ratio(self) -> float:
        if self.limit_ms is None:
            return float("nan")
        return self.ours_ms / self.limit_ms if self.limit_ms else float("inf")

    @property
    def met(self) -> bool:
        within = self.limit_ms is None or self.ratio <= self.target
        if self.absolute_ms is not None:
            within = within and self.ours_ms <= self.absolute_ms
        return within


def median_ms(work: Callable[[], object], runs: int = 7, warm: int = 1) -> float:
    """The median wall time of *work* in milliseconds, after *warm* unmeasured runs."""
    for _ in range(warm):
        work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run_python(code_or_args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time in ms of a fresh interpreter running *code_or_args* (a whole process start)."""
    full = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    start = time.perf_counter()
    subprocess.run([sys.executable, *code_or_args], env=full, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def demo_database(name: str, incidents: int, *, full_scale: bool = False) -> Path:
    """A demo database of *incidents* incidents in the cache, generated once (the first run at
    full scale takes a while and says so). With *full_scale*, the rest of the street grows to
    the target scale as well: units, people, entities, joint operations, past assessments."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}.db"
    if not path.exists():
        print(f"生成基准数据库 {path.name}（事件 {incidents}）…", flush=True)
        partial = path.with_suffix(".partial.db")
        for leftover in CACHE.glob(f"{partial.name}*"):
            leftover.unlink()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "commandcenter",
                "--home",
                str(CACHE / "home"),
                "--db",
                f"sqlite:///{partial}",
                "demo",
                "--incidents",
                str(incidents),
                "--seed",
                "2026",
                "--as-of",
                "2026-11-20",
                *(["--full-scale"] if full_scale else []),
            ],
            check=True,
        )
        partial.rename(path)
    return path


def print_table(figures: list[Figure]) -> None:
    print()
    print(f"{'#':<3}{'figure':<40}{'ours':>11}{'limit':>11}{'ratio':>8}  {'target':<19}met")
    for f in figures:
        target = "" if f.target == float("inf") else f"≤{f.target:.1f}x"
        if f.absolute_ms is not None:
            target += (" and " if target else "") + f"≤{f.absolute_ms:.0f} {f.unit}"
        limit = f"{'—':>8} {'':<2}" if f.limit_ms is None else f"{f.limit_ms:>8.1f} {f.unit:<2}"
        ratio = f"{'—':>8}" if f.limit_ms is None else f"{f.ratio:>8.2f}"
        print(
            f"{f.number:<3}{f.name:<40}{f.ours_ms:>8.1f} {f.unit:<2}{limit}"
            f"{ratio}  {target:<19}{_verdict(f)}"
        )


def _verdict(f: Figure) -> str:
    if f.limit_ms is None and f.absolute_ms is None:
        return "—"  # a ratio target with no limit measured on this engine
    return "yes" if f.met else "NO"
