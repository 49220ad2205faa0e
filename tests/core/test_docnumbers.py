"""The document-number register."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commandcenter.db.engine import Database
from commandcenter.db.models import DocType
from commandcenter.errors import PermissionDenied
from commandcenter.services import docnumbers
from commandcenter.services.actor import Actor


def test_numbers_run_per_type_and_year(db: Database, admin: Actor) -> None:
    with db.write() as s:
        first = docnumbers.issue(s, admin, DocType.DISPATCH)
        second = docnumbers.issue(s, admin, DocType.DISPATCH)
        other = docnumbers.issue(s, admin, DocType.SUPERVISION)
    year = first.year
    assert first.number == f"梅执指派〔{year}〕1号"
    assert second.number == f"梅执指派〔{year}〕2号"
    assert other.number == f"梅执督〔{year}〕1号"


def test_the_year_turns_at_midnight_beijing_time(db: Database, admin: Actor) -> None:
    with db.write() as s:
        december = docnumbers.issue(
            s, admin, DocType.PLAN, at=datetime(2026, 12, 31, 15, 59, tzinfo=UTC)
        )
        january = docnumbers.issue(
            s, admin, DocType.PLAN, at=datetime(2026, 12, 31, 16, 1, tzinfo=UTC)
        )
    assert december.number == "梅执案〔2026〕1号"
    assert january.number == "梅执案〔2027〕1号"


def test_a_number_needs_a_signed_in_user(db: Database) -> None:
    from commandcenter.services.actor import Actor as A

    with pytest.raises(PermissionDenied), db.write() as s:
        docnumbers.issue(s, A(None, "x", "访客", None), DocType.DISPATCH)
