"""Retention purge with time travel: everyone past the delay is anonymised, nobody else is touched, and the
aggregate counts by QPV and exit category are identical before and after."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.models import Contact, Person, RetentionRun
from citemploi.pathways.retention import retention_purge, statistics_snapshot
from citemploi.territory.models import QPV
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _qpv(code):
    return QPV.objects.get_or_create(code=code, defaults={"name": f"Quartier {code}"})[0]


def test_purge_with_time_travel(world):
    agent = world.users["referent"]
    now = timezone.now()
    old, recent, spotted_old, spotted_new = (
        make_person(by=agent, qpv=_qpv(c), email=f"{c}@exemple.test") for c in ("QN1", "QN2", "QN3", "QN4")
    )
    for person in (old, recent):
        services.contact_record(by=agent, person=person, kind="rdv", happened_at=now, note="note")
    services.exit_record(by=agent, person=old, exited_on=dt.date.today(), situation="cdi")
    # Time travel: the old person's clock and the old spotted record go back in time.
    Person.objects.filter(pk=old.pk).update(retention_from=now - dt.timedelta(days=800))
    Person.objects.filter(pk=spotted_old.pk).update(
        created_at=now - dt.timedelta(days=200), retention_from=now - dt.timedelta(days=200)
    )
    Person.objects.filter(pk=recent.pk).update(retention_from=now - dt.timedelta(days=600))
    before = statistics_snapshot()
    untouched = {p.pk: Person.objects.filter(pk=p.pk).values().get() for p in (recent, spotted_new)}

    dry = retention_purge(dry_run=True, now=now)
    assert (dry.anonymised, dry.deleted) == (1, 1)
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 0

    report = retention_purge(now=now)
    assert (report.anonymised, report.deleted) == (1, 1)
    for pk in (old.pk, spotted_old.pk):
        gone = Person.objects.get(pk=pk)
        assert gone.anonymised_at and gone.first_name == "Anonyme" and gone.email == "" and gone.birth_date is None
        assert gone.birth_year == 1998 and gone.qpv_id is not None
    assert Contact.objects.get(person=old).note == ""
    assert {p.pk: Person.objects.filter(pk=p.pk).values().get() for p in (recent, spotted_new)} == untouched
    assert statistics_snapshot() == before
    assert RetentionRun.objects.filter(dry_run=False).get().anonymised == 1
    # A second run finds nobody.
    assert retention_purge(now=now).anonymised == 0


def test_purge_command_dry_run(world, capsys):
    call_command("retention", "purge", "--dry-run")
    assert "Simulation" in capsys.readouterr().out
