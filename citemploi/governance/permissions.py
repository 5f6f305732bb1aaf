"""Who may do what in the steering pages (issue 14 §6).

- The coordinator sees and edits everything, and alone edits the roadmap and closes others' decisions.
- A member of an instance (in person or through a member structure) sees its meetings, minutes and decisions,
  replies to its invitations and comments its decisions; a co-chair also prepares its meetings.
- The owner of a decision (the person, or a member of the owner structure) moves it along its follow-up.
- The roadmap is read by the coordinator, the State co-pilot, steering members and every instance member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from citemploi.accounts.permissions import is_coordinator, is_state_copilot, is_steering_member

if TYPE_CHECKING:
    from citemploi.governance.models import Decision, Instance, Proposal
    from citemploi.partners.models import Action


def _structure_ids(user: Any) -> frozenset[int]:
    return frozenset(user.structure_ids)


def member_role(user: Any, instance: Instance) -> str | None:
    """The user's role in the instance (direct membership first, then through a structure), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    structures = _structure_ids(user)
    roles = [m.role for m in instance.members.all() if m.user_id == user.pk or m.structure_id in structures]
    if not roles:
        return None
    from citemploi.governance.models import MemberRole

    return MemberRole.CO_CHAIR if MemberRole.CO_CHAIR in roles else roles[0]


def can_view_instance(user: Any, instance: Instance) -> bool:
    return bool(is_coordinator(user)) or member_role(user, instance) is not None


def can_prepare(user: Any, instance: Instance) -> bool:
    """Create meetings, set their agenda, invite, record attendance, minutes, documents and decisions."""
    from citemploi.governance.models import MemberRole

    return bool(is_coordinator(user)) or member_role(user, instance) == MemberRole.CO_CHAIR


def can_move_decision(user: Any, decision: Decision) -> bool:
    """Change the follow-up state: the coordinator, or the decision's owner (person or owner structure)."""
    if is_coordinator(user):
        return True
    if decision.owner_id is not None and decision.owner_id == getattr(user, "pk", None):
        return True
    return decision.owner_structure_id is not None and decision.owner_structure_id in _structure_ids(user)


@rules.predicate
def is_instance_member(user: Any) -> bool:
    """Member of at least one instance (in person or through a structure). One query, remembered on the user object
    for the rest of the request (the menu asks on every page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_instance_member", None)
    if cached is None:
        from django.db.models import Q

        from citemploi.governance.models import InstanceMember

        cached = InstanceMember.objects.filter(Q(user=user) | Q(structure_id__in=_structure_ids(user))).exists()
        user._instance_member = cached
    return bool(cached)


#: The steering pages at all (the instances list, the follow-up board, the roadmap).
can_view_governance = is_coordinator | is_state_copilot | is_steering_member | is_instance_member
#: Instances, their members and the roadmap.
can_manage_governance = is_coordinator


def can_prepare_newsletter(user: Any) -> bool:
    """The e-mail version of the public letter (pasted into the Métropole's mailing tool): the coordinator."""
    return bool(is_coordinator(user))


# --- Register of uncovered needs (issue 15 item 3) ------------------------------------------------------------


@rules.predicate
def has_structure(user: Any) -> bool:
    """An account of a partner or a relais (one structure at least)."""
    return bool(getattr(user, "is_authenticated", False)) and bool(_structure_ids(user))


#: The register (list, detail, export): counts masked below the coordinator (core.secrecy), never a name.
can_view_needs = can_view_governance
#: A manual report: any partner or relais account, and the coordinator.
can_report_need = is_coordinator | has_structure
#: Qualify a need, move it along its lifecycle, read manual reports' descriptions and unmasked counts.
can_manage_needs = is_coordinator
# --- Solutions of the uncovered needs and the coverage map (h33, issue 15 §4–5) ----------------------------------


def can_propose_solution(user: Any) -> bool:
    """Propose a solution for a need, edit it, set it aside: the coordinator (« en concertation » with the partners
    it names on the proposal)."""
    return bool(is_coordinator(user))


def can_link_census_action(user: Any, proposal: Proposal, action: Action | None) -> bool:
    """Link the census action that carries a proposal: the coordinator, or a member of a partner structure named on
    the proposal — for an action its structure carries or takes part in (``action=None``: may link some action)."""
    if is_coordinator(user):
        return True
    mine = _structure_ids(user)
    if not mine or not any(p.pk in mine for p in proposal.partners.all()):
        return False
    if action is None:
        return True
    return action.carrier_id in mine or action.partners.filter(pk__in=mine).exists()


#: The evidence behind a cell of the coverage map (signal counts by source and month, unmasked): the coordinator;
#: below, the counts are masked and there is no drill-down (as in the evaluation).
can_drill_down_needs = is_coordinator
