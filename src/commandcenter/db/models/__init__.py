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
from commandcenter.db.models.incident_review import IncidentPart, LegalReview
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
from commandcenter.db.models.inspections import (
    AnnualInspectionPlan,
    AnnualPlanLine,
    EntityGradeChange,
    InspectionPublication,
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
from commandcenter.db.models.patrols import GridPatrol, PatrolProblem, patrol_members
from commandcenter.db.models.people import (
    Certificate,
    CertificateApplication,
    CertificateEvent,
    ExamResult,
    Liaison,
    Person,
    PersonPosting,
    TrainingCourse,
    TrainingExam,
    training_attendance,
)
from commandcenter.db.models.system import AuditRecord, DocumentNumber, Setting, User
from commandcenter.db.models.work_orders import IncidentReply, ReplyTemplate, WorkOrderLayout
from commandcenter.enums import *  # noqa: F403 - the enums belong to the model

__all__ = [
    "AgreedItem",
    "AgreedItemReport",
    "AnnualInspectionPlan",
    "AnnualPlanLine",
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
    "CertificateApplication",
    "CertificateEvent",
    "DocumentNumber",
    "Draw",
    "Entity",
    "EntityGradeChange",
    "EscalationDecision",
    "Establishment",
    "ExamResult",
    "Extension",
    "GradeBand",
    "Grid",
    "GridPatrol",
    "Incident",
    "IncidentAssignment",
    "IncidentEvent",
    "IncidentPart",
    "IncidentReply",
    "IncidentReturn",
    "IncidentUnit",
    "Indicator",
    "InspectionPublication",
    "Interview",
    "Labelled",
    "LegalReview",
    "Liaison",
    "Meeting",
    "PatrolProblem",
    "Person",
    "PersonPosting",
    "PersonnelMotion",
    "Plan",
    "PlanOfficer",
    "PlanTarget",
    "Recusal",
    "ReplyTemplate",
    "Score",
    "Setting",
    "Supervision",
    "TrainingCourse",
    "TrainingExam",
    "Transfer",
    "Unit",
    "User",
    "WhistleCall",
    "WorkOrderLayout",
    "patrol_members",
    "plan_departments",
    "training_attendance",
]
