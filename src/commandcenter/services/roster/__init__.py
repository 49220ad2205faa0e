"""The roster: people (:mod:`.people`), their enforcement certificates (:mod:`.certificates`),
who may be sent on site (:mod:`.eligibility`, R1, R2, R10) and the list the roster page shows
(:mod:`.listings`)."""

# Transitional: the UI's imports move to the modules above.
from commandcenter.services.roster.certificates import (
    CertificateForm,
    CertificateRow,
    CertificateStatus,
    EventKind,
    add_certificate,
    certificate_history,
    certificates_of,
    change_certificate_state,
    record_review,
    update_certificate,
)
from commandcenter.services.roster.eligibility import ineligibility
from commandcenter.services.roster.people import (
    PersonForm,
    create_person,
    person_form,
    person_name,
    update_person,
)

__all__ = [
    "CertificateForm",
    "CertificateRow",
    "CertificateStatus",
    "EventKind",
    "PersonForm",
    "add_certificate",
    "certificate_history",
    "certificates_of",
    "change_certificate_state",
    "create_person",
    "ineligibility",
    "person_form",
    "person_name",
    "record_review",
    "update_certificate",
    "update_person",
]
