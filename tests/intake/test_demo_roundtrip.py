"""Done-when of issue 12 §4b on the demo cohort itself: « the generated demo cohort exported to the template and
imported into an empty database gives the same timelines (same events, same dates, same states) ».

The demo (``citemploi.pathways.demo``, a smaller size: every state, every relais) is written by the pathways
services; its export (``export_workbook``) is analysed without a single refused row, the pathways tables are
emptied, the workbook is taken over by the coordinator, and each person's normalised timeline is compared."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.utils import timezone

from citemploi.accounts.demo import load_demo_accounts
from citemploi.accounts.models import Role, User
from citemploi.intake.history import analyse, apply, export_workbook
from citemploi.pathways.demo import STATES, load_demo
from citemploi.pathways.derivation import derive_state, facts_of
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person, TimelineEvent
from citemploi.territory.demo import load_demo_territory
from citemploi.territory.services import territory_load
from tests.intake.test_history_support import read_back, timelines

pytestmark = pytest.mark.django_db

SIZE = 48  # 6 people in each of the 8 states, 4 in each of the 12 relais


def _normalised(people) -> dict:
    """``timelines`` (records, states, dates, timeline kinds and days) plus the referent and its designation day."""
    result = timelines(people)
    local = timezone.localdate
    for p in people.select_related("pathway__referent").prefetch_related("referent_history__referent"):
        result[(p.last_name, p.first_name)]["referent"] = (
            p.pathway.referent and p.pathway.referent.email,
            sorted((a.referent.email, a.structure_id, local(a.started_at), a.ended_at) for a in p.referent_history.all()),
        )  # fmt: skip
    return result


def test_the_demo_cohort_round_trips_through_the_history_workbook(settings, tmp_path):
    settings.DEMO_MODE = True
    territory_load()
    load_demo_territory(stdout=io.StringIO())
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO(), size=SIZE)
    people = Person.objects.all()
    assert people.count() == SIZE
    for person in people.select_related("pathway"):  # the demo holds the states the product derives
        if person.pathway.state not in ("perdu_de_vue", "refus"):
            assert person.pathway.state == derive_state(facts_of(person.pk)), person
    before = _normalised(people)
    assert {h["pathway"][0] for h in before.values()} == set(STATES)
    coordinator = User.objects.filter(memberships__role=Role.COORDINATOR).order_by("pk").first()

    data = export_workbook(Person.objects.all())
    Person.objects.all().delete()
    assert not (TimelineEvent.objects.exists() or Contact.objects.exists() or Handoff.objects.exists())
    assert not Mobilisation.objects.exists()
    plan = analyse(read_back(data, tmp_path, "demo.xlsx"), by=coordinator)
    assert [(e.sheet, e.row, e.column, e.message) for e in plan.errors] == []  # no row contradicts the rules
    assert plan.counts["personnes"] == SIZE and plan.counts["personnes_en_erreur"] == 0
    with transaction.atomic():
        apply(plan, by=coordinator, source="demo.xlsx")

    after = _normalised(Person.objects.all())
    assert after.keys() == before.keys()
    for key, history in before.items():
        for part, value in history.items():
            assert after[key][part] == value, (key, part)
