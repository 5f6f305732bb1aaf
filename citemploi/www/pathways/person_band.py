"""The summary band of the person page (issue 10, item 8): the pathway state, the referent, the QPV, the next
appointment and the open alerts, with the two or three actions that fit the state as primary buttons; every other
action the user may take is grouped under « Autres actions ».

| state                      | primary actions                                              |
|----------------------------|--------------------------------------------------------------|
| repéré                     | Enregistrer un contact, Enregistrer l'information (the notice), Désigner le référent (when none) |
| contacté, diagnostiqué     | Identifier un frein, Orienter vers une structure, Proposer un dispositif |
| orienté                    | Enregistrer un contact, Proposer un dispositif               |
| en parcours                | Enregistrer un contact, Enregistrer la sortie                |
| sorti                      | the follow-ups still to record                               |
| perdu de vue, refus        | Enregistrer un contact, Changer l'état du parcours           |

Nothing here reads the database: the page's data (hand-offs with their appointments, exits with their follow-ups)
is already loaded by ``selectors.person_page``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.pathways.models import AppointmentState, Person
from citemploi.pathways.selectors import PersonPage
from citemploi.pathways.states import PathwayState


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    url: str
    danger: bool = False


PRIMARY_BY_STATE: dict[str, tuple[str, ...]] = {
    PathwayState.SPOTTED: ("contact", "notice", "referent"),
    PathwayState.CONTACTED: ("frein", "handoff", "mobilisation"),
    PathwayState.DIAGNOSED: ("frein", "handoff", "mobilisation"),
    PathwayState.ORIENTED: ("contact", "mobilisation"),
    PathwayState.IN_PATHWAY: ("contact", "exit"),
    PathwayState.EXITED: ("followups",),
    PathwayState.LOST: ("contact", "state"),
    PathwayState.REFUSED: ("contact", "state"),
}
MAX_PRIMARY = 3


def _available(person: Person, page: PersonPage, *, can_edit: bool, in_caseload: bool) -> list[Action]:
    """Every action the user may take on the record, in the order of « Autres actions »."""

    def url(name: str, *args: Any) -> str:
        return reverse(f"pathways:{name}", args=[person.public_id, *args])

    if not can_edit:
        return [Action("contact", _("Enregistrer un contact"), url("contact_new"))] if in_caseload else []
    actions = [
        Action("edit", _("Modifier la fiche"), url("person_edit")),
        Action("notice", _("Enregistrer l'information"), url("notice_new")),
        Action("referent", _("Désigner le référent"), url("referent")),
        Action("consent", _("Recueillir un consentement"), url("consent_new")),
    ]
    if person.pathway.state == PathwayState.EXITED:
        # After an exit: the record, the notice, the referent, consents and follow-ups only.
        for exit_ in page.exits:
            for followup in exit_.followups.all():
                if not followup.done_on:
                    label = _("Enregistrer le suivi à %(months)s mois") % {"months": followup.months}
                    actions.append(Action("followups", label, url("followup", followup.public_id)))
        return actions
    return [
        *actions,
        Action("state", _("Changer l'état du parcours"), url("pathway_state")),
        Action("frein", _("Identifier un frein"), url("frein_new")),
        Action("mobilisation", _("Proposer un dispositif"), url("mobilisation_new")),
        Action("handoff", _("Orienter vers une structure"), url("handoff_new")),
        Action("contact", _("Enregistrer un contact"), url("contact_new")),
        Action("job", _("Ajouter un métier"), url("job_new")),
        Action("exit", _("Enregistrer la sortie"), url("exit_new"), danger=True),
    ]


def split_actions(
    person: Person, page: PersonPage, *, can_edit: bool, in_caseload: bool
) -> tuple[list[Action], list[Action]]:
    """(primary, others): the actions that fit the state first, at most three; the others keep their order."""
    available = _available(person, page, can_edit=can_edit, in_caseload=in_caseload)
    wanted = list(PRIMARY_BY_STATE.get(person.pathway.state, ()))
    if "referent" in wanted and person.pathway.referent_id:
        wanted.remove("referent")
    primary = sorted((a for a in available if a.key in wanted), key=lambda a: wanted.index(a.key))[:MAX_PRIMARY]
    if not primary and len(available) == 1:  # a shared sight in the caseload: its one action
        primary = available
    others = [a for a in available if a not in primary]
    return primary, others


def next_appointment(page: PersonPage, now: datetime | None = None) -> Any:
    """The next planned appointment of the hand-offs the user sees (already prefetched), or None."""
    moment = now or timezone.now()
    planned = [
        a
        for h in page.handoffs
        for a in h.appointments.all()
        if a.state == AppointmentState.PLANNED and a.starts_at >= moment
    ]
    return min(planned, key=lambda a: a.starts_at, default=None)
