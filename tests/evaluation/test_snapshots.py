"""Reproducible periods: a snapshot keeps the figures; a later change inside a window shows « révisé »."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from citemploi.core.errors import PermissionDenied
from citemploi.evaluation.models import Snapshot
from citemploi.evaluation.registry import compute_all
from citemploi.evaluation.snapshots import latest_snapshot, revisions, snapshot_take
from citemploi.pathways import services
from tests.conftest import login_client
from tests.evaluation.cohort import EXPECTED, P

pytestmark = pytest.mark.django_db


def test_a_snapshot_keeps_the_figures_and_a_late_event_revises_them(cohort, world):
    snapshot = snapshot_take(by=world.users["coordinator"], period=P)
    assert {k: tuple(snapshot.figures[k].values()) for k in EXPECTED} == EXPECTED
    assert revisions(latest_snapshot(P), compute_all(P)) == {}  # computed again: the same numbers
    # A late record inside a window: p12 (entered 25/05/2025) enters a scheme on 01/08/2025 (within 6 months).
    cohort.clock.set(dt.date(2025, 8, 1))
    person = cohort.people["p12"]
    services.mobilisation_propose(by=cohort.by("p12"), person=person, scheme=_cej(), structure=cohort.ml)
    mobilisation = person.mobilisations.get()
    for target in ("orientee", "acceptee", "entree"):
        services.mobilisation_transition(by=cohort.by("p12"), mobilisation=mobilisation, target=target)
    revised = revisions(latest_snapshot(P), compute_all(P))
    assert set(revised) == {"droit_commun_6_months", "droit_commun_12_months"}
    assert revised["droit_commun_6_months"].was == {"numerator": 4, "denominator": 28, "value": 0.1429}
    cohort.clock.set(dt.date(2026, 12, 1))
    html = login_client(world.users["coordinator"]).get(
        reverse("evaluation:dashboard"), {"kind": "range", "start": "2025-01-01", "end": "2025-06-30"}
    )
    assert "révisé" in html.content.decode()


def _cej():
    from tests.factories.pathways import scheme

    return scheme("cej")


def test_only_the_coordinator_or_the_operator_takes_a_snapshot(world):
    with pytest.raises(PermissionDenied):
        snapshot_take(by=world.users["state_copilot"], period=P)
    assert not Snapshot.objects.exists()
    call_command("indicators", "snapshot", "--from", "2025-01-01", "--to", "2025-06-30")
    assert Snapshot.objects.get().taken_by is None
