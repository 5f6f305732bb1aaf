"""One report per relais and month under a real race (PostgreSQL, two connections): two agents saving the first
version of the same month at the same moment get one report and one French conflict; two reviews of the same
report, one validation."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from citemploi.core.errors import Conflict, InvalidTransition
from citemploi.relais import services
from citemploi.relais.models import ActivityReport, ReportState
from citemploi.relais.values import ReportChanges

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrence réelle : PostgreSQL seulement")


def _together(*calls: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # the test looks at what each side got
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_first_saves_of_the_same_month(world, last_month):
    def save(persona: str, n: int) -> object:
        return services.report_save(
            by=world.users[persona], relais=world.relais, month=last_month, version=0,
            changes=ReportChanges(appointments=n),
        )  # fmt: skip

    for _trial in range(5):
        ActivityReport.objects.all().delete()
        answers = _together(lambda: save("referent", 1), lambda: save("colleague", 2))
        reports = [a for a in answers if isinstance(a, ActivityReport)]
        conflicts = [a for a in answers if isinstance(a, Conflict)]
        assert len(reports) == 1 and len(conflicts) == 1, answers
        assert "rechargez" in str(conflicts[0])
        assert ActivityReport.objects.count() == 1


def test_two_reviews_at_once_validate_once(world, last_month):
    report = ActivityReport.objects.create(relais=world.relais, month=last_month, state=ReportState.SUBMITTED)
    coordinator = world.users["coordinator"]
    answers = _together(
        lambda: services.report_validate(by=coordinator, report=report, version=1),
        lambda: services.report_return(by=coordinator, report=report, version=1, comment="À revoir"),
    )
    assert sum(isinstance(a, ActivityReport) for a in answers) == 1
    assert sum(isinstance(a, (Conflict, InvalidTransition)) for a in answers) == 1
    assert ActivityReport.objects.get().version == 2
