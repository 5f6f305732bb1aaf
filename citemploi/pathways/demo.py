"""Demo cohort: about 300 clearly fictitious people (Faker fr_FR, seeded) across the QPV and the 12 relais, with
pathways in every state, hand-offs on time and late, exits and follow-ups, so every screen and alert has content.
Their addresses are the demo's fictitious addresses (citemploi.territory.demo: most inside a QPV, some outside,
one in Fontanès), located with the loaded perimeters. Each relais's people have that relais's own agent as
referent; every dated event falls on a working day, in office hours, and none is later than yesterday.

Every record is written by the pathways services (``demo_stories``), each event at its past date inside a replay
(``citemploi.pathways.replay``: timeline lines end with « — données de démonstration », no notification is
sent): the demo obeys the product's rules — the states are those the product derives, and the cohort exported
with the history workbook is taken over without a single refused row (tests/intake/test_demo_roundtrip.py).
Idempotent: nothing is added when the demo cohort exists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from io import TextIOBase

import numpy as np
from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone
from faker import Faker

from citemploi.accounts.models import CASEWORK_ROLES, Structure, StructureKind, User
from citemploi.pathways.demo_appointments import plan_demo_appointments
from citemploi.pathways.demo_stories import Cast, tell_story, working_day
from citemploi.pathways.models import Person
from citemploi.pathways.replay import replaying
from citemploi.pathways.services.inputs import PersonFields
from citemploi.pathways.services.locating import Located
from citemploi.pathways.states import PathwayState
from citemploi.schemes.models import Scheme
from citemploi.territory.demo import FONTANES, DemoAddress, demo_addresses
from citemploi.territory.lookup import get_index

DEMO_EMAIL_DOMAIN = "demo-personne.invalid"
#: The note every timeline line of the demo ends with (``citemploi.pathways.replay``).
DEMO_NOTE = "données de démonstration"
SIZE = 300
STATES = [s.value for s in PathwayState]
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


@transaction.atomic
def load_demo(*, stdout: TextIOBase, size: int = SIZE) -> None:
    """Create the demo cohort of ``size`` people (skipped when it already exists)."""
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
    agents = {s.pk: _agent_of(s, fallback) for s in relais + partners}
    schemes = list(Scheme.objects.filter(code__in=["cej", "iae", "pec", "plie", "mission_locale", "apprentissage"]))
    people = _people(fake, rng, now, size)
    located = _addresses(people)
    cast = Cast(agents=agents, partners=partners, schemes=schemes, today=timezone.localdate(now))
    # No audit entries for generated data (as before, when the demo was bulk-inserted): a third of the load time.
    with replaying(DEMO_NOTE), disable_auditlog():
        for i, (fields, answer) in enumerate(zip(people, located, strict=True)):
            structure = relais[i % len(relais)]
            state = STATES[i % len(STATES)]
            earliest = 3 if state == PathwayState.SPOTTED else 60  # room for the story before yesterday
            spotted = working_day(cast.today - dt.timedelta(days=rng.randint(earliest, 400)))
            tell_story(cast, i=i, fields=fields, located=answer, structure=structure, state=state, spotted=spotted,
                       rng=rng)  # fmt: skip
    plan_demo_appointments(now=now)  # the agenda and « rendez-vous prévu » alerts (issue 10, item 7)
    stdout.write(f"Démo parcours : {len(people)} personnes fictives.\n")


def _people(fake: Faker, rng: random.Random, now: dt.datetime, size: int) -> list[PersonFields]:
    people = []
    for i in range(size):
        sex = rng.choice("FM")
        first = fake.first_name_female() if sex == "F" else fake.first_name_male()
        last = fake.last_name()
        birth = dt.date(rng.randint(1965, 2006), rng.randint(1, 12), rng.randint(1, 28))
        people.append(
            PersonFields(
                first_name=first,
                last_name=last,
                sex=sex,
                birth_date=birth,
                email=f"{i}.fictif@{DEMO_EMAIL_DOMAIN}",
                phone=f"+33600{i:06d}",  # E.164, as the forms and the imports store it
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
            )  # fmt: skip
        )
    return people


def _addresses(people: list[PersonFields]) -> list[Located]:
    """The fictitious addresses: 7 people in 10 inside a QPV (every QPV in turn), the others outside, in a QPV
    commune, and one in Fontanès (no QPV); the QPV answer is computed with the loaded perimeters, in one batch.
    The people's fields get the address (replaced in ``people``)."""
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
    located = []
    for i, address in enumerate(chosen):
        answer = index.answer(answers, i)
        people[i] = dataclasses.replace(people[i], address=address.line, postcode=address.postcode, city=address.city)
        status = _QPV_STATUS.get(answer.status, "unknown") if not answer.near_boundary else "check"
        generation = answer.generation or (2024 if answer.status == "out" else None)
        located.append(Located(status, answer.qpv_code or "", generation, address.lon, address.lat, address.insee_code))
    return located


_QPV_STATUS = {"in": "in", "out": "out", "unknown": "unknown", "error": "error"}
