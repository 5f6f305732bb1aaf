"""Done-when of issue 12 §4b: a cohort exported with the template's shape and taken over into an empty database
gives the same timelines — same events, same dates, same states (XLSX, and the same workbook as a ZIP of CSV)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from citemploi.intake.history import analyse, apply, export_workbook
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person, TimelineEvent
from tests.intake.test_history_support import build_cohort, partners, read_back, timelines, zip_of_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("container", ["xlsx", "zip"])
def test_exported_cohort_taken_over_gives_the_same_timelines(world, tmp_path, container):
    coordinator = world.users["coordinator"]
    build_cohort(by=coordinator, relais=[world.relais, world.other_relais], partner_list=partners())
    before = timelines(Person.objects.all())
    states = {h["pathway"][0] for h in before.values()}
    assert {"repere", "contacte", "diagnostique", "oriente", "en_parcours", "sorti"} <= states
    data = export_workbook(Person.objects.all())
    if container == "zip":
        data, name = zip_of_csv(data), "suivi.zip"
    else:
        name = "suivi.xlsx"
    Person.objects.all().delete()
    assert not (TimelineEvent.objects.exists() or Contact.objects.exists() or Handoff.objects.exists())
    assert not Mobilisation.objects.exists()

    plan = analyse(read_back(data, tmp_path, name), by=coordinator)
    assert plan.errors == []
    assert plan.counts["personnes"] == len(before)
    with transaction.atomic():
        created = apply(plan, by=coordinator, source=name)

    after = timelines(Person.objects.all())
    assert after.keys() == before.keys()
    for key, history in before.items():
        for part, value in history.items():
            assert after[key][part] == value, (key, part)
    stamp = f"repris de {name} le {timezone.localdate():%d/%m/%Y}"
    labels = list(TimelineEvent.objects.values_list("label", flat=True))
    assert labels and all(label.endswith(stamp) for label in labels)
    assert {type(o).__name__ for o in created} >= {"Person", "Pathway", "Reperage", "Contact", "TimelineEvent"}
    assert sum(isinstance(o, Person) for o in created) == len(before)
