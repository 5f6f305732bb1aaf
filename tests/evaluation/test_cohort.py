"""Done when: the 40-people cohort agrees exactly with the figures written next to it (SQLite and PostgreSQL)."""

import pytest

from citemploi.evaluation.registry import CONTRACT_IDS, compute_all
from tests.evaluation.cohort import EXPECTED, P

pytestmark = pytest.mark.django_db


def test_every_indicator_of_the_table_has_its_expected_value(cohort):
    results = compute_all(P, ids=CONTRACT_IDS)
    got = {id: (r.total.numerator, r.total.denominator, r.total.value) for id, r in results.items()}
    assert got == EXPECTED
    assert set(EXPECTED) == set(CONTRACT_IDS)


def test_breakdowns_group_the_same_rows(cohort):
    from citemploi.evaluation.registry import compute, get

    assert {k: c.value for k, c in compute(get("entered"), P, by="sex").groups.items()} == {"F": 21, "M": 7}
    spotted = {k: c.value for k, c in compute(get("spotted"), P, by="qpv").groups.items()}
    assert spotted == {"QN04299M": 5, "QN04298M": 1, "unknown": 23, "": 3}
    ages = {k: c.value for k, c in compute(get("entered"), P, by="age").groups.items()}
    assert ages == {"moins_26": 1, "26_49": 25, "50_plus": 2}
    relais = compute(get("entered"), P, by="structure").groups
    assert {k: c.value for k, c in relais.items()} == {"Relais emploi Montreynaud": 24, "Relais emploi Terrenoire": 4}
    publics = compute(get("entered"), P, by="public").groups
    assert publics["rsa"].value == 2 and publics["rqth"].value == 0
    rate = compute(get("contacted_within_30_days"), P, by="sex").groups
    assert (rate["M"].numerator, rate["M"].denominator) == (7, 7)  # p02 p04 p12 p26 p28 p36 p40


def test_the_qpv_scope_filters_the_people_at_entry(cohort):
    from citemploi.evaluation.registry import Scope, compute, get

    assert compute(get("entered"), P, scope=Scope(qpv="QN04299M")).total.value == 4  # p01–p04


def test_the_cli_prints_the_contract(cohort, capsys):
    import json

    from django.core.management import call_command

    call_command("indicators", "compute", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == list(CONTRACT_IDS)
    assert {k: (v["numerator"], v["denominator"], v["value"]) for k, v in payload.items()} == EXPECTED
    call_command("indicators", "compute", "--from", "2025-01-01", "--to", "2025-06-30", "--qpv", "QN04299M")
    assert json.loads(capsys.readouterr().out)["spotted"] == {"numerator": 5, "denominator": None, "value": 5}


def test_coordination_and_reseau_pour_l_emploi_counts(cohort):
    from citemploi.evaluation.registry import compute_all, indicators

    ids = [i.id for i in indicators() if not i.contract]
    got = {id: r.total.value for id, r in compute_all(P, ids=ids).items()}
    assert got == {
        "anct_actions": 0,
        "anct_events": 0,
        "anct_frein_actions": 6,  # freins identified in P
        "anct_frein_people": 5,  # p01 (two) p02 p04 p06 p11
        "anct_active_partners": 3,  # relais A and B (contacts), the Mission Locale (hand-offs, schemes)
        "anct_meetings": 28,  # one « rendez-vous » contact at each entry in P
        "rpe_delay_to_support": 0,  # the referent is designated on the repérage day
        "rpe_support_ruptures": 1,  # p30 « perdu de vue »
        "rpe_returns_to_employment": 8,  # p01 p04 p15 p17 p19 p27 p28 p29
        "rpe_durable_employment": 4,
        "rpe_priority_publics_share": 0.1071,  # RSA p01 p11, under 26 p04: 3/28
    }
