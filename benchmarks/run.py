"""Run the benchmark suite and print the table: `python -m benchmarks.run [--only N,...]`.

The full database is made once by `commandcenter demo` at the target scale and kept in .bench/;
so is the empty one. On PostgreSQL, figure 7 runs on a small demo street made on the test server
(COMMANDCENTER_TEST_PG_URL), or with `--pg-database URL` on an existing database, e.g. the full
street copied from its SQLite file (a few minutes, against 25–45 minutes of generation):

    python -m benchmarks.pg_copy .bench/full-scale-300000.db postgresql://…/cc_full --create
    python -m benchmarks.run --only 2,7 --pg-database postgresql+psycopg://…/cc_full

Figure 7 clones that database for each run (CREATE DATABASE … TEMPLATE: nobody else may be
connected to it meanwhile) and drops the clone afterwards; figure 2 only reads it.

Every figure is a ratio to the limit the stack allows, measured in the same run, because
absolute times drift on shared machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import gui_latency, memory, pdf, queue, roster_import, startup, year_end
from benchmarks.common import CACHE, Figure, demo_database, print_table

FULL_INCIDENTS = 300_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="figures to run, e.g. 2,3")
    parser.add_argument(
        "--incidents", type=int, default=FULL_INCIDENTS, help="incidents in the full database"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="the street at --incidents without the full-scale reference data (quick, for CI)",
    )
    parser.add_argument(
        "--database", type=Path, help="measure on this SQLite file (a copy is used) instead"
    )
    parser.add_argument("--gui-runs", type=int, default=3, help="figure 7: runs of the app")
    parser.add_argument(
        "--gui-year-end", action="store_true", help="figure 7: the year-end export as well"
    )
    parser.add_argument(
        "--pg-incidents",
        type=int,
        default=2000,
        help="figure 7 on PostgreSQL (COMMANDCENTER_TEST_PG_URL): incidents of its demo street",
    )
    parser.add_argument(
        "--pg-database",
        help="figures 2 and 7 on this PostgreSQL database (postgresql+psycopg://…; figure 7 "
        "clones it for each run) instead of a demo street on COMMANDCENTER_TEST_PG_URL; "
        "load one from a SQLite file with `python -m benchmarks.pg_copy`",
    )
    parser.add_argument(
        "--engines",
        default="sqlite,postgresql",
        help="figures 2 and 7: the engines to run on (sqlite, postgresql or both)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 whatever the ratios (CI prints them)"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    print(
        f"{datetime.now():%Y-%m-%d %H:%M}  {platform.platform()}  Python {sys.version.split()[0]}"
    )
    print(f"CPU {os.cpu_count()} cores; full database: {args.incidents:,} incidents")

    # Each database is made on first use only: a run of figure 6 alone needs no full street.
    def empty() -> Path:
        return demo_database("empty", 0)

    def full() -> Path:
        if args.database is not None:
            return Path(args.database)
        if args.small:
            return demo_database(f"small-{args.incidents}", args.incidents)
        return demo_database(f"full-scale-{args.incidents}", args.incidents, full_scale=True)

    figures: list[Figure] = []
    if "1" in only:
        figures.append(startup.measure(empty(), "empty database", 1.3))
        figures.append(startup.measure(full(), "full database", 1.5))
    engines = set(args.engines.split(","))
    if "2" in only:
        if "sqlite" in engines:
            figures += queue.measure(full())
        if "postgresql" in engines and args.pg_database:
            figures += queue.measure(args.pg_database, "PostgreSQL")
    if "3" in only:
        figures.append(pdf.measure(full()))
    if "4" in only:
        figures += year_end.measure(full(), CACHE / "home")
    if "5" in only:
        figures.append(memory.measure(full(), CACHE / "home"))
    if "6" in only:
        figures.append(roster_import.measure(empty()))
    if "7" in only:
        if "sqlite" in engines:
            path = full()
            figures += gui_latency.measure(
                path, f"sqlite:///{path}", "SQLite", args.gui_runs, args.gui_year_end
            )
        server = os.environ.get("COMMANDCENTER_TEST_PG_URL")
        if "postgresql" in engines and args.pg_database:
            figures += gui_latency.measure(
                None, args.pg_database, "PostgreSQL", args.gui_runs, args.gui_year_end, clone=True
            )
        elif "postgresql" in engines and server:
            url = gui_latency.postgres_demo(server, args.pg_incidents)
            figures += gui_latency.measure(
                None, url, "PostgreSQL", args.gui_runs, args.gui_year_end
            )
    print_table(figures)
    return 0 if args.report_only or all(f.met for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
