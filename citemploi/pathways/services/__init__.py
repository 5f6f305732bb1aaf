"""Write services of the pathways domain (DESIGN.md §3.1): one function per state change, `<entity>_<action>`."""

from citemploi.pathways.services.actions import (
    contact_record,
    exit_record,
    followup_record,
    frein_identify,
    frein_transition,
    handoff_acknowledge,
    handoff_first_meeting,
    handoff_refuse,
    handoff_send,
    handoffs_expire,
    mobilisation_propose,
    mobilisation_transition,
)
from citemploi.pathways.services.common import PersonMerged
from citemploi.pathways.services.inputs import UNSET, PersonChanges, PersonFields
from citemploi.pathways.services.people import (
    consent_give,
    consent_revoke,
    notice_object,
    notice_record,
    pathway_transition,
    person_merge,
    person_merged_into,
    person_register,
    person_update,
    referent_assign,
    target_job_add,
)
from citemploi.pathways.services.registration import registration_period_add
from citemploi.pathways.services.unmet import unmet_orientation_record

__all__ = [
    "UNSET",
    "PersonChanges",
    "PersonFields",
    "PersonMerged",
    "consent_give",
    "consent_revoke",
    "contact_record",
    "exit_record",
    "followup_record",
    "frein_identify",
    "frein_transition",
    "handoff_acknowledge",
    "handoff_first_meeting",
    "handoff_refuse",
    "handoff_send",
    "handoffs_expire",
    "mobilisation_propose",
    "mobilisation_transition",
    "notice_object",
    "notice_record",
    "pathway_transition",
    "person_merge",
    "person_merged_into",
    "person_register",
    "person_update",
    "referent_assign",
    "registration_period_add",
    "target_job_add",
    "unmet_orientation_record",
]
