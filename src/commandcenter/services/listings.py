"""The lists the pages show: the machinery is :mod:`.listing`, each list lives beside its domain's
services, and :mod:`.listing_registry` gathers them all."""

# Transitional: the UI's imports move to the modules above.
from commandcenter.services.catalogue_listings import CATALOGUE
from commandcenter.services.entity_listings import ENTITIES
from commandcenter.services.incidents.listings import (
    AWAITING_APPROVAL,
    DUE_TODAY,
    INCIDENTS,
    OVERDUE_INCIDENTS,
    RECEIVED_TODAY,
    WHISTLE_WAITING,
    received_between,
)
from commandcenter.services.liaison_listings import LIAISONS
from commandcenter.services.listing import Condition, FilterOption, ListFilter, Listing, ListRow
from commandcenter.services.meeting_listings import AGREED_ITEMS, MEETINGS, OVERDUE_AGREED_ITEMS
from commandcenter.services.plan_listings import PLANS
from commandcenter.services.roster.listings import PEOPLE
from commandcenter.services.system_listings import AUDIT_LOG, USERS

__all__ = [
    "AGREED_ITEMS",
    "AUDIT_LOG",
    "AWAITING_APPROVAL",
    "CATALOGUE",
    "DUE_TODAY",
    "ENTITIES",
    "INCIDENTS",
    "LIAISONS",
    "MEETINGS",
    "OVERDUE_AGREED_ITEMS",
    "OVERDUE_INCIDENTS",
    "PEOPLE",
    "PLANS",
    "RECEIVED_TODAY",
    "USERS",
    "WHISTLE_WAITING",
    "Condition",
    "FilterOption",
    "ListFilter",
    "ListRow",
    "Listing",
    "received_between",
]
