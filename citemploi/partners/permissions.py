"""Who may do what with the census of the offer (docs/partners.md §Rôles).

- coordinator: sees everything, edits every entry, validates partners' proposals, sees registrations;
- relais agents and partner referents: read the census, edit their own structure's services and actions
  (proposals waiting for validation), manage registrations and attendance of the actions their structure carries;
- state co-pilot, steering members and the admin: read the census (it holds no personal data);
- registrations (names, contacts) are personal data: carrier structure, partner structures and coordinator only.
"""

from __future__ import annotations

from typing import Any

import rules

from citemploi.accounts.models import CASEWORK_ROLES
from citemploi.accounts.permissions import (
    is_admin,
    is_caseworker,
    is_coordinator,
    is_state_copilot,
    is_steering_member,
)


def casework_structure_ids(user: Any) -> frozenset[int]:
    """Structures where the user works as relais agent or partner referent (not as steering member)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(m.structure_id for m in user.active_memberships if m.role in CASEWORK_ROLES)


@rules.predicate
def is_member_of_structure(user: Any, structure: Any) -> bool:
    """The user is a caseworker of this structure (the structure owning the entry)."""
    return structure is not None and getattr(structure, "pk", None) in casework_structure_ids(user)


@rules.predicate
def is_member_of_carrier_or_partner(user: Any, action: Any) -> bool:
    """The user is a caseworker of the structure carrying the action or of one of its partner structures."""
    ids = casework_structure_ids(user)
    if action is None or not ids:
        return False
    if action.carrier_id in ids:
        return True
    return any(p.pk in ids for p in action.partners.all())


#: Reading the census (structures, services, actions, map, coverage, exports): no personal data in it.
can_view_census = is_coordinator | is_caseworker | is_state_copilot | is_steering_member | is_admin
#: Proposing services and actions at all (for one's own structure).
can_propose_offer = is_coordinator | is_caseworker
#: Editing one structure's entries: the coordinator, or a caseworker of that structure.
can_edit_structure_offer = is_coordinator | (is_caseworker & is_member_of_structure)
#: Validating partners' proposals and editing structures' public profiles.
can_moderate = is_coordinator
#: Registrations and attendance of an action (personal data).
can_manage_registrations = is_coordinator | (is_caseworker & is_member_of_carrier_or_partner)

rules.add_perm("partners.view_census", can_view_census)
rules.add_perm("partners.propose_offer", can_propose_offer)
rules.add_perm("partners.edit_structure_offer", can_edit_structure_offer)
rules.add_perm("partners.moderate", can_moderate)
rules.add_perm("partners.manage_registrations", can_manage_registrations)


def editable_structure_ids(user: Any) -> frozenset[int] | None:
    """Structures whose entries the user may edit: None means all (coordinator), empty means none."""
    if is_coordinator(user):
        return None
    return casework_structure_ids(user)
