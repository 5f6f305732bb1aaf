"""The state machines of the pathways domain, declared in one place (DESIGN.md §3.5).

Each machine maps a state to the states it may move to. Services call `check_transition` before any write; an
invalid move raises `InvalidTransition` with a French message that the UI and the API show as is.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.errors import InvalidTransition as InvalidTransition


class PathwayState(models.TextChoices):
    SPOTTED = "repere", _("repéré")
    CONTACTED = "contacte", _("contacté")
    DIAGNOSED = "diagnostique", _("diagnostiqué")
    ORIENTED = "oriente", _("orienté")
    IN_PATHWAY = "en_parcours", _("en parcours")
    EXITED = "sorti", _("sorti")
    LOST = "perdu_de_vue", _("perdu de vue")
    REFUSED = "refus", _("refus")


class FreinState(models.TextChoices):
    IDENTIFIED = "identifie", _("identifié")
    IN_PROGRESS = "en_cours", _("en cours")
    LIFTED = "leve", _("levé")
    NOT_LIFTABLE = "non_levable", _("non levable")


class MobilisationState(models.TextChoices):
    PROPOSED = "proposee", _("proposée")
    ORIENTED = "orientee", _("orientée")
    ACCEPTED = "acceptee", _("acceptée")
    REFUSED = "refusee", _("refusée")
    ENTERED = "entree", _("entrée")
    EXITED = "sortie", _("sortie")
    ABANDONED = "abandon", _("abandon")


class HandoffState(models.TextChoices):
    SENT = "envoyee", _("envoyée")
    ACKNOWLEDGED = "accusee", _("accusée")
    FIRST_MEETING = "premier_rdv", _("premier rendez-vous tenu")
    REFUSED = "refusee", _("refusée")
    EXPIRED = "expiree", _("expirée")


_ACTIVE_PATHWAY = {PathwayState.LOST, PathwayState.REFUSED, PathwayState.EXITED}

PATHWAY_TRANSITIONS: dict[str, set[str]] = {
    PathwayState.SPOTTED: {PathwayState.CONTACTED, PathwayState.LOST, PathwayState.REFUSED},
    PathwayState.CONTACTED: {PathwayState.DIAGNOSED, PathwayState.ORIENTED, PathwayState.IN_PATHWAY} | _ACTIVE_PATHWAY,
    PathwayState.DIAGNOSED: {PathwayState.ORIENTED, PathwayState.IN_PATHWAY} | _ACTIVE_PATHWAY,
    PathwayState.ORIENTED: {PathwayState.IN_PATHWAY} | _ACTIVE_PATHWAY,
    PathwayState.IN_PATHWAY: {PathwayState.ORIENTED} | _ACTIVE_PATHWAY,
    # A person lost from sight or who refused may come back: the pathway resumes where contact is renewed. Or the
    # pathway is closed with an exit (« perdu de vue » and « refus » are exit situations, DOMAIN.md §5).
    PathwayState.LOST: {PathwayState.CONTACTED, PathwayState.EXITED},
    PathwayState.REFUSED: {PathwayState.CONTACTED, PathwayState.EXITED},
    PathwayState.EXITED: set(),
}

#: Pathway states in which the person is followed (alerts about missing contact apply).
OPEN_PATHWAY_STATES = frozenset(
    {PathwayState.CONTACTED, PathwayState.DIAGNOSED, PathwayState.ORIENTED, PathwayState.IN_PATHWAY}
)

FREIN_TRANSITIONS: dict[str, set[str]] = {
    FreinState.IDENTIFIED: {FreinState.IN_PROGRESS, FreinState.LIFTED, FreinState.NOT_LIFTABLE},
    FreinState.IN_PROGRESS: {FreinState.LIFTED, FreinState.NOT_LIFTABLE},
    FreinState.LIFTED: set(),
    FreinState.NOT_LIFTABLE: set(),
}

MOBILISATION_TRANSITIONS: dict[str, set[str]] = {
    MobilisationState.PROPOSED: {MobilisationState.ORIENTED, MobilisationState.REFUSED},
    MobilisationState.ORIENTED: {MobilisationState.ACCEPTED, MobilisationState.REFUSED},
    MobilisationState.ACCEPTED: {MobilisationState.ENTERED, MobilisationState.ABANDONED},
    MobilisationState.REFUSED: set(),
    MobilisationState.ENTERED: {MobilisationState.EXITED, MobilisationState.ABANDONED},
    MobilisationState.EXITED: set(),
    MobilisationState.ABANDONED: set(),
}

HANDOFF_TRANSITIONS: dict[str, set[str]] = {
    HandoffState.SENT: {HandoffState.ACKNOWLEDGED, HandoffState.REFUSED, HandoffState.EXPIRED},
    HandoffState.ACKNOWLEDGED: {HandoffState.FIRST_MEETING, HandoffState.REFUSED},
    HandoffState.FIRST_MEETING: set(),
    HandoffState.REFUSED: set(),
    HandoffState.EXPIRED: set(),
}

#: Hand-offs still "alive": the receiving structure sees the shared subset of the person.
LIVE_HANDOFF_STATES = frozenset({HandoffState.SENT, HandoffState.ACKNOWLEDGED, HandoffState.FIRST_MEETING})
#: Hand-offs after which the person is in the receiving structure's caseload.
CASELOAD_HANDOFF_STATES = frozenset({HandoffState.ACKNOWLEDGED, HandoffState.FIRST_MEETING})

_MACHINES: dict[str, tuple[dict[str, set[str]], type[models.TextChoices], str | Promise]] = {
    "pathway": (PATHWAY_TRANSITIONS, PathwayState, _("le parcours")),
    "frein": (FREIN_TRANSITIONS, FreinState, _("le frein")),
    "mobilisation": (MOBILISATION_TRANSITIONS, MobilisationState, _("la mobilisation")),
    "handoff": (HANDOFF_TRANSITIONS, HandoffState, _("l'orientation")),
}


def allowed_targets(machine: str, current: str) -> set[str]:
    """The states reachable in one step from ``current``."""
    return _MACHINES[machine][0].get(current, set())


def check_transition(machine: str, current: str, target: str) -> None:
    """Raise `InvalidTransition` (French message) unless ``current → target`` is declared."""
    transitions, enum, noun = _MACHINES[machine]
    if target in transitions.get(current, set()):
        return
    labels = dict(enum.choices)
    if current == target:
        raise InvalidTransition(
            gettext("Impossible : %(noun)s est déjà à l'état « %(state)s ».") % {"noun": noun, "state": labels[current]}
        )
    raise InvalidTransition(
        gettext("Impossible de passer %(noun)s de « %(current)s » à « %(target)s ».")
        % {"noun": noun, "current": labels.get(current, current), "target": labels.get(target, target)}
    )
