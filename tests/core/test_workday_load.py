"""The working-day load test (benchmarks/workday_load.py): its checks on hand-built registers,
and a short run of two workstations on each backend that must come out clean.

No timings are asserted: the run prints them, the test checks only what must hold at any speed.
"""

from __future__ import annotations

import pytest

from benchmarks import workday_load
from benchmarks.workday_load import check_register, lost_numbers, percentile
from commandcenter.db.engine import Database

# --- the checks, on registers small enough to count by hand -----------------------------------


def test_a_register_that_runs_on_from_its_top_is_clean() -> None:
    before = [(1, "2026-000001"), (2, "2026-000002")]
    after = [*before, (3, "2026-000003"), (4, "2026-000004")]
    check = check_register("事件 2026", before, after, ["2026-000004", "2026-000003"])
    assert (check.issued, check.duplicates, check.missing, check.unreported) == (2, 0, 0, 0)
    assert check.clean


def test_a_skipped_place_and_a_repeated_one_are_counted() -> None:
    before = [(1, "A1")]
    # 2 skipped; 3 issued twice under two numbers (a clash the unique number would not show)
    after = [*before, (3, "A3"), (3, "A3bis"), (4, "A4")]
    check = check_register("r", before, after, ["A3", "A3bis", "A4"])
    assert (check.issued, check.duplicates, check.missing, check.unreported) == (3, 1, 1, 0)
    assert not check.clean


def test_a_number_nobody_was_told_of_is_unreported() -> None:
    check = check_register("r", [], [(1, "A1"), (2, "A2")], ["A1"])
    assert (check.missing, check.unreported) == (0, 1)
    assert not check.clean


def test_a_number_told_but_not_stored_or_told_twice_is_lost() -> None:
    before = {"r": [(1, "A1")]}
    after = {"r": [(1, "A1"), (2, "A2")], "s": [(1, "B1")]}
    assert lost_numbers(["A2", "B1"], before, after) == 0
    assert lost_numbers(["A2", "B1", "B2"], before, after) == 1  # B2 never stored
    assert lost_numbers(["A2", "A2", "B1"], before, after) == 1  # A2 told twice
    assert lost_numbers(["A1"], before, after) == 1  # A1 was there before the run


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]  # 1 … 20
    assert percentile(values, 50) == 10.0
    assert percentile(values, 95) == 19.0
    assert percentile(values, 100) == 20.0
    assert percentile([7.0], 95) == 7.0


# --- a short day on each backend --------------------------------------------------------------


@pytest.mark.slow
def test_two_workstations_for_a_few_seconds_leave_a_clean_database(demo_db: Database) -> None:
    url = demo_db.engine.url.render_as_string(hide_password=False)
    report = workday_load.run(url, clients=2, seconds=8, seed=7, think=0.02)
    lines = "\n".join(workday_load.report_lines(report))
    assert report.failures == [], lines
    assert [o.internal for o in report.outcomes] == [[], []]
    done = report.done()
    assert done["sign_in"] == 2
    assert done["register"] > 0 and done["note"] > 0, lines
    # Every conflict was raised as ConflictError: the only kinds of error are the known ones.
    kinds = {kind for _op, kind in report.errors()}
    assert kinds <= {"ConflictError", workday_load.PREEMPTED, "ValidationError"}, lines
    # The shared person: every save reported moved the version once and was audited once.
    assert report.roster_saves == report.roster_versions == report.roster_audits
    assert report.finding_count == 0
    issued = sum(check.issued for check in report.registers)
    assert issued >= done["register"]
