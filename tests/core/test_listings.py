"""The lists behind the pages: search, sort and page in SQL; personal data masked."""

from __future__ import annotations

from datetime import datetime

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.services import listings, overview
from commandcenter.services.actor import Actor
from tests.conftest import AS_OF

NOW = timeutil.local_datetime(AS_OF, datetime.min.time().replace(hour=9))


def test_every_listing_answers(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        for listing in listings.ALL_LISTINGS:
            if listing is listings.USERS:
                continue  # admins only, tested below
            total = listing.count(s, leader, now=NOW)
            rows = listing.fetch(s, leader, limit=50, now=NOW)
            assert total > 0, listing.key
            assert len(rows) == min(50, total)
            assert all(len(r.values) == len(listing.columns) for r in rows)


def test_paging_returns_each_row_once(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        total = listings.INCIDENTS.count(s, leader)
        ids: list[int] = []
        for offset in range(0, total, 97):
            ids += [r.id for r in listings.INCIDENTS.fetch(s, leader, offset=offset, limit=97)]
    assert len(ids) == total == len(set(ids))


def test_search_and_sort(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        rows = listings.INCIDENTS.fetch(s, leader, "七星 占道", limit=500)
        assert rows and all("七星" in " ".join(r.values) for r in rows)
        by_deadline = listings.INCIDENTS.fetch(s, leader, sort=7, descending=False, limit=200)
        deadlines = [r.values[7] for r in by_deadline if r.values[7]]
        assert deadlines == sorted(deadlines)


def test_personal_data_is_masked_in_lists(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        people = listings.PEOPLE.fetch(s, leader, limit=20)
    for row in people:
        mobile, id_number = row.values[-2], row.values[-1]
        assert "****" in mobile
        assert "********" in id_number


def test_auxiliaries_are_marked_in_words(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        rows = listings.PEOPLE.fetch(s, leader, limit=500)
    auxiliaries = [r for r in rows if r.flag == "auxiliary"]
    assert auxiliaries
    assert all("【协勤】" in r.values[4] for r in auxiliaries)


def test_overdue_list_agrees_with_the_count(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        count = overview.overdue_count(s, leader, NOW)
        rows = listings.OVERDUE_INCIDENTS.fetch(s, leader, limit=10_000, now=NOW)
    assert count == len(rows) > 0
    assert all(r.flag == "overdue" for r in rows)


def test_option_counts_agree_with_the_filtered_lists(demo_db: Database, leader: Actor) -> None:
    """Each number shown beside a filter option is the count that option gives."""
    listing = listings.INCIDENTS
    other = {"channel": next(o for o in listing.filters if o.key == "channel").options}
    with demo_db.read() as s:
        hotline = other["channel"](s)[0].condition
        for spec in listing.filters:
            assert spec.group is not None, spec.key
            for chosen in ({}, {"channel": hotline} if spec.key != "channel" else {}):
                counts = listing.option_counts(s, leader, spec.key, now=NOW, chosen=chosen)
                for option in spec.options(s)[:6]:
                    expected = listing.count(
                        s, leader, now=NOW, chosen={**chosen, spec.key: option.condition}
                    )
                    assert counts.get(option.value, 0) == expected, (spec.key, option.label)
