"""The pathway state follows the person's records (issue 10, item 3): the ONE place that decides it.

`derive_state` is a pure function from the facts of the person's records to the state their pathway has reached;
`planned_moves` turns it into the moves to make from the current state, forward only and through the state machine
declared in `citemploi.pathways.states`. `facts_of` reads the facts (a few EXISTS queries); the service
`citemploi.pathways.services.follow.pathway_follow` applies the moves after each write (one timeline line per move).

| reached state  | when the person's records hold…                                                              |
|----------------|-----------------------------------------------------------------------------------------------|
| contacté       | a contact, an information notice given, a consent collected, or a hand-off's first meeting held |
| diagnostiqué   | a frein identified, or a contact of kind « entretien de diagnostic »                          |
| orienté        | a hand-off sent (whatever became of it), or a scheme proposed (a mobilisation, in any state)  |
| en parcours    | a mobilisation entered (an entry date, even if the scheme has ended since)                     |
| sorti          | an exit                                                                                        |

Each state implies the ones before it (a person oriented has been contacted). The pathway only moves forward; the
states between the current one and the reached one are walked through when their own fact holds (« contacté »
always), each move checked against the state machine. « Perdu de vue » and « refus » are set by hand with a
reason; from there, an exit moves to « sorti », and a contact after the manual move resumes the pathway (to
« contacté », then forward to the state the records reach).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from citemploi.pathways.choices import ContactKind
from citemploi.pathways.models import Consent, Contact, Exit, Frein, Handoff, InformationNotice, Mobilisation
from citemploi.pathways.states import PathwayState, allowed_targets

#: The milestones of a pathway, in order: the derived state is one of them.
MILESTONES: tuple[str, ...] = (
    PathwayState.SPOTTED,
    PathwayState.CONTACTED,
    PathwayState.DIAGNOSED,
    PathwayState.ORIENTED,
    PathwayState.IN_PATHWAY,
    PathwayState.EXITED,
)
#: States set by hand (with a reason), never derived.
MANUAL_STATES = frozenset({PathwayState.LOST, PathwayState.REFUSED})


@dataclass(frozen=True)
class Facts:
    """What the person's records say, as far as the pathway state is concerned."""

    contacted: bool = False
    diagnosed: bool = False
    oriented: bool = False
    in_pathway: bool = False
    exited: bool = False
    #: The latest contact (or first meeting held): a contact after a manual move resumes the pathway.
    last_contact_at: datetime | None = None

    def holds(self, state: str) -> bool:
        values: dict[str, bool] = {
            PathwayState.SPOTTED: True,
            PathwayState.CONTACTED: self.contacted,
            PathwayState.DIAGNOSED: self.diagnosed,
            PathwayState.ORIENTED: self.oriented,
            PathwayState.IN_PATHWAY: self.in_pathway,
            PathwayState.EXITED: self.exited,
        }
        return values[state]


def derive_state(facts: Facts) -> str:
    """The furthest milestone the records reach (pure)."""
    return next(state for state in reversed(MILESTONES) if facts.holds(state))


def _walk(current: str, reached: str, facts: Facts) -> list[str]:
    """The milestones after ``current`` up to ``reached``: each one whose fact holds, « contacté » always."""
    start = MILESTONES.index(current) if current in MILESTONES else 0
    end = MILESTONES.index(reached)
    return [
        state
        for state in MILESTONES[start + 1 : end + 1]
        if state in (PathwayState.CONTACTED, reached) or facts.holds(state)
    ]


def planned_moves(current: str, facts: Facts, *, state_changed_at: datetime | None = None) -> list[str]:
    """The states to move through, in order, from ``current`` (pure). Empty when the records reach nothing
    further: the pathway never moves back."""
    reached = derive_state(facts)
    path: list[str]
    if current in MANUAL_STATES:
        if facts.exited:
            path = [PathwayState.EXITED]
        elif facts.last_contact_at is not None and (
            state_changed_at is None or facts.last_contact_at > state_changed_at
        ):
            path = [PathwayState.CONTACTED, *_walk(PathwayState.CONTACTED, reached, facts)]
        else:
            return []
    elif current not in MILESTONES or MILESTONES.index(reached) <= MILESTONES.index(current):
        return []
    else:
        path = _walk(current, reached, facts)
    moves: list[str] = []
    state = current
    for target in path:
        if target not in allowed_targets("pathway", state):  # a state the machine does not declare: stop there
            break
        moves.append(target)
        state = target
    return moves


def facts_of(person_id: int) -> Facts:
    """Read the facts of one person's records (a handful of EXISTS queries)."""
    contacts = Contact.objects.filter(person_id=person_id)
    last_contact_at = contacts.aggregate(last=Max("happened_at"))["last"]
    handoffs = Handoff.objects.filter(person_id=person_id)
    mobilisations = Mobilisation.objects.filter(person_id=person_id)
    return Facts(
        contacted=last_contact_at is not None
        or handoffs.filter(first_meeting_on__isnull=False).exists()
        or InformationNotice.objects.filter(person_id=person_id).exists()
        or Consent.objects.filter(person_id=person_id).exists(),
        diagnosed=Frein.objects.filter(person_id=person_id).exists()
        or contacts.filter(kind=ContactKind.DIAGNOSTIC).exists(),
        oriented=handoffs.exists() or mobilisations.exists(),
        in_pathway=mobilisations.filter(entered_on__isnull=False).exists(),
        exited=Exit.objects.filter(person_id=person_id).exists(),
        last_contact_at=last_contact_at,
    )
