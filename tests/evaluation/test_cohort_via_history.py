"""Done when (issue 13): « the same cohort through the history import of the intake issue gives the same figures ».

The cohort of ``tests/evaluation/cohort.py`` is exported with the history workbook (``export_workbook``), the
pathways tables are emptied, the workbook is taken over by a coordinator (``analyse`` + ``apply``), and every
indicator of the contract table is computed again on P: it must give the figures written next to the cohort.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from citemploi.evaluation.registry import CONTRACT_IDS, compute, compute_all, get
from citemploi.intake.history import analyse, apply, export_workbook
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person, TimelineEvent
from tests.evaluation.cohort import EXPECTED, P
from tests.intake.test_history_support import read_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def reimported(cohort, world, tmp_path):
    """The cohort after its round trip through the history workbook."""
    coordinator = world.users["coordinator"]
    data = export_workbook(Person.objects.all())
    Person.objects.all().delete()
    assert not (TimelineEvent.objects.exists() or Contact.objects.exists() or Handoff.objects.exists())
    assert not Mobilisation.objects.exists()
    plan = analyse(read_back(data, tmp_path, "suivi.xlsx"), by=coordinator)
    assert plan.errors == []
    assert plan.counts["personnes"] == len(cohort.people)
    with transaction.atomic():
        apply(plan, by=coordinator, source="suivi.xlsx")
    assert Person.objects.count() == len(cohort.people)
    return cohort


def _figures(ids):
    return {id: (r.total.numerator, r.total.denominator, r.total.value) for id, r in compute_all(P, ids=ids).items()}


def test_every_contract_indicator_survives_the_workbook(reimported):
    assert set(EXPECTED) == set(CONTRACT_IDS)
    assert _figures(CONTRACT_IDS) == EXPECTED
