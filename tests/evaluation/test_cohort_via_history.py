"""Done when (issue 13): « the same cohort through the history import of the intake issue gives the same figures ».

The cohort of ``tests/evaluation/cohort.py`` is exported with the history workbook (``export_workbook``), the
pathways tables are emptied, the workbook is taken over by a coordinator (``analyse`` + ``apply``), and every
indicator of the contract table is computed again on P: it must give the figures written next to the cohort. The
breakdowns and the coordination counts that ``test_cohort.py`` checks are compared too, and the facts carried by
the optional columns of ``personnes`` (QPV at entry, priority publics, referent and its designation day).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from citemploi.evaluation.registry import CONTRACT_IDS, Scope, compute, compute_all, get, indicators
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


def test_the_breakdowns_group_the_same_rows(reimported):
    def values(id, by):
        return {k: c.value for k, c in compute(get(id), P, by=by).groups.items()}

    assert values("entered", "sex") == {"F": 21, "M": 7}
    assert values("entered", "age") == {"moins_26": 1, "26_49": 25, "50_plus": 2}
    assert values("entered", "structure") == {"Relais emploi Montreynaud": 24, "Relais emploi Terrenoire": 4}
    rate = compute(get("contacted_within_30_days"), P, by="sex").groups
    assert (rate["M"].numerator, rate["M"].denominator) == (7, 7)
    assert (rate["F"].numerator, rate["F"].denominator) == (16, 25)  # 23/32 in all


#: The coordination counts of ``test_cohort.py`` that the workbook carries (same values as there).
SURVIVING_COUNTS = {
    "anct_actions": 0,
    "anct_events": 0,
    "anct_frein_actions": 6,
    "anct_frein_people": 5,
    "anct_active_partners": 3,
    "anct_meetings": 28,
    "rpe_support_ruptures": 1,
    "rpe_returns_to_employment": 8,
    "rpe_durable_employment": 4,
}


def test_the_coordination_counts_the_workbook_carries(reimported):
    got = {id: r.total.value for id, r in compute_all(P, ids=list(SURVIVING_COUNTS)).items()}
    assert got == SURVIVING_COUNTS
    others = {i.id for i in indicators() if not i.contract} - set(SURVIVING_COUNTS)
    # every figure of test_cohort.py is accounted for: these two by the test below
    assert others == {"rpe_priority_publics_share", "rpe_delay_to_support"}


def _qpv_breakdown():
    spotted = {k: c.value for k, c in compute(get("spotted"), P, by="qpv").groups.items()}
    scoped = compute(get("entered"), P, scope=Scope(qpv="QN04299M")).total.value
    return spotted, scoped


def _priority_share():
    publics = compute(get("entered"), P, by="public").groups
    return publics["rsa"].value, compute_all(P, ids=["rpe_priority_publics_share"])[
        "rpe_priority_publics_share"
    ].total.value


def _delay_to_support():
    return compute_all(P, ids=["rpe_delay_to_support"])["rpe_delay_to_support"].total.value


def test_the_facts_of_the_optional_columns_survive_the_workbook(reimported):
    """QPV at entry (``qpv_entree``), the priority-public facts (``rsa``, ``inscrit_france_travail``…) and the
    referent (``referent``, ``date_referent``): the values ``test_cohort.py`` checks."""
    assert _qpv_breakdown() == ({"QN04299M": 5, "QN04298M": 1, "unknown": 23, "": 3}, 4)
    assert _priority_share() == (2, 0.1071)  # p01 and p11 (RSA), p04 (under 26): 3/28
    assert _delay_to_support() == 0


def test_the_history_import_stores_the_milestones_of_the_records(reimported):
    from tests.evaluation.test_milestones import recomputed, stored

    assert stored() == recomputed()
