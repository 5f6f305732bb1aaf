"""Lifecycle of a need and of a proposal, declared once (DESIGN.md §3.5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedState(models.TextChoices):
    REPORTED = "signale", _("signalé")
    QUALIFIED = "qualifie", _("qualifié")
    SOLUTION_PROPOSED = "solution_proposee", _("solution proposée")
    EXPERIMENTED = "experimente", _("expérimenté")
    COVERED = "couvert", _("couvert")
    DROPPED = "abandonne", _("abandonné")


#: signalé → qualifié → solution proposée → expérimentée → couvert | abandonné (abandon possible at every step
#: before « couvert »; « couvert » and « abandonné » are final).
NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedState.REPORTED: frozenset({NeedState.QUALIFIED, NeedState.DROPPED}),
    NeedState.QUALIFIED: frozenset({NeedState.SOLUTION_PROPOSED, NeedState.DROPPED}),
    NeedState.SOLUTION_PROPOSED: frozenset({NeedState.EXPERIMENTED, NeedState.DROPPED}),
    NeedState.EXPERIMENTED: frozenset({NeedState.COVERED, NeedState.DROPPED}),
    NeedState.COVERED: frozenset(),
    NeedState.DROPPED: frozenset(),
}

#: States of a need that is still open (a new signal feeds it; the register lists them first).
OPEN_NEED_STATES = frozenset(s for s, targets in NEED_TRANSITIONS.items() if targets)


class Coverage(models.TextChoices):
    """How the census answers a need (governance.needs.coverage); unknown is never « non couvert »."""

    NONE = "non_couvert", _("non couvert")
    PARTIAL = "partiel", _("partiellement couvert")
    COVERED = "couvert", _("couvert")
    UNKNOWN = "inconnu", _("inconnu")


class SignalSource(models.TextChoices):
    NO_SOLUTION = "aucune_solution", _("Orientation impossible (aucune solution)")
    NOT_LIFTABLE = "frein_non_levable", _("Frein non levable")
    MANUAL = "signalement", _("Signalement d'un partenaire")


#: Sources computed from pathways' aggregates by the synchronisation (governance.needs.sync); manual reports are
#: written by a service, one row per report.
AUTOMATIC_SOURCES = (SignalSource.NO_SOLUTION, SignalSource.NOT_LIFTABLE)


class ProposalState(models.TextChoices):
    PROPOSED = "proposee", _("proposée")
    ADOPTED = "adoptee", _("adoptée")
    EXPERIMENTED = "experimentee", _("expérimentée")
    SET_ASIDE = "ecartee", _("écartée")


PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalState.PROPOSED: frozenset({ProposalState.ADOPTED, ProposalState.SET_ASIDE}),
    ProposalState.ADOPTED: frozenset({ProposalState.EXPERIMENTED, ProposalState.SET_ASIDE}),
    ProposalState.EXPERIMENTED: frozenset(),
    ProposalState.SET_ASIDE: frozenset(),
}
