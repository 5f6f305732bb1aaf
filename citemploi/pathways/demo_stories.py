"""One demo person's story, told through the pathways services (``citemploi.pathways.demo``): the registration,
the referent, contacts, freins, a hand-off, a scheme, the exit or a state set by hand — each at its past date
(working days, office hours, never after yesterday), in the order they happened. A service refuses what the
product's rules forbid, so the demo can only hold what a user could have recorded."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from citemploi.accounts.models import Structure, User
from citemploi.pathways import services
from citemploi.pathways.choices import Channel, ContactKind, ExitSituation, FreinTheme
from citemploi.pathways.models import Person
from citemploi.pathways.replay import day_moment
from citemploi.pathways.services.inputs import PersonFields
from citemploi.pathways.services.locating import Located
from citemploi.pathways.services.mobilisations import runs_scheme
from citemploi.pathways.states import FreinState, HandoffState, MobilisationState, PathwayState
from citemploi.schemes.models import Scheme

#: The exit situations of the demo, in turn (employment ones with a contract of 35 hours a week).
_EMPLOYMENT = {"cdi", "cdd", "interim", "titularisation", "creation", "contrat_aide"}
_STEPS = list(PathwayState)


def working_day(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls on a weekend (never later: past events stay past)."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def working_moment(day: dt.date, i: int = 0) -> dt.datetime:
    """An office hour between 9:00 and 15:30 of the day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9 + i % 7, 30 if i % 2 else 0)))


@dataclass
class Cast:
    """Who acts in the demo: each structure's own caseworker, the partners, the schemes, and today."""

    agents: dict[int, User]
    partners: list[Structure]
    schemes: list[Scheme]
    today: dt.date

    @property
    def last_day(self) -> dt.date:
        """The latest day an event may have: yesterday (or the working day before)."""
        return working_day(self.today - dt.timedelta(days=1))


class _Clock:
    """The days of one story, moving forward on working days and never past the cast's last day."""

    def __init__(self, cast: Cast, day: dt.date) -> None:
        self.cast, self.day = cast, day

    def later(self, days: int) -> dt.date:
        day = self.day + dt.timedelta(days=days)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        self.day = max(self.day, min(day, self.cast.last_day))
        return self.day

    def not_before(self, day: dt.date) -> dt.date:
        self.day = max(self.day, min(working_day(day), self.cast.last_day))
        return self.day


def tell_story(
    cast: Cast,
    *,
    i: int,
    fields: PersonFields,
    located: Located,
    structure: Structure,
    state: str,
    spotted: dt.date,
    rng: random.Random,
) -> Person:
    """Register the ``i``-th demo person and live their pathway up to ``state`` (one of every state in turn)."""
    agent = cast.agents[structure.pk]
    channel = list(Channel)[i % len(Channel)]
    person = services.person_register(by=agent, structure=structure, channel=channel, spotted_on=spotted,
                                      fields=fields, place="Permanence", locate=False, located=located)  # fmt: skip
    if i % 5:  # one in five without referent: the alert has content
        services.referent_assign(by=agent, person=person, referent=agent, at=working_moment(spotted, i))
    clock = _Clock(cast, spotted)
    step = _STEPS.index(PathwayState(state))
    if state == PathwayState.SPOTTED:
        return person
    kind = list(ContactKind)[i % len(ContactKind)]
    if kind == ContactKind.DIAGNOSTIC and state == PathwayState.CONTACTED:
        kind = ContactKind.MEETING
    services.contact_record(by=agent, person=person, kind=kind, happened_at=working_moment(clock.later(2), i + 1),
                            initiated_by_person=i % 4 == 0, structure=structure,
                            note="Note fictive de démonstration.")  # fmt: skip
    if state in (PathwayState.LOST, PathwayState.REFUSED):
        reason = "Plus de nouvelles (démonstration)." if state == PathwayState.LOST else "Refus (démonstration)."
        marked = day_moment(clock.later(rng.randint(10, 60)))
        services.pathway_transition(by=agent, person=person, target=state, reason=reason, at=marked)
        return person
    if step >= _STEPS.index(PathwayState.DIAGNOSED):
        _frein(cast, person, agent=agent, i=i, clock=clock, rng=rng)
    if step >= _STEPS.index(PathwayState.ORIENTED):
        if state != PathwayState.EXITED:  # recent hand-offs, some late to acknowledge or to meet
            clock.not_before(cast.today - dt.timedelta(days=1 + i % 40))
        _handoff(cast, person, structure=structure, agent=agent, i=i, clock=clock)
        _scheme(cast, person, structure=structure, agent=agent, i=i, clock=clock, enter=state != "oriente")
    if state == PathwayState.EXITED:
        _exit(person, agent=agent, i=i, clock=clock)
    return person


def _frein(cast: Cast, person: Person, *, agent: User, i: int, clock: _Clock, rng: random.Random) -> None:
    theme = list(FreinTheme)[i % len(FreinTheme)]
    frein = services.frein_identify(by=agent, person=person, theme=theme, identified_on=clock.later(1))
    target = rng.choice([None, FreinState.LIFTED, FreinState.NOT_LIFTABLE])
    if target is not None:
        services.frein_transition(by=agent, frein=frein, target=target, on=clock.later(rng.randint(5, 30)))


def _handoff(cast: Cast, person: Person, *, structure: Structure, agent: User, i: int, clock: _Clock) -> None:
    """A hand-off in every state in turn: sent, acknowledged the same day, first meeting held, refused."""
    partner = cast.partners[i % len(cast.partners)]
    receiver = cast.agents[partner.pk]
    sent = working_moment(clock.later(2), i)
    handoff = services.handoff_send(by=agent, person=person, to_structure=partner, at=sent,
                                    reason="Orientation fictive de démonstration.",
                                    shared=["contact", "freins", "schemes"])  # fmt: skip
    answer = [HandoffState.SENT, HandoffState.ACKNOWLEDGED, HandoffState.FIRST_MEETING, HandoffState.REFUSED,
              HandoffState.SENT][i % 5]  # fmt: skip
    if answer in (HandoffState.ACKNOWLEDGED, HandoffState.FIRST_MEETING):
        handoff = services.handoff_acknowledge(by=receiver, handoff=handoff, at=sent + dt.timedelta(hours=2))
    if answer == HandoffState.FIRST_MEETING:
        services.handoff_first_meeting(by=receiver, handoff=handoff, met_on=clock.later(5))
    if answer == HandoffState.REFUSED:
        services.handoff_refuse(by=receiver, handoff=handoff, reason="Hors critères (démonstration).",
                                at=sent + dt.timedelta(hours=3))  # fmt: skip


def _scheme(
    cast: Cast, person: Person, *, structure: Structure, agent: User, i: int, clock: _Clock, enter: bool
) -> None:
    """A scheme of the catalogue, in the charge of a structure that runs it: proposed, then entered."""
    candidates = [structure, *cast.partners[i % len(cast.partners) :], *cast.partners]
    for k in range(len(cast.schemes)):
        scheme = cast.schemes[(i + k) % len(cast.schemes)]
        runner = next((s for s in candidates if runs_scheme(s, scheme)), None)
        if runner is not None:
            break
    else:
        return
    mobilisation = services.mobilisation_propose(by=agent, person=person, scheme=scheme, structure=runner,
                                                 on=clock.later(1))  # fmt: skip
    if not enter:
        return
    entry = clock.later(3)
    for target in (MobilisationState.ORIENTED, MobilisationState.ACCEPTED, MobilisationState.ENTERED):
        mobilisation = services.mobilisation_transition(by=agent, mobilisation=mobilisation, target=target, on=entry)


def _exit(person: Person, *, agent: User, i: int, clock: _Clock) -> None:
    situation = list(ExitSituation)[i % 10]
    exited = clock.later(20)
    end = exited + dt.timedelta(days=240) if situation in {"cdd", "interim"} else None
    services.exit_record(by=agent, person=person, exited_on=exited, situation=situation, contract_end_on=end,
                         weekly_hours=35 if situation in _EMPLOYMENT else None)  # fmt: skip
