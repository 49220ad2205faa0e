"""The audit log reads in words: Chinese action names, people by name, filters a leader uses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from commandcenter.db.engine import Database
from commandcenter.services.actor import Actor
from commandcenter.services.audit_actions import ACTION_NAMES, action_name
from commandcenter.services.system_listings import AUDIT_LOG
from tests.core.test_listings import NOW

SRC = Path(__file__).parents[2] / "src" / "commandcenter"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# The calls that append to the log, and their helpers that take the action first.
RECORDING = {"record", "_record", "Entry", "_audit"}


def _recorded_codes() -> dict[str, str]:
    """Every action code written as a literal where the log is appended to, and where."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in RECORDING:
                continue
            for arg in node.args:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if literal and CODE.match(arg.value):
                    found[arg.value] = str(path.relative_to(SRC))
    return found


def test_every_action_the_application_records_has_a_name() -> None:
    codes = _recorded_codes()
    assert len(codes) > 30  # the scan finds the calls
    unnamed = {code: where for code, where in codes.items() if code not in ACTION_NAMES}
    assert not unnamed, unnamed
    assert all(not CODE.match(name) for name in ACTION_NAMES.values())


def test_codes_made_from_steps_and_statuses_are_named() -> None:
    assert action_name("incident.dispatched") == "事件派单"
    assert action_name("plan.approved") == "行动方案已批准"
    assert action_name("记录会议") == "记录会议"  # recorded in words already


def test_the_log_reads_in_words_and_filters_by_person_and_kind(
    demo_db: Database, leader: Actor
) -> None:
    operation = [c.header for c in AUDIT_LOG.columns].index("操作")
    who = [c.header for c in AUDIT_LOG.columns].index("操作人")
    login = [c.header for c in AUDIT_LOG.columns].index("登录名")
    filters = {f.key: f for f in AUDIT_LOG.filters}
    with demo_db.read() as s:
        rows = AUDIT_LOG.fetch(s, leader, limit=100_000, now=NOW)
        users = filters["user"].options(s)
        areas = {o.label: o.condition for o in filters["area"].options(s)}
        someone = next(
            o for o in users if AUDIT_LOG.count(s, leader, now=NOW, chosen={"user": o.condition})
        )
        theirs = AUDIT_LOG.fetch(
            s, leader, limit=100_000, now=NOW, chosen={"user": someone.condition}
        )
        incidents = AUDIT_LOG.fetch(
            s, leader, limit=100_000, now=NOW, chosen={"area": areas["事件"]}
        )
        others = AUDIT_LOG.fetch(s, leader, limit=100_000, now=NOW, chosen={"area": areas["其他"]})
        found = AUDIT_LOG.fetch(s, leader, "事件派单", limit=100_000, now=NOW)
    assert rows and not [r.values[operation] for r in rows if CODE.match(str(r.values[operation]))]
    # A person is named, with the login beside it.
    assert all(r.values[who] != r.values[login] for r in rows if r.values[login] != "system")
    assert theirs and {f"{r.values[who]}（{r.values[login]}）" for r in theirs} == {someone.label}
    assert incidents and all(str(r.values[operation]).startswith("事件") for r in incidents)
    assert len(incidents) + len(others) < len(rows)  # the other kinds are neither
    assert found and all(r.values[operation] == "事件派单" for r in found)
