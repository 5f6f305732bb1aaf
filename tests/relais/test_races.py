"""One report per relais and month under a real race (PostgreSQL, two connections): two agents saving the first
version of the same month at the same moment get one report and one French conflict; two reviews of the same
report, one validation."""

from __future__ import annotations

import pytest

from citemploi.core.errors import Conflict, InvalidTransition
from citemploi.relais import services
from citemploi.relais.models import ActivityReport, ReportState
from citemploi.relais.values import ReportChanges
from tests.concurrency import postgres_only, together  # noqa: F401 (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]


def test_two_first_saves_of_the_same_month(world, last_month):
    def save(persona: str, n: int) -> object:
        return services.report_save(
            by=world.users[persona], relais=world.relais, month=last_month, version=0,
            changes=ReportChanges(appointments=n),
        )  # fmt: skip

    for _trial in range(5):
        ActivityReport.objects.all().delete()
        answers = together(lambda: save("referent", 1), lambda: save("colleague", 2))
        reports = [a for a in answers if isinstance(a, ActivityReport)]
        conflicts = [a for a in answers if isinstance(a, Conflict)]
        assert len(reports) == 1 and len(conflicts) == 1, answers
        assert "rechargez" in str(conflicts[0])
        assert ActivityReport.objects.count() == 1


def test_two_reviews_at_once_validate_once(world, last_month):
    report = ActivityReport.objects.create(relais=world.relais, month=last_month, state=ReportState.SUBMITTED)
    coordinator = world.users["coordinator"]
    answers = together(
        lambda: services.report_validate(by=coordinator, report=report, version=1),
        lambda: services.report_return(by=coordinator, report=report, version=1, comment="À revoir"),
    )
    assert sum(isinstance(a, ActivityReport) for a in answers) == 1
    assert sum(isinstance(a, (Conflict, InvalidTransition)) for a in answers) == 1
    assert ActivityReport.objects.get().version == 2
