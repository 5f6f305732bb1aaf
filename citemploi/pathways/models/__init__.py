"""Models of the pathways app, split by journey; import them from here."""

from citemploi.pathways.models.appointment import Appointment, AppointmentState, HandoffReply
from citemploi.pathways.models.outcome import (
    Exit,
    FollowUp,
    NotificationPreference,
    PendingNotification,
    RetentionRun,
    RomeAppellation,
    RomeCode,
    TargetJob,
    TimelineEvent,
)
from citemploi.pathways.models.pathway import Contact, Frein, Handoff, Mobilisation, Pathway, ReferentAssignment
from citemploi.pathways.models.person import (
    Consent,
    InformationNotice,
    MergedRecord,
    Person,
    RegistrationPeriod,
    Reperage,
)
from citemploi.pathways.models.registration import PersonRegistration
from citemploi.pathways.models.review import DuplicateReview
from citemploi.pathways.models.unmet import UnmetOrientation

__all__ = [
    "Appointment",
    "AppointmentState",
    "Consent",
    "Contact",
    "DuplicateReview",
    "Exit",
    "FollowUp",
    "Frein",
    "Handoff",
    "HandoffReply",
    "InformationNotice",
    "MergedRecord",
    "Mobilisation",
    "NotificationPreference",
    "Pathway",
    "PendingNotification",
    "Person",
    "PersonRegistration",
    "ReferentAssignment",
    "RegistrationPeriod",
    "Reperage",
    "RetentionRun",
    "RomeAppellation",
    "RomeCode",
    "TargetJob",
    "TimelineEvent",
    "UnmetOrientation",
]
