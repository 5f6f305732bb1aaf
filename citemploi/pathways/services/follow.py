"""The pathway state follows the records (rules: `citemploi.pathways.derivation`, docs/pathways.md).

Every service that writes a record the derivation reads calls `pathway_follow` inside its transaction — which
also recomputes the person's stored milestones (`citemploi.pathways.milestones`); the manual moves (« perdu de vue », « refus ») go through `pathway_mark`, with a mandatory reason.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import ValidationFailed
from citemploi.pathways.derivation import MANUAL_STATES, facts_of, planned_moves
from citemploi.pathways.models import Pathway, Person
from citemploi.pathways.services.common import locked_pathway, move_pathway
from citemploi.pathways.states import InvalidTransition


def pathway_follow(*, by: User | None, person: Person, at: datetime | None = None) -> list[str]:
    """Move the person's pathway forward to the state its records reach, one timeline line per move; returns the
    states moved through. To call inside the writing service's transaction (the pathway row is locked). ``at``:
    the moment of the event that moves it, when it happened earlier than now (a past event taken over)."""
    pathway = locked_pathway(person)
    moves = planned_moves(pathway.state, facts_of(person.pk), state_changed_at=pathway.state_changed_at)
    for target in moves:
        move_pathway(pathway, target, by=by, at=at)
    Person.objects.filter(pk=person.pk).refresh_milestones()
    return moves


def pathway_mark(*, by: User, person: Person, target: str, reason: str, at: datetime | None = None) -> Pathway:
    """Set « perdu de vue » or « refus » by hand, with a reason (the other states follow the records). ``at``: the
    moment it was decided, when earlier than now (a past event taken over)."""
    if target not in MANUAL_STATES:
        raise InvalidTransition(
            _(
                "L'état du parcours suit les événements de la fiche : seuls « perdu de vue » et « refus » se "
                "choisissent à la main (pour une sortie, enregistrez la sortie)."
            )
        )
    if not reason.strip():
        raise ValidationFailed(_("Indiquez le motif de ce changement d'état."), field="reason")
    pathway = locked_pathway(person)
    move_pathway(pathway, target, by=by, reason=reason.strip(), at=at)
    return pathway
