"""The reads behind the workbooks: exports take their rows, and imports find the records a row
names, through services, which check the permission at the call, before a file is begun."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.engine import Database
from commandcenter.db.models import (
    Certificate,
    Entity,
    Grid,
    Incident,
    Liaison,
    Person,
    Unit,
)
from commandcenter.errors import PermissionDenied
from commandcenter.exchange.listing_export import export_listing
from commandcenter.services import catalogue, entities, liaisons, organisation, work_calendar
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import export_rows
from commandcenter.services.incidents.listings import INCIDENTS
from commandcenter.services.roster import certificates, people

GUEST = Actor(None, "guest", "访客", None)  # no role: refused every action

EXPORT_READS: dict[str, Callable[[Session, Actor], Any]] = {
    "units": organisation.units_for_export,
    "people": people.people_for_export,
    "liaisons": liaisons.entries_for_export,
    "catalogue": catalogue.version_for_export,
    "entities": entities.entities_for_export,
    "calendar": work_calendar.days_for_export,
    # Called, not iterated: the refusal comes before a workbook is begun.
    "incidents": export_rows.incident_rows,
    "a list": lambda s, a: INCIDENTS.stream(s, a),
}


@pytest.mark.parametrize("name", sorted(EXPORT_READS))
def test_an_export_read_refuses_at_the_call(db: Database, name: str) -> None:
    with pytest.raises(PermissionDenied), db.read() as s:
        EXPORT_READS[name](s, GUEST)


def test_the_roster_export_needs_the_right_to_see_personal_data(
    demo_db: Database, operator: Actor, leader: Actor
) -> None:
    with demo_db.read() as s:
        assert len(people.people_for_export(s, leader)) == len(s.scalars(select(Person)).all())
    with pytest.raises(PermissionDenied, match="查看完整身份证号和电话"), demo_db.read() as s:
        people.people_for_export(s, operator)


def test_a_refused_list_export_leaves_no_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    with pytest.raises(PermissionDenied), db.read() as s:
        export_listing(s, GUEST, INCIDENTS, path)
    assert not path.exists()


def test_units_come_after_their_parents(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        units = organisation.units_for_export(s, leader)
        assert len(units) == len(s.scalars(select(Unit)).all())
        seen: set[int] = set()
        for unit in units:
            assert unit.parent_id is None or unit.parent_id in seen, unit.name
            seen.add(unit.id)


def test_incident_rows_mask_the_reporter_unless_allowed(
    demo_db: Database, operator: Actor, leader: Actor
) -> None:
    with demo_db.read() as s:
        phones = {
            i.number: i.reporter_phone
            for i in s.scalars(select(Incident).where(Incident.reporter_phone.is_not(None)))
        }
        assert phones
        masked = {
            r.incident.number: r.reporter_phone for r in export_rows.incident_rows(s, operator)
        }
        full = {r.incident.number: r.reporter_phone for r in export_rows.incident_rows(s, leader)}
    assert masked.keys() == full.keys() >= phones.keys()
    for number, phone in phones.items():
        assert full[number] == phone
        assert masked[number] != phone and masked[number].endswith(phone[-4:])


def test_import_lookups_find_what_a_row_names(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        unit = s.scalars(select(Unit).order_by(Unit.id)).first()
        assert unit is not None
        assert organisation.unit_named(s, unit.name) is unit
        assert organisation.unit_named(s, "无此单位") is None
        assert unit in organisation.units_short_named(s, unit.short_name)

        grid = s.scalars(select(Grid)).first()
        assert grid is not None
        ids = organisation.grid_ids(s)
        assert ids[grid.name] == ids[grid.code] == grid.id

        cert = s.scalars(select(Certificate)).first()
        assert cert is not None
        typed = " " + cert.number.lower()  # as typed into a sheet
        assert certificates.certificate_numbered(s, typed) is cert
        person = cert.person
        assert people.person_in_unit(s, f" {person.name} ", person.unit_id) is person

        liaison = s.scalars(select(Liaison)).first()
        assert liaison is not None
        assert liaisons.liaison_in_slot(s, liaison.department_id, liaison.role) is liaison

        coded = s.scalars(select(Entity).where(Entity.uscc.is_not(None))).first()
        assert coded is not None and coded.uscc
        assert entities.entity_with_code(s, coded.uscc.lower()) is coded
        assert entities.entity_with_code(s, "无此代码") is None
        assert entities.entity_without_code(s, coded.name, coded.address) is None  # it has one
    with demo_db.write() as s:
        shop = entities.save_entity(
            s, leader, entities.EntityForm(name="无照小店", address="东街1号")
        )
    with demo_db.read() as s:
        found = entities.entity_without_code(s, "无照小店 ", " 东街1号")
        assert found is not None and found.id == shop.id
        assert entities.entity_without_code(s, "无照小店", "西街2号") is None
