"""The centre's own settings as the 系统设置 page edits them: one form, one save."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from commandcenter.services import draws, settings
from commandcenter.services.actor import Actor
from commandcenter.services.followups import transfer_results
from commandcenter.services.incidents import deadlines
from commandcenter.services.permissions import Action, require


@dataclass(frozen=True)
class CentreForm:
    street_name: str
    doc_prefix: str
    warning_percent: int  # share of an incident's time used when it turns yellow
    yearly_cap: int  # how often a year one entity may be inspected, drawn or chosen by hand
    idle_lock_minutes: int
    transfer_receipt_days: int = 5  # working days before a transfer letter's receipt is late


def centre_form(session: Session, actor: Actor) -> CentreForm:
    require(actor, Action.VIEW)
    stored = settings.load(session)
    return CentreForm(
        stored.street_name,
        stored.doc_prefix,
        stored.deadline_warning_percent,
        draws.yearly_cap(session),
        stored.idle_lock_minutes,
        transfer_results.receipt_days(session),
    )


def save_centre(session: Session, actor: Actor, form: CentreForm) -> None:
    """Save what changed. A new warning share moves every open incident's warning moment, so it
    is only set when it differs."""
    require(actor, Action.EDIT_SETTINGS)
    settings.update_centre(session, actor, form.street_name, form.doc_prefix)
    stored = settings.load(session)
    if form.warning_percent != stored.deadline_warning_percent:
        deadlines.set_warning_percent(session, actor, form.warning_percent)
    if form.yearly_cap != draws.yearly_cap(session):
        draws.set_yearly_cap(session, actor, form.yearly_cap)
    if form.idle_lock_minutes != stored.idle_lock_minutes:
        settings.set_idle_lock_minutes(session, actor, form.idle_lock_minutes)
    if form.transfer_receipt_days != transfer_results.receipt_days(session):
        transfer_results.set_receipt_days(session, actor, form.transfer_receipt_days)
