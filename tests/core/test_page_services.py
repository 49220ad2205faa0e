"""The reads and saves the windows make are service functions that check who asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.db.models import AssessmentScheme, Incident, Liaison, Person, User
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, centre, liaisons, organisation, settings
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import schemes
from commandcenter.services.incidents import detail, intake
from commandcenter.services.roster import people


def test_the_centre_form_saves_what_changed_and_only_an_admin_saves(
    demo_db: Database, operator: Actor
) -> None:
    with demo_db.read() as session:
        admin = auth.actor_for(session, "admin")
        form = centre.centre_form(session, operator)  # everyone may read it
    assert form.street_name and form.yearly_cap >= 1
    with pytest.raises(PermissionDenied), demo_db.write() as session:
        centre.save_centre(session, operator, form)
    changed = centre.CentreForm(
        "梅山街道", "梅执", form.warning_percent + 5, form.yearly_cap + 1, form.idle_lock_minutes
    )
    with demo_db.write() as session:
        centre.save_centre(session, admin, changed)
    with demo_db.read() as session:
        assert centre.centre_form(session, operator) == changed
    bad = centre.CentreForm("梅山街道", "梅执", 200, 1, form.idle_lock_minutes)
    with pytest.raises(ValidationError), demo_db.write() as session:
        centre.save_centre(session, admin, bad)
    with demo_db.read() as session:  # refused whole: the street saved first is rolled back too
        assert centre.centre_form(session, operator) == changed


def test_the_first_start_sets_up_the_centre_and_signs_its_admin_in(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "new.db"), create=True)
    try:
        admin = settings.set_up_centre(
            db,
            street_name="梅山街道",
            doc_prefix="梅执",
            admin_username="chief",
            admin_display_name="管理员",
            admin_password="正确的密码-123",
        )
        assert admin.username == "chief" and admin.user_id is not None
        assert settings.before_sign_in(db).street_name == "梅山街道"
        with pytest.raises(ValidationError, match="已完成首次设置"):
            settings.set_up_centre(
                db,
                street_name="别的街道",
                doc_prefix="别执",
                admin_username="other",
                admin_display_name="另一个",
                admin_password="正确的密码-123",
            )
    finally:
        db.dispose()


def test_edit_forms_need_the_edit_permission(demo_db: Database, operator: Actor) -> None:
    with demo_db.read() as session:
        person_id = session.scalars(select(Person.id)).first()
        liaison_id = session.scalars(select(Liaison.id)).first()
        assert person_id is not None and liaison_id is not None
        with pytest.raises(PermissionDenied):
            people.person_form(session, operator, person_id)  # the roster is the leaders'
        assert people.person_name(session, operator, person_id)
        form, _version = liaisons.liaison_form(session, operator, liaison_id)
        who, mobile, _office = liaisons.contact(session, operator, liaison_id)
    assert who.endswith(form.name) and mobile == form.mobile


def test_reads_for_the_windows_name_who_may_make_them(demo_db: Database, operator: Actor) -> None:
    with demo_db.read() as session:
        user_id = session.scalars(select(User.id)).first()
        scheme_id = session.scalars(select(AssessmentScheme.id)).first()
        number = session.scalars(select(Incident.number)).first()
        assert user_id is not None and scheme_id is not None and number is not None
        with pytest.raises(PermissionDenied):
            auth.account(session, operator, user_id)  # accounts are the admin's
        assert schemes.view(session, operator, scheme_id).indicators
        assert schemes.scheme_years(session, operator)
        incident_id = detail.find_incident(session, operator, number)
        assert incident_id is not None
        assert intake.registration_form(session, operator, incident_id)[0].title
        assert liaisons.departments(session, operator)
        assert organisation.grid_worker_choices(session, operator)
        no_role = Actor(user_id=None, username="nobody", display_name="无角色", role=None)
        with pytest.raises(PermissionDenied):
            liaisons.departments(session, no_role)
