"""Who may do what with the relais network (docs/relais.md). One condition per line.

- the coordinator sees every relais page, the consolidated table and its export, validates or returns reports;
- a relais agent sees the page of their own relais (and only it) and writes, imports and submits its reports;
- nobody else sees the network (the State co-pilot and the steering members read the yearly summary in the COPIL
  pack, masked).
"""

from __future__ import annotations

from typing import Any

import rules

from citemploi.accounts.models import Role
from citemploi.accounts.permissions import is_coordinator


def agent_of(user: Any, relais: Any) -> bool:
    """``user`` is an active relais agent of ``relais``."""
    if not getattr(user, "is_authenticated", False) or relais is None:
        return False
    return any(m.role == Role.RELAIS_AGENT and m.structure_id == relais.pk for m in user.active_memberships)


@rules.predicate
def is_relais_agent(user: object) -> bool:
    """A relais agent (of any relais)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.RELAIS_AGENT)  # type: ignore[attr-defined]


#: The network pages at all (which relais: ``RelaisQuerySet.visible_to``).
can_view_network = is_coordinator | is_relais_agent
#: The consolidated table relais × month, its export, the list of every relais.
can_view_consolidated = is_coordinator
#: Validate or return a submitted report.
can_review = is_coordinator


def can_view_relais(user: Any, relais: Any) -> bool:
    """The coordinator, or an agent of that relais."""
    return bool(is_coordinator(user)) or agent_of(user, relais)


def can_write_report(user: Any, report: Any) -> bool:
    """Edit, prefill again, import or submit: an agent of the report's relais (the coordinator reviews, she does
    not write the relais' report)."""
    return agent_of(user, report.relais)


def sees_figures_unmasked(user: Any) -> bool:
    """Indicators of a relais' caseload are masked (core.secrecy) below the coordinator."""
    return bool(is_coordinator(user))
