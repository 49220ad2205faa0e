"""Every list the program shows, from each domain's listings module: what checks that all lists
read alike on both engines, and that every one opens on screen, go through."""

from __future__ import annotations

from commandcenter.services.assessment.listings import ASSESSMENT_SHEETS
from commandcenter.services.catalogue_listings import CATALOGUE
from commandcenter.services.entity_listings import ENTITIES
from commandcenter.services.followups.listings import (
    ESCALATION_DECISIONS,
    INTERVIEW_WAITING,
    INTERVIEWS,
    RECEIPT_LATE,
    SUPERVISION_WAITING,
    SUPERVISIONS,
    TRANSFERS,
)
from commandcenter.services.followups.waiting import (
    ACCEPT_OVERDUE,
    REFERRED_WAITING,
    RETURNED_WAITING,
    REVIEW_CORRECTION,
)
from commandcenter.services.incidents.listings import (
    AWAITING_APPROVAL,
    DUE_TODAY,
    INCIDENTS,
    OVERDUE_INCIDENTS,
    RECEIVED_TODAY,
    RECEIVED_YESTERDAY,
    WHISTLE_WAITING,
)
from commandcenter.services.liaison_listings import LIAISONS
from commandcenter.services.listing import Listing
from commandcenter.services.meeting_listings import AGREED_ITEMS, MEETINGS, OVERDUE_AGREED_ITEMS
from commandcenter.services.plan_listings import PLANS
from commandcenter.services.roster.listings import PEOPLE
from commandcenter.services.system_listings import AUDIT_LOG, USERS

ALL_LISTINGS: tuple[Listing, ...] = (
    INCIDENTS,
    OVERDUE_INCIDENTS,
    RECEIVED_TODAY,
    DUE_TODAY,
    AWAITING_APPROVAL,
    WHISTLE_WAITING,
    PLANS,
    ENTITIES,
    PEOPLE,
    LIAISONS,
    CATALOGUE,
    ASSESSMENT_SHEETS,
    MEETINGS,
    AGREED_ITEMS,
    OVERDUE_AGREED_ITEMS,
    RECEIVED_YESTERDAY,
    USERS,
    AUDIT_LOG,
    SUPERVISIONS,
    INTERVIEWS,
    TRANSFERS,
    ESCALATION_DECISIONS,
    RETURNED_WAITING,
    ACCEPT_OVERDUE,
    RECEIPT_LATE,
    SUPERVISION_WAITING,
    INTERVIEW_WAITING,
    REFERRED_WAITING,
    REVIEW_CORRECTION,
)
