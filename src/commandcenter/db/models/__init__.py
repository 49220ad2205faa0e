"""The whole data model. Import from here: ``from commandcenter.db.models import Incident``."""

from commandcenter.db.models.assessment import (
    AssessmentScheme,
    AssessmentSheet,
    GradeBand,
    Indicator,
    PersonnelMotion,
    Score,
)
from commandcenter.db.models.base import Base, Labelled
from commandcenter.db.models.catalogue import (
    CalendarDay,
    CalendarYear,
    CatalogueItem,
    CatalogueVersion,
)
from commandcenter.db.models.entities import Entity, Recusal
from commandcenter.db.models.followups import EscalationDecision, Interview
from commandcenter.db.models.incidents import (
    Attachment,
    Extension,
    Incident,
    IncidentAssignment,
    IncidentEvent,
    IncidentReturn,
    IncidentUnit,
    Supervision,
    Transfer,
    WhistleCall,
)
from commandcenter.db.models.joint_operations import (
    Draw,
    Plan,
    PlanOfficer,
    PlanTarget,
    plan_departments,
)
from commandcenter.db.models.meetings import AgreedItem, AgreedItemReport, Meeting
from commandcenter.db.models.org import Establishment, Grid, Unit
from commandcenter.db.models.people import (
    Certificate,
    CertificateEvent,
    Liaison,
    Person,
    PersonPosting,
    TrainingCourse,
    training_attendance,
)
from commandcenter.db.models.system import AuditRecord, DocumentNumber, Setting, User
from commandcenter.enums import *  # noqa: F403 - the enums belong to the model

__all__ = [
    "AgreedItem",
    "AgreedItemReport",
    "AssessmentScheme",
    "AssessmentSheet",
    "Attachment",
    "AuditRecord",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "CatalogueItem",
    "CatalogueVersion",
    "Certificate",
    "CertificateEvent",
    "DocumentNumber",
    "Draw",
    "Entity",
    "EscalationDecision",
    "Establishment",
    "Extension",
    "GradeBand",
    "Grid",
    "Incident",
    "IncidentAssignment",
    "IncidentEvent",
    "IncidentReturn",
    "IncidentUnit",
    "Indicator",
    "Interview",
    "Labelled",
    "Liaison",
    "Meeting",
    "Person",
    "PersonPosting",
    "PersonnelMotion",
    "Plan",
    "PlanOfficer",
    "PlanTarget",
    "Recusal",
    "Score",
    "Setting",
    "Supervision",
    "TrainingCourse",
    "Transfer",
    "Unit",
    "User",
    "WhistleCall",
    "plan_departments",
    "training_attendance",
]
