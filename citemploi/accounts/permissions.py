"""Who may do what, by role (DOMAIN.md §3). One predicate per condition; apps combine them in their own
permissions.py. Object-level rules (is this person followed by my structure?) live in the apps that own the
objects."""

from __future__ import annotations

import rules

from citemploi.accounts.models import CASEWORK_ROLES, Role


@rules.predicate
def is_coordinator(user: object) -> bool:
    """The Cité de l'emploi coordination team: sees everything, names included."""
    return _has(user, Role.COORDINATOR)


@rules.predicate
def is_admin(user: object) -> bool:
    """The technical administrator: configuration; personal records only through the coordinator role."""
    return _has(user, Role.ADMIN)


@rules.predicate
def is_state_copilot(user: object) -> bool:
    """Préfecture / délégué du préfet / DDETS: aggregates, actions, governance; no personal record."""
    return _has(user, Role.STATE_COPILOT)


@rules.predicate
def is_steering_member(user: object) -> bool:
    """COPIL/COTECH member: governance pages and masked aggregates."""
    return _has(user, Role.STEERING_MEMBER)


@rules.predicate
def is_caseworker(user: object) -> bool:
    """Relais agents and partner referents: they follow people of their structure."""
    return _has(user, *CASEWORK_ROLES)


def _has(user: object, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)  # type: ignore[attr-defined]


#: Change history and access log screens.
can_view_audit = is_coordinator | is_admin
#: Personal records at all (scoping to the viewer's structure is the app's job).
can_view_people = is_coordinator | is_caseworker

rules.add_perm("core.view_audit", can_view_audit)
rules.add_perm("accounts.view_people", can_view_people)
#: Structures, accounts and memberships (the coordination opens partners' accounts; the admin configures).
can_manage_accounts = is_coordinator | is_admin
rules.add_perm("accounts.manage", can_manage_accounts)
