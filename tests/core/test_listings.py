"""The lists behind the pages: search, sort and page in SQL; personal data masked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.exchange.listing_export import export_listing
from commandcenter.services import auth, overview
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.listings import INCIDENTS, OVERDUE_INCIDENTS
from commandcenter.services.listing import ListContext, Listing, _without_joins
from commandcenter.services.listing_registry import ALL_LISTINGS
from commandcenter.services.roster.listings import PEOPLE
from commandcenter.services.system_listings import USERS
from tests.conftest import AS_OF

NOW = timeutil.local_datetime(AS_OF, datetime.min.time().replace(hour=9))


def test_every_listing_answers(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        for listing in ALL_LISTINGS:
            if listing is USERS:
                continue  # admins only, tested below
            total = listing.count(s, leader, now=NOW)
            rows = listing.fetch(s, leader, limit=50, now=NOW)
            assert total > 0, listing.key
            assert len(rows) == min(50, total)
            assert all(len(r.values) == len(listing.columns) for r in rows)


def test_values_read_as_stored_convert_to_what_sqlalchemy_gives(demo_db: Database) -> None:
    """Pages read dates, times, codes and flags as stored and convert only the rows shown: the
    cells and marks must be those of rows SQLAlchemy converts itself, on either engine."""
    with demo_db.read() as s:
        admin = auth.actor_for(s, "admin")
        for listing in ALL_LISTINGS:
            rows = listing.fetch(s, admin, limit=60, now=NOW)
            ctx = ListContext.of(s, NOW)
            eager = s.execute(listing._rows_select(ctx, "", {}, None, None).limit(60)).all()
            assert [r.id for r in rows] == [e[0] for e in eager], listing.key
            for row, raw in zip(rows, eager, strict=True):
                assert row.values == listing._values(raw, ctx), listing.key
                extras = raw[1 + len(listing.columns) :]
                assert row.flag == (listing.flagger(extras, ctx) if listing.flagger else None)
                assert list(row._row()) == list(raw), listing.key


def test_paging_returns_each_row_once(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        total = INCIDENTS.count(s, leader)
        ids: list[int] = []
        for offset in range(0, total, 97):
            ids += [r.id for r in INCIDENTS.fetch(s, leader, offset=offset, limit=97)]
    assert len(ids) == total == len(set(ids))


def test_search_and_sort(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        rows = INCIDENTS.fetch(s, leader, "七星 占道", limit=500)
        assert rows and all("七星" in " ".join(r.values) for r in rows)
        by_deadline = INCIDENTS.fetch(s, leader, sort=7, descending=False, limit=200)
        deadlines = [r.values[7] for r in by_deadline if r.values[7]]
        assert deadlines == sorted(deadlines)


def test_personal_data_is_masked_in_lists(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        people = PEOPLE.fetch(s, leader, limit=20)
    for row in people:
        mobile, id_number = row.values[-2], row.values[-1]
        assert "****" in mobile
        assert "********" in id_number


def test_auxiliaries_are_marked_in_words(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        rows = PEOPLE.fetch(s, leader, limit=500)
    auxiliaries = [r for r in rows if r.flag == "auxiliary"]
    assert auxiliaries
    assert all("【协勤】" in r.values[4] for r in auxiliaries)


def test_overdue_list_agrees_with_the_count(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        count = overview.overdue_count(s, leader, NOW)
        rows = OVERDUE_INCIDENTS.fetch(s, leader, limit=10_000, now=NOW)
    assert count == len(rows) > 0
    assert all(r.flag == "overdue" for r in rows)


def test_option_counts_agree_with_the_filtered_lists(demo_db: Database, leader: Actor) -> None:
    """Each number shown beside a filter option is the count that option gives."""
    listing = INCIDENTS
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


def test_a_list_exports_as_filtered_and_searched(
    demo_db: Database, operator: Actor, tmp_path: Path
) -> None:
    listing = INCIDENTS
    status = next(f for f in listing.filters if f.key == "status")
    with demo_db.read() as s:
        dispatched = next(o for o in status.options(s) if o.label == "已派单")
        chosen = {"status": dispatched.condition}
        shown = listing.fetch(s, operator, "执法", limit=10_000, now=NOW, chosen=chosen)
        path = tmp_path / "list.xlsx"
        count = export_listing(
            s,
            operator,
            listing,
            path,
            text="执法",
            chosen=chosen,
            conditions=["状态：已派单"],
        )
    assert count == len(shown) > 0
    book = load_workbook(path)
    rows = list(book["事件队列"].iter_rows(values_only=True))
    headers = [c.header for c in listing.columns]
    assert list(rows[0]) == headers
    assert [r[0] for r in rows[1:]] == [r.values[0] for r in shown]
    assert all(r[5] == "已派单" for r in rows[1:])
    received = rows[1][1]
    assert isinstance(received, datetime)  # a date Excel can sort and filter, in Beijing time
    phone = headers.index("反映人电话")
    assert all(r[phone] is None or "****" in r[phone] for r in rows[1:])  # masked as listed
    about = dict(book["导出说明"].iter_rows(values_only=True))
    assert about["筛选条件"] == "状态：已派单" and about["搜索"] == "执法"
    assert about["条数"] == str(count) and "陈丽萍" in about["导出人"]


def test_the_queue_count_skips_joins_only_where_it_may(demo_db: Database, leader: Actor) -> None:
    """Counting over incidents alone gives the same number as over the joined source, and the
    joins stay wherever a condition needs them (the item filter reads the joined item's code;
    a search reaches grid and unit names through subqueries of its own)."""
    import dataclasses

    from sqlalchemy import func

    joined = dataclasses.replace(INCIDENTS, count_without_joins=False)
    with demo_db.read() as s:
        status = next(f for f in INCIDENTS.filters if f.key == "status")
        item = next(f for f in INCIDENTS.filters if f.key == "item")
        cases = [
            ("", {}),
            ("", {"status": next(o for o in status.options(s) if o.label == "处置中").condition}),
            ("", {"item": item.options(s)[0].condition}),
            ("执法一中队", {}),
            ("网格", {}),
        ]
        for text, chosen in cases:
            fast = INCIDENTS.count(s, leader, text, chosen=chosen)
            assert fast == joined.count(s, leader, text, chosen=chosen), (text, chosen)
        ctx = ListContext.of(s, None)
        base = INCIDENTS.id_expr.expression.table

        def counted(text: str, chosen: dict[str, object]) -> str:
            stmt = INCIDENTS._filtered(
                INCIDENTS.source().add_columns(func.count()),
                text,
                ctx,
                chosen,  # type: ignore[arg-type]
            )
            return str(_without_joins(stmt, base))

    assert "JOIN" not in counted("", cases[1][1]) and "JOIN" not in counted("执法一中队", {})
    assert "JOIN" in counted("", cases[2][1])


def _found(listing: Listing, s: object, actor: Actor, text: str) -> tuple[int, set[int]]:
    rows = listing.fetch(s, actor, text, limit=5000)  # type: ignore[arg-type]
    return listing.count(s, actor, text), {r.id for r in rows}  # type: ignore[arg-type]


def test_the_indexed_search_finds_exactly_what_like_finds(demo_db: Database, leader: Actor) -> None:
    """Through the search index (SQLite) or by reference (both), the queue finds the same rows
    as LIKE over every searched column, for words of one to five characters, ASCII in either
    case, punctuation, several words, and words that are nowhere."""
    import dataclasses
    import random

    from sqlalchemy import select

    from commandcenter.db.models import Incident

    plain = dataclasses.replace(INCIDENTS, search_word=None)
    with demo_db.read() as s:
        texts = [
            t
            for row in s.execute(
                select(Incident.number, Incident.title, Incident.address, Incident.channel_ref)
            ).all()
            for t in row
            if t
        ]
        pick = random.Random(5)
        words = ["占道", "占", "执法一中队", "网格", "路", "号", "不存在的词", "xyz", "占道 网格"]
        for _ in range(60):
            text = pick.choice(texts)
            start = pick.randrange(len(text))
            words.append(text[start : start + pick.randint(1, 5)].strip() or "路")
        words += [w.upper() for w in words if w.isascii()] + [texts[0][:6], "A-", "-0"]
        for word in words:
            assert _found(INCIDENTS, s, leader, word) == _found(plain, s, leader, word), word


def test_the_search_index_follows_a_corrected_registration(
    demo_db: Database, operator: Actor
) -> None:
    import dataclasses

    from sqlalchemy import select

    from commandcenter.db.models import Incident, IncidentStatus
    from commandcenter.services.incidents import intake

    with demo_db.write() as s:
        incident_id = s.scalars(
            select(Incident.id).where(Incident.status == IncidentStatus.REGISTERED)
        ).first()
        assert incident_id is not None
        form, version = intake.registration_form(s, operator, incident_id)
        old_title = form.title
        form = dataclasses.replace(form, title="共享单车堆放阻塞盲道")
        intake.update_registration(s, operator, incident_id, form, version)
    with demo_db.read() as s:
        assert incident_id in _found(INCIDENTS, s, operator, "阻塞盲道")[1]
        assert incident_id not in _found(INCIDENTS, s, operator, old_title)[1]


def test_wildcards_typed_are_characters_not_wildcards(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        admin = auth.actor_for(s, "admin")
        for listing in ALL_LISTINGS:
            who = admin if listing is USERS else leader
            for typed in ("%", "_", "\\", "%%"):
                assert listing.count(s, who, typed, now=NOW) == 0, (listing.key, typed)
