"""Demo cohort: about 300 clearly fictitious people (Faker fr_FR, seeded) across the QPV and the 12 relais, with
pathways in every state, hand-offs on time and late, exits and follow-ups, so every screen and alert has content.
Their addresses are the demo's fictitious addresses (citemploi.territory.demo: most inside a QPV, some outside,
one in Fontanès), located with the loaded perimeters. Each relais's people have that relais's own agent as
referent; every dated event falls on a working day, in office hours.
Bulk inserts: loads in a few seconds. Idempotent: nothing is added when the demo cohort exists."""

from __future__ import annotations

import datetime as dt
import random
from io import TextIOBase

import numpy as np
from django.db import transaction
from django.utils import timezone
from faker import Faker

from citemploi.accounts.models import CASEWORK_ROLES, Structure, StructureKind, User
from citemploi.pathways.choices import Channel, ContactKind, ExitSituation, FreinTheme
from citemploi.pathways.demo_appointments import plan_demo_appointments
from citemploi.pathways.exits import exit_category
from citemploi.pathways.models import (
    Contact,
    Exit,
    FollowUp,
    Frein,
    Handoff,
    Mobilisation,
    Pathway,
    Person,
    ReferentAssignment,
    Reperage,
    TimelineEvent,
)
from citemploi.pathways.names import search_name
from citemploi.pathways.services.actions import FOLLOW_UP_MONTHS, _add_months
from citemploi.pathways.states import HandoffState, PathwayState
from citemploi.schemes.models import Scheme
from citemploi.territory.demo import FONTANES, DemoAddress, demo_addresses
from citemploi.territory.lookup import get_index
from citemploi.territory.models import QPV

DEMO_EMAIL_DOMAIN = "demo-personne.invalid"
SIZE = 300
STATES = [s.value for s in PathwayState]
#: One line per demo person: the person, the relais following them, the pathway state, since when.
Plan = list[tuple[Person, Structure, str, dt.datetime]]
PARTNER_KINDS = [
    StructureKind.MISSION_LOCALE,
    StructureKind.PLIE,
    StructureKind.FRANCE_TRAVAIL,
    StructureKind.CAP_EMPLOI,
]


def _agent_of(structure: Structure, fallback: User) -> User:
    """The structure's own caseworker (the demo accounts give one to every relais and partner)."""
    agent = (
        User.objects.filter(memberships__structure=structure, memberships__role__in=list(CASEWORK_ROLES))
        .order_by("pk")
        .first()
    )
    return agent or fallback


def working_day(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls on a weekend (never later: past events stay past)."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def working_moment(moment: dt.datetime, i: int = 0) -> dt.datetime:
    """The moment's working day (see ``working_day``) at an office hour between 9:00 and 15:30."""
    at = dt.time(9 + i % 7, 30 if i % 2 else 0)
    return timezone.make_aware(dt.datetime.combine(working_day(timezone.localtime(moment).date()), at))


@transaction.atomic
def load_demo(*, stdout: TextIOBase) -> None:
    """Create the demo cohort (skipped when it already exists)."""
    if Person.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).exists():
        stdout.write("Démo parcours : cohorte déjà présente.\n")
        return
    relais = list(Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI).order_by("name"))
    partners = list(Structure.objects.filter(kind__in=PARTNER_KINDS).order_by("name"))
    fallback = User.objects.filter(memberships__role__in=list(CASEWORK_ROLES)).order_by("pk").first()
    if not relais or not partners or fallback is None:
        stdout.write("Démo parcours : chargez d'abord les structures et comptes de démonstration.\n")
        return
    fake, rng, now = Faker("fr_FR"), random.Random(42), timezone.now()
    fake.seed_instance(42)
    qpvs: list[QPV | None] = [*QPV.objects.filter(in_territory=True).order_by("code")] or [None]
    agents = {s.pk: _agent_of(s, fallback) for s in relais + partners}
    schemes = list(Scheme.objects.filter(code__in=["cej", "iae", "pec", "plie", "mission_locale", "apprentissage"]))
    people = _people(fake, rng, now, qpvs)
    _addresses(people)
    Person.objects.bulk_create(people)
    plan = [
        (
            p,
            relais[i % len(relais)],
            STATES[i % len(STATES)],
            working_moment(now - dt.timedelta(days=rng.randint(3, 400)), i),
        )
        for i, p in enumerate(people)
    ]
    _pathways(plan, agents, rng, now)
    _work(plan, agents, partners, schemes, rng, now)
    Person.objects.filter(pk__in=[p.pk for p in people]).refresh_milestones()  # written in bulk, not by services
    plan_demo_appointments(now=now)  # the agenda and « rendez-vous prévu » alerts (issue 10, item 7)
    stdout.write(f"Démo parcours : {len(people)} personnes fictives.\n")


def _people(fake: Faker, rng: random.Random, now: dt.datetime, qpvs: list[QPV | None]) -> list[Person]:
    people = []
    for i in range(SIZE):
        sex = rng.choice("FM")
        first = fake.first_name_female() if sex == "F" else fake.first_name_male()
        last = fake.last_name()
        qpv = qpvs[i % len(qpvs)]
        birth = dt.date(rng.randint(1965, 2008), rng.randint(1, 12), rng.randint(1, 28))
        people.append(
            Person(
                first_name=first,
                last_name=last,
                search_name=search_name(first, last),
                sex=sex,
                birth_date=birth,
                birth_year=birth.year,
                email=f"{i}.fictif@{DEMO_EMAIL_DOMAIN}",
                phone=f"0600{i:06d}",
                address=f"{rng.randint(1, 80)} rue Imaginaire",
                qpv=qpv,
                qpv_status="in" if qpv else "unknown",
                qpv_generation=2024 if qpv else None,
                education_level=rng.choice(["50", "41", "70", "00", "40"]),
                # Facts are three-valued: some asked (oui / non), some not yet (None, « non renseigné »).
                ft_registered=None if i % 11 == 0 else bool(i % 3),
                ft_registered_since=(now - dt.timedelta(days=rng.randint(30, 1200))).date()
                if i % 3 and i % 11
                else None,
                ft_category=rng.choice(["A", "A", "B", "C", "G", None]) if i % 3 and i % 11 else None,
                rsa=rng.choice(["non", "non", "non_majore", "majore", None]),
                rqth=None if i % 4 == 0 else i % 17 == 0,
                single_parent=None if i % 5 == 0 else i % 7 == 0,
                ass=None if i % 2 else False,
                aah=None if i % 2 else i % 19 == 0,
                student=None if i % 6 == 0 else False,
                in_training=None if i % 6 == 0 else False,
                retention_from=now - dt.timedelta(days=rng.randint(1, 300)),
            )  # fmt: skip
        )
    return people


def _addresses(people: list[Person]) -> None:
    """The fictitious addresses: 7 people in 10 inside a QPV (every QPV in turn), the others outside, in a QPV
    commune, and one in Fontanès (no QPV); the QPV answer is computed with the loaded perimeters."""
    addresses = demo_addresses()
    inside = [a for a in addresses if a.qpv_code]
    outside = [a for a in addresses if not a.qpv_code and a.insee_code != FONTANES]
    fontanes = [a for a in addresses if a.insee_code == FONTANES]
    perimeters = sorted({a.qpv_code for a in inside})
    streets = {code: [a for a in inside if a.qpv_code == code] for code in perimeters}
    chosen: list[DemoAddress] = []
    for i in range(len(people)):
        k = len([a for a in chosen if a.qpv_code])  # the k-th person inside: every perimeter in turn
        if i == 7 and fontanes:
            chosen.append(fontanes[0])
        elif (i % 10 < 7 or not outside) and perimeters:
            houses = streets[perimeters[k % len(perimeters)]]
            chosen.append(houses[(k // len(perimeters)) % len(houses)])
        else:
            chosen.append(outside[i % len(outside)])
    index = get_index()
    answers = index.locate_many(
        np.array([a.lon for a in chosen]), np.array([a.lat for a in chosen]), [a.insee_code for a in chosen]
    )
    qpvs = {q.code: q for q in QPV.objects.all()}
    today = timezone.localdate()
    for i, (person, address) in enumerate(zip(people, chosen, strict=True)):
        answer = index.answer(answers, i)
        person.address, person.postcode, person.city = address.line, address.postcode, address.city
        person.insee_code, person.lon, person.lat = address.insee_code, address.lon, address.lat
        person.qpv = qpvs.get(answer.qpv_code) if answer.qpv_code else None
        person.qpv_status = _QPV_STATUS.get(answer.status, "unknown") if not answer.near_boundary else "check"
        person.qpv_generation = answer.generation or (2024 if answer.status == "out" else None)
        person.qpv_checked_on = today


_QPV_STATUS = {"in": "in", "out": "out", "unknown": "unknown", "error": "error"}


def _pathways(plan: Plan, agents: dict[int, User], rng: random.Random, now: dt.datetime) -> None:
    pathways, reperages, assignments, events = [], [], [], []
    for i, (person, structure, state, since) in enumerate(plan):
        agent = agents[structure.pk]
        referent = agent if i % 5 else None  # one in five without referent: the alert has content
        contacted = state != PathwayState.SPOTTED
        last_contact = (
            working_moment(min(since + dt.timedelta(days=rng.randint(2, 30)), now - dt.timedelta(days=1)), i + 1)
            if contacted
            else None
        )
        pathways.append(Pathway(person=person, structure=structure, referent=referent, state=state, state_changed_at=since,
                                last_contact_at=last_contact, entered_on=since.date() if state == "en_parcours" else None))  # fmt: skip
        reperages.append(Reperage(person=person, channel=list(Channel)[i % len(Channel)], spotted_on=since.date(),
                                  place="Permanence", spotted_by=agent, structure=structure))  # fmt: skip
        events.append(
            TimelineEvent(
                person=person, at=since, kind="person.spotted", label="Repérage", actor=agent, structure=structure
            )
        )
        if referent:
            assignments.append(
                ReferentAssignment(
                    person=person, referent=referent, structure=structure, started_at=since, assigned_by=agent
                )
            )
            events.append(
                TimelineEvent(
                    person=person,
                    at=since,
                    kind="referent.assigned",
                    label=f"Référent unique : {referent}",
                    actor=agent,
                    structure=structure,
                )
            )
    Pathway.objects.bulk_create(pathways)
    Reperage.objects.bulk_create(reperages)
    ReferentAssignment.objects.bulk_create(assignments)
    TimelineEvent.objects.bulk_create(events)


def _work(
    plan: Plan,
    agents: dict[int, User],
    partners: list[Structure],
    schemes: list[Scheme],
    rng: random.Random,
    now: dt.datetime,
) -> None:
    contacts, freins, mobilisations, handoffs, exits, events = [], [], [], [], [], []
    for i, (person, structure, state, since) in enumerate(plan):
        agent = agents[structure.pk]
        if state == PathwayState.SPOTTED:
            continue
        at = working_moment(since + dt.timedelta(days=2), i + 1)  # since is 3 days old at least: still past
        contacts.append(Contact(person=person, kind=list(ContactKind)[i % len(ContactKind)], happened_at=at, by=agent,
                                structure=structure, initiated_by_person=i % 4 == 0, note="Note fictive de démonstration."))  # fmt: skip
        events.append(
            TimelineEvent(person=person, at=at, kind="contact", label="Rendez-vous", actor=agent, structure=structure)
        )
        theme = list(FreinTheme)[i % len(FreinTheme)]
        freins.append(
            Frein(person=person, theme=theme, structure=structure, state=rng.choice(["identifie", "en_cours", "leve"]))
        )
        if state in {"oriente", "en_parcours", "sorti"} and schemes:
            partner = partners[i % len(partners)]
            mob = Mobilisation(person=person, scheme=schemes[i % len(schemes)], structure=partner,
                               state="entree" if state != "oriente" else "orientee", entered_on=at.date() if state != "oriente" else None)  # fmt: skip
            mobilisations.append(mob)
            handoffs.append(_handoff(person, structure, partner, agent, agents[partner.pk], i, now))
        if state == PathwayState.EXITED:
            situation = list(ExitSituation)[i % 10]
            end = at.date() + dt.timedelta(days=240) if situation in {"cdd", "interim"} else None
            category = exit_category(situation, start=at.date(), contract_end=end)
            exits.append(
                Exit(
                    person=person,
                    exited_on=at.date(),
                    situation=situation,
                    contract_end_on=end,
                    category=category,
                    recorded_by=agent,
                )
            )
    Contact.objects.bulk_create(contacts)
    Frein.objects.bulk_create(freins)
    Mobilisation.objects.bulk_create(mobilisations)
    Handoff.objects.bulk_create(handoffs)
    Exit.objects.bulk_create(exits)
    FollowUp.objects.bulk_create(
        [FollowUp(exit=e, months=m, due_on=_add_months(e.exited_on, m)) for e in exits for m in FOLLOW_UP_MONTHS]
    )
    TimelineEvent.objects.bulk_create(events)


def _handoff(
    person: Person, source: Structure, target: Structure, sender: User, receiver: User, i: int, now: dt.datetime
) -> Handoff:
    """Hand-offs in every state; sent 1 to 40 days ago, so some are late to acknowledge or to meet."""
    sent = working_moment(now - dt.timedelta(days=1 + i % 40), i)
    state = [
        HandoffState.SENT,
        HandoffState.ACKNOWLEDGED,
        HandoffState.FIRST_MEETING,
        HandoffState.REFUSED,
        HandoffState.SENT,
    ][i % 5]
    handoff = Handoff(person=person, from_structure=source, to_structure=target, reason="Orientation fictive de démonstration.",
                      shared=["contact", "freins", "schemes"], sent_at=sent, sent_by=sender, state=state)  # fmt: skip
    if state in {HandoffState.ACKNOWLEDGED, HandoffState.FIRST_MEETING}:
        handoff.acknowledged_at, handoff.acknowledged_by = sent + dt.timedelta(hours=2), receiver  # the same day
    if state == HandoffState.FIRST_MEETING:
        meeting = working_day(min(sent.date() + dt.timedelta(days=5), timezone.localdate(now)))
        handoff.first_meeting_on, handoff.first_meeting_by = meeting, receiver
    if state == HandoffState.REFUSED:
        handoff.refused_at, handoff.refused_by, handoff.refusal_reason = (
            sent + dt.timedelta(hours=3),
            receiver,
            "Hors critères (démonstration).",
        )
    return handoff
