"""Who may see and do what on a person's record (DOMAIN.md §3, DESIGN.md §4).

Levels of sight on one person:
- FULL: the referent's structure and the coordinator — the whole record, sensitive facts (RQTH, justice) included;
- SHARED: a structure that received a live hand-off — identity and the subset the sender chose to share;
- NONE: everyone else (the record answers 404).
Notes (contact notes, frein comments) are shown only to members of the structure that wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import rules

from citemploi.accounts.models import CASEWORK_ROLES
from citemploi.accounts.permissions import is_caseworker, is_coordinator
from citemploi.pathways.choices import HandoffShare
from citemploi.pathways.states import CASELOAD_HANDOFF_STATES, LIVE_HANDOFF_STATES

if TYPE_CHECKING:
    from citemploi.accounts.models import User
    from citemploi.pathways.models import Handoff, Mobilisation, Person


class Level(IntEnum):
    NONE = 0
    SHARED = 1
    FULL = 2


@dataclass(frozen=True)
class Sight:
    """What one user sees of one person: the level, the shared sections (SHARED), and whether the reader is
    outside the referent's structure (their read goes to the access log)."""

    level: Level
    sections: frozenset[str]
    outside: bool
    in_caseload: bool

    @property
    def full(self) -> bool:
        return self.level == Level.FULL

    def shows(self, section: str) -> bool:
        """Whether a section (a HandoffShare value) is visible."""
        return self.full or section in self.sections


NO_SIGHT = Sight(Level.NONE, frozenset(), True, False)


def sight_of(user: User | Any, person: Person) -> Sight:
    """Compute what ``user`` sees of ``person`` (one query for hand-offs when the user is not the owner)."""
    if not getattr(user, "is_authenticated", False):
        return NO_SIGHT
    owner = person.pathway.structure_id
    mine = user.structure_ids
    if is_coordinator(user):
        return Sight(Level.FULL, frozenset(HandoffShare.values), owner not in mine, True)
    if not is_caseworker(user) or person.anonymised_at is not None:
        return NO_SIGHT
    if owner in mine:
        return Sight(Level.FULL, frozenset(HandoffShare.values), False, True)
    live = [h for h in person.handoffs.all() if h.to_structure_id in mine and h.state in LIVE_HANDOFF_STATES]
    if not live:
        return NO_SIGHT
    sections = frozenset(s for h in live for s in h.shared)
    caseload = any(h.state in CASELOAD_HANDOFF_STATES for h in live)
    return Sight(Level.SHARED, sections, True, caseload)


#: Fields of a person's record by shareable section (the rest of the identity is seen by every viewer).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    HandoffShare.CONTACT: ("email", "phone"),
    HandoffShare.ADDRESS: ("address", "postcode", "city", "qpv", "qpv_status"),
    # Three-valued facts (issue 11): true / false / null = « non renseigné » (never "no").
    HandoffShare.SITUATION: ("education_level", "ft_registered", "ft_registered_since", "ft_category", "rsa", "ass",
                             "aah", "is_deld", "is_detld"),
}  # fmt: skip
#: Health and justice facts: the referent's structure and the coordinator only (DESIGN.md §4).
SENSITIVE_FIELDS = ("rqth", "boe_title", "justice")


def hidden_fields(sight: Sight) -> frozenset[str]:
    """The fields of the record that this sight does not show: sensitive facts below full sight, and the sections
    the hand-off did not share."""
    hidden = set() if sight.full else set(SENSITIVE_FIELDS)
    for section, names in SECTION_FIELDS.items():
        if not sight.shows(section):
            hidden |= set(names)
    return frozenset(hidden)


def can_edit_person(user: User | Any, sight: Sight) -> bool:
    """Edit identity, situation, referent, freins, exit, hand-offs: the referent's structure or the coordinator."""
    return sight.full


def can_add_contact(user: User | Any, sight: Sight) -> bool:
    """Record a contact: full sight, or a receiving structure once it acknowledged the hand-off."""
    return sight.full or sight.in_caseload


def can_answer_handoff(user: User | Any, handoff: Handoff) -> bool:
    """Acknowledge, refuse, record the first meeting: members of the receiving structure (and the coordinator)."""
    return is_coordinator(user) or (is_caseworker(user) and handoff.to_structure_id in user.structure_ids)


def can_move_mobilisation(user: User | Any, sight: Sight, mobilisation: Mobilisation) -> bool:
    """Move a scheme mobilisation: full sight, or the structure in charge of the scheme."""
    return sight.full or (sight.level == Level.SHARED and mobilisation.structure_id in user.structure_ids)


def referent_structures(user: User | Any, referent: User) -> frozenset[int]:
    """The structures where ``referent`` may be named single referent by ``user``: those where the referent holds
    an active casework role — any of them for the coordinator, only the user's own structures otherwise."""
    if not referent.is_active:
        return frozenset()
    casework = frozenset(m.structure_id for m in referent.active_memberships if m.role in CASEWORK_ROLES)
    return casework if is_coordinator(user) else casework & user.structure_ids


def can_see_note(user: User | Any, structure_id: int | None) -> bool:
    """A note stays inside the structure that wrote it; the coordinator sees notes for coordination."""
    return is_coordinator(user) or structure_id in user.structure_ids


def can_merge_records(user: User | Any, keep: Person, absorb: Person) -> bool:
    """« Même personne » : merge ``absorb`` into ``keep``. The coordinator merges any two records; a member of a
    referent structure merges two records that are both within its referent sight — both followed by one of its
    own structures (every record has a referent structure: there is no record « followed by nobody »). A record it
    only sees through a hand-off belongs to another structure and is never merged by it; an anonymised record is
    never merged. (Checked by ``person_merge`` on the locked rows; the review screen shows the button with it.)"""
    if is_coordinator(user):
        return True
    return (
        is_caseworker(user)  # a caseworker (not a steering or read-only role)
        and keep.pk != absorb.pk  # two different records
        and keep.pathway.structure_id in user.structure_ids  # the kept record is followed by one of its structures
        and absorb.pathway.structure_id in user.structure_ids  # and so is the absorbed one
        and keep.anonymised_at is None  # neither record is anonymised
        and absorb.anonymised_at is None
    )


#: The cohort, the alerts inbox and the caseload screens.
can_view_cohort = is_coordinator | is_caseworker
#: Register a person: caseworkers and the coordinator.
can_register_person = is_coordinator | is_caseworker
#: Merge any two records chosen on the « Fusionner deux fiches » page (the coordination; a referent structure
#: merges its own pairs from the review queue, ``can_merge_records``).
can_merge_people = is_coordinator

rules.add_perm("pathways.view_cohort", can_view_cohort)
rules.add_perm("pathways.merge_people", can_merge_people)
