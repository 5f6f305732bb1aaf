"""The test cohort of issue 13 (« Done when »): 40 people built through the services, on a clock set to each
event's day, with the expected value of every indicator of the contract table written next to it.

Period P = 1 January – 30 June 2025. Relais A (« referent ») and relais B (« outsider ») follow the people; the
Mission Locale (« ml_referent ») receives the hand-offs. The hand-off delay setting is the default (5 working days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from citemploi.evaluation.periods import Period
from citemploi.pathways import services
from citemploi.pathways.models import Handoff, Person, ReferentAssignment
from citemploi.pathways.states import FreinState, MobilisationState
from citemploi.territory.models import QPV
from tests.factories.pathways import make_person, scheme

P = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
D = dt.date

#: The expected figures of the contract table on P (hand-computed from the cohort below; see each person).
EXPECTED = {
    "spotted": (32, None, 32),
    "entered": (28, None, 28),
    "active_at_end": (18, None, 18),
    "contacted_within_30_days": (23, 32, 0.7188),
    "median_days_to_first_contact": (25, None, 2),
    "handoffs_sent": (10, None, 10),
    "handoffs_acknowledged_in_time": (4, 10, 0.4),
    "median_days_handoff_to_first_meeting": (4, None, 15),
    "handoffs_lost": (2, 10, 0.2),
    "droit_commun_6_months": (4, 28, 0.1429),
    "droit_commun_12_months": (6, 28, 0.2143),
    "employment_access_6_months": (7, 28, 0.25),
    "exits": (13, None, 13),
    "durable_exit_rate": (4, 11, 0.3636),
    "dynamic_exit_rate": (9, 11, 0.8182),
    "freins_lifted_rate": (2, 6, 0.3333),
}


class Clock:
    """``timezone.now`` pinned to noon (UTC) of a chosen day; the hand-off and referent timestamps follow it."""

    def __init__(self, monkeypatch) -> None:
        self.at = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.at)
        for model, name in ((Handoff, "sent_at"), (ReferentAssignment, "started_at")):
            monkeypatch.setattr(model._meta.get_field(name), "_get_default", lambda: self.at)

    def set(self, day: dt.date) -> None:
        self.at = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


@dataclass
class Cohort:
    world: object
    ml: object
    clock: Clock
    people: dict[str, Person] = field(default_factory=dict)
    handoffs: dict[str, Handoff] = field(default_factory=dict)

    def user(self, name: str):
        return self.world.users[name]

    def person(self, key, spotted, contact=None, *, relais="A", sex="F", birth=None, qpv=None, **facts):
        by = self.user("referent" if relais == "A" else "outsider")
        self.clock.set(spotted)
        birth = birth or D(1990, 6, 15)
        person = make_person(by=by, spotted_on=spotted, sex=sex, birth_date=birth, **facts)
        if contact is not None:
            self.clock.set(contact)
            services.contact_record(by=by, person=person, kind="rdv", happened_at=self.clock.at)
        if qpv is not None:  # the QPV answer at entry, as the geocoder gives it
            Person.objects.filter(pk=person.pk).update(qpv_entry=QPV.objects.get(code=qpv), qpv_entry_status="in")
        self.people[key] = Person.objects.get(pk=person.pk)
        return self.people[key]

    def by(self, key):
        pathway = self.people[key].pathway
        return self.user("referent" if pathway.structure_id == self.world.relais.pk else "outsider")

    def handoff(self, key, sent, *, ack=None, meeting=None, refused=None, to=None):
        person = self.people[key]
        self.clock.set(sent)
        handoff = services.handoff_send(
            by=self.by(key), person=person, to_structure=to or self.ml, reason="Orientation", shared=["contact"]
        )
        receiver = self.user("ml_referent")
        if ack:
            self.clock.set(ack)
            services.handoff_acknowledge(by=receiver, handoff=handoff)
        if meeting:
            self.clock.set(meeting)
            services.handoff_first_meeting(by=receiver, handoff=handoff, met_on=meeting)
        if refused:
            self.clock.set(refused)
            services.handoff_refuse(by=receiver, handoff=handoff, reason="Hors de notre champ")
        self.handoffs[key] = handoff

    def expire(self, day):
        self.clock.set(day)
        services.handoffs_expire()

    def scheme_entered(self, key, day, *, then=None, then_on=None, enter=True):
        by = self.by(key)
        self.clock.set(day)
        mobilisation = services.mobilisation_propose(
            by=by, person=self.people[key], scheme=scheme("cej"), structure=self.ml
        )
        if not enter:
            return
        for target in (MobilisationState.ORIENTED, MobilisationState.ACCEPTED, MobilisationState.ENTERED):
            mobilisation = services.mobilisation_transition(by=by, mobilisation=mobilisation, target=target)
        if then:
            self.clock.set(then_on)
            services.mobilisation_transition(by=by, mobilisation=mobilisation, target=then)

    def exit(self, key, day, situation, *, start=None, end=None):
        self.clock.set(day)
        person = Person.objects.get(pk=self.people[key].pk)
        services.exit_record(
            by=self.by(key), person=person, exited_on=day, situation=situation, contract_start_on=start,
            contract_end_on=end,
        )  # fmt: skip

    def frein(self, key, identified, *, closed=None, state=FreinState.LIFTED, theme="mobilite"):
        by = self.by(key)
        self.clock.set(identified)
        frein = services.frein_identify(by=by, person=self.people[key], theme=theme, identified_on=identified)
        if closed:
            self.clock.set(closed)
            services.frein_transition(by=by, frein=frein, target=state)


def build(world, ml, clock) -> Cohort:
    """The 40 people. S = first repérage, E = entry (first contact); ✓ / ✗ = counted or not in a numerator."""
    c = Cohort(world, ml, clock)
    # --- people (spotted in P: 32; entered in P: 28; contact gap E − S for the 30-day rate and the median) -------
    c.person("p01", D(2025, 1, 6), D(2025, 1, 10), qpv="QN04299M", rsa="non_majore")  # gap 4 ✓
    c.person("p02", D(2025, 1, 6), D(2025, 2, 5), qpv="QN04299M", sex="M")  # gap 30 ✓ (limit)
    c.person("p03", D(2025, 1, 6), D(2025, 2, 6), qpv="QN04299M")  # gap 31 ✗
    c.person("p04", D(2025, 2, 3), D(2025, 2, 3), qpv="QN04299M", sex="M", birth=D(2003, 1, 1))  # gap 0 ✓
    c.person("p05", D(2025, 2, 10), qpv="QN04299M")  # never contacted ✗ (not entered)
    c.person("p06", D(2025, 3, 3), D(2025, 3, 13), qpv="QN04298M")  # gap 10 ✓
    c.person("p07", D(2025, 6, 20), D(2025, 7, 15))  # gap 25 ✓ (contact after P counts); not in the median (E > to)
    c.person("p08", D(2025, 6, 25), D(2025, 8, 1))  # gap 37 ✗
    c.person("p09", D(2024, 11, 4), D(2025, 1, 15))  # spotted before P, entered in P
    c.person("p10", D(2024, 10, 1), D(2024, 12, 1))  # entered before P
    c.person("p11", D(2025, 4, 1), D(2025, 4, 11), rsa="majore")  # gap 10 ✓
    c.person("p12", D(2025, 5, 5), D(2025, 5, 25), sex="M")  # gap 20 ✓
    c.person("p13", D(2025, 7, 2), D(2025, 7, 3))  # after P: in nothing
    c.person("p14", D(2025, 3, 10), relais="B")  # never contacted ✗
    c.person("p15", D(2025, 1, 20), D(2025, 1, 21))  # gap 1 ✓
    c.person("p16", D(2025, 2, 14), D(2025, 3, 1))  # gap 15 ✓
    c.person("p17", D(2024, 12, 15), D(2025, 1, 5))  # spotted before P, entered in P
    c.person("p18", D(2025, 3, 20), D(2025, 4, 1))  # gap 12 ✓
    c.person("p19", D(2025, 4, 15), D(2025, 5, 20), relais="B")  # gap 35 ✗
    c.person("p20", D(2025, 5, 12), D(2025, 5, 13))  # gap 1 ✓
    c.person("p21", D(2025, 3, 28), D(2025, 3, 31))  # gap 3 ✓
    c.person("p22", D(2025, 4, 28), D(2025, 4, 30))  # gap 2 ✓
    c.person("p23", D(2025, 5, 19), D(2025, 5, 20), relais="B")  # gap 1 ✓
    c.person("p24", D(2024, 9, 1), D(2024, 9, 10))  # entered before P
    c.person("p25", D(2024, 6, 3), D(2024, 6, 5))  # entered before P, exited before P
    c.person("p26", D(2025, 1, 13), D(2025, 1, 14), relais="B", sex="M")  # gap 1 ✓
    c.person("p27", D(2025, 2, 17), D(2025, 2, 18))  # gap 1 ✓
    c.person("p28", D(2025, 2, 17), D(2025, 2, 18), sex="M", birth=D(1970, 3, 1))  # gap 1 ✓
    c.person("p29", D(2025, 3, 3), D(2025, 3, 4))  # gap 1 ✓
    c.person("p30", D(2025, 1, 6), D(2025, 1, 8))  # gap 2 ✓
    c.person("p31", D(2025, 6, 30))  # spotted on the last day, never contacted ✗
    c.person("p32", D(2024, 12, 31), D(2025, 1, 2))  # spotted the day before P, entered in P
    c.person("p33", D(2025, 1, 1), D(2025, 1, 31))  # gap 30 ✓ (spotted on the first day)
    c.person("p34", D(2025, 2, 1), D(2025, 6, 30), relais="B")  # gap 149 ✗, entered on the last day
    c.person("p35", D(2025, 3, 15), D(2025, 7, 1))  # gap 108 ✗, entered after P
    c.person("p36", D(2025, 4, 10), D(2025, 4, 10), sex="M")  # gap 0 ✓
    c.person("p37", D(2025, 5, 1), D(2025, 5, 2))  # gap 1 ✓
    c.person("p38", D(2025, 5, 1))  # never contacted ✗
    c.person("p39", D(2023, 5, 1), D(2023, 5, 10))  # entered long before P, still followed
    c.person("p40", D(2025, 6, 1), D(2025, 6, 2), sex="M", birth=D(1960, 1, 1))  # gap 1 ✓
    # spotted in P: all but p09 p10 p13 p17 p24 p25 p32 p39 → 32; contacted ≤ 30 days: 32 − 9 ✗ = 23 → 0.7188.
    # median (25 values, E ≤ 30/06): 0 0 1×9 2 2 3 4 10 10 12 15 20 30 30 31 35 149 → the 13th = 2.

    # --- hand-offs to the Mission Locale (sent in P: 10; allowance from a Monday/Friday: 7 days, Saturday: 6) ---
    c.handoff("p01", D(2025, 1, 13), ack=D(2025, 1, 20), meeting=D(2025, 1, 27))  # Mon, ack +7 ✓, meeting 14 d
    c.handoff("p02", D(2025, 2, 7), ack=D(2025, 2, 14), meeting=D(2025, 2, 17))  # Fri, ack +7 ✓, meeting 10 d
    c.handoff("p04", D(2025, 2, 5), ack=D(2025, 2, 13), meeting=D(2025, 3, 5))  # Wed, ack +8 ✗, meeting 28 d
    c.handoff("p06", D(2025, 3, 15), ack=D(2025, 3, 21))  # Saturday, ack +6 ✓ (5th working day = Friday)
    c.handoff("p11", D(2025, 4, 14), refused=D(2025, 4, 16))  # refused ≤ to: lost
    c.handoff("p12", D(2025, 6, 2))  # no answer, expired 15/07 (after P): not lost at the end of P
    c.handoff("p15", D(2025, 1, 27), ack=D(2025, 2, 10), meeting=D(2025, 2, 12))  # ack +14 ✗, meeting 16 d
    c.handoff("p16", D(2025, 6, 23), ack=D(2025, 6, 30), meeting=D(2025, 7, 3))  # ack +7 ✓; meeting after P
    c.handoff("p10", D(2024, 12, 10), ack=D(2024, 12, 11))  # sent before P
    c.handoff("p18", D(2025, 5, 15), refused=D(2025, 7, 10))  # refused after P: not lost at the end of P
    c.handoff("p17", D(2025, 2, 3))  # no answer, expired 10/03: lost
    # acknowledged in time: p01 p02 p06 p16 → 4/10; lost: p11 p17 → 2/10; median of 10 14 16 28 = 15.

    # --- droit commun (entered in P: 28): scheme entered within 6 / 12 calendar months of the entry -----------
    c.scheme_entered("p01", D(2025, 3, 1))  # ✓6 ✓12
    c.scheme_entered("p02", D(2025, 8, 5))  # E 05/02 + 6 months = 05/08 ✓6 (limit) ✓12
    c.scheme_entered("p09", D(2025, 2, 1), then=MobilisationState.ABANDONED, then_on=D(2025, 3, 1))  # ✓6 ✓12
    c.scheme_entered("p21", D(2025, 9, 30))  # E 31/03 + 6 months = 30/09 (last day of September) ✓6 ✓12
    c.scheme_entered("p22", D(2025, 10, 31))  # E 30/04 + 6 months = 30/10 ✗6, ✓12
    c.scheme_entered("p11", D(2026, 4, 11))  # E 11/04/2025 + 12 months = 11/04/2026 ✗6, ✓12 (limit)
    c.scheme_entered("p06", D(2026, 3, 14))  # E 13/03/2025 + 12 months = 13/03/2026 ✗6 ✗12
    c.scheme_entered("p23", D(2025, 5, 21), enter=False)  # proposed, never entered ✗
    # 6 months: 4/28 = 0.1429; 12 months: 6/28 = 0.2143.

    # --- freins (identified in P: 6) --------------------------------------------------------------------------
    c.frein("p01", D(2025, 1, 10), closed=D(2025, 3, 1))  # lifted ✓
    c.frein("p01", D(2025, 1, 10), theme="numerique")  # open ✗
    c.frein("p02", D(2025, 2, 5), closed=D(2025, 7, 15))  # lifted after P ✗
    c.frein("p04", D(2025, 2, 3), closed=D(2025, 2, 20), state=FreinState.NOT_LIFTABLE)  # not liftable ✗
    c.frein("p06", D(2025, 3, 13), closed=D(2025, 4, 1), state=FreinState.IN_PROGRESS)  # in progress ✗
    c.frein("p10", D(2024, 12, 1), closed=D(2025, 1, 10))  # identified before P
    c.frein("p11", D(2025, 4, 11), closed=D(2025, 6, 30))  # lifted on the last day ✓
    # 2/6 = 0.3333.

    # --- exits (dated in P: 13, of which neutral 2) and access to employment (contract ≥ 30 days within 6 months)
    c.exit("p01", D(2025, 4, 10), "cdi")  # durable; job ✓
    c.exit("p04", D(2025, 3, 20), "cdd", start=D(2025, 3, 24), end=D(2025, 9, 23))  # end+1 = start+6m: durable; ✓
    c.exit("p15", D(2025, 5, 2), "cdd", end=D(2025, 11, 1))  # start = exit date; 02/05 → 01/11: durable; ✓
    c.exit("p17", D(2025, 6, 1), "cdd", start=D(2025, 6, 1), end=D(2025, 11, 29))  # one day short: transition; ✓
    c.exit("p19", D(2025, 6, 15), "interim", start=D(2025, 6, 16), end=D(2025, 7, 10))  # transition; 25 days ✗
    c.exit("p20", D(2025, 6, 20), "formation")  # sortie positive; not a job ✗
    c.exit("p03", D(2025, 3, 15), "chomage")  # autre ✗
    c.exit("p10", D(2025, 2, 28), "demenagement")  # neutral (entered before P)
    c.exit("p24", D(2025, 1, 31), "sante")  # neutral (entered before P)
    c.exit("p25", D(2024, 12, 20), "cdi")  # before P
    c.exit("p26", D(2025, 7, 5), "cdi")  # after P: not an exit of P, still active at its end; job ✓ (within 6 m)
    c.exit("p27", D(2025, 5, 5), "cdd", start=D(2025, 5, 5), end=D(2025, 6, 3))  # transition; 30 days ✓ (limit)
    c.exit("p28", D(2025, 5, 5), "cdd", start=D(2025, 5, 5), end=D(2025, 6, 2))  # transition; 29 days ✗
    c.exit("p29", D(2025, 6, 10), "titularisation")  # durable; ✓
    c.exit("p30", D(2025, 3, 31), "perdu_de_vue")  # autre ✗
    c.exit("p09", D(2025, 9, 1), "creation")  # after P; E 15/01 + 6 months = 15/07 < 01/09 ✗
    # durable 4/11 = 0.3636; dynamic (4 durable + 4 transition + 1 positive) 9/11 = 0.8182; jobs 7/28 = 0.25.
    # active at the end: entered ≤ 30/06 (28 + p10 p24 p25 p39 = 32) − exited ≤ 30/06 (14) = 18.

    c.expire(D(2025, 3, 10))  # p17's hand-off (sent 03/02) expires
    c.expire(D(2025, 7, 15))  # p12's hand-off (sent 02/06) expires after P
    return c
