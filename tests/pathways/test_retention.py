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


# --- Nothing of the purged identity is left anywhere in the database (issue 9 items 4 and 14) ----------------

IDENTITY = {
    "first_name": "Ambroisine",
    "last_name": "Quelennec",
    "email": "ambroisine.quelennec@exemple.test",
    "phone": "0698765432",
}
NOTE = "Confidence XQZ sur ses dettes"


def _database_hits(needles: list[str]) -> list[str]:
    """Every (table, column, needle) where a needle appears in any column of any table, on SQLite or PostgreSQL."""
    from django.db import connection

    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608 - names from the catalogue
            columns = [description[0] for description in cursor.description]
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",  # noqa: S608
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column}: {needle}")
    return hits


def _followed_and_registered(world):
    from citemploi.core.access import log_access
    from citemploi.pathways.registrations import person_registration_add
    from tests.factories.partners import ActionFactory

    agent = world.users["referent"]
    person = make_person(by=agent, **IDENTITY, rqth=True, address="3 rue des Tilleuls")
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(first_name="Ambroisine-Marie", justice=True)
    )
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now(), note=NOTE)
    services.frein_identify(by=agent, person=person, theme="sante", comment=NOTE)
    services.handoff_send(by=agent, person=person, to_structure=world.other_relais, reason=NOTE, shared=[])
    action = ActionFactory(carrier=world.relais)
    person_registration_add(by=agent, action=action, **IDENTITY, person_id=person.public_id)
    log_access(user=world.users["outsider"], record=Person.objects.get(pk=person.pk), reason="orientation reçue")
    return person, action


@pytest.mark.parametrize("spotted_only", [False, True], ids=["inactive", "never-accompanied"])
def test_after_the_purge_the_whole_database_holds_no_trace_of_the_person(world, spotted_only):
    person, action = _followed_and_registered(world)
    needles = [*IDENTITY.values(), NOTE]
    assert _database_hits(needles)  # the search does find them before the purge
    now = timezone.now()
    old = now - dt.timedelta(days=900)
    Person.objects.filter(pk=person.pk).update(retention_from=old, created_at=old)
    if spotted_only:
        Contact.objects.filter(person=person).delete()
        person.pathway.__class__.objects.filter(person=person).update(state="repere")
    report = retention_purge(now=now)
    assert (report.deleted, report.anonymised) == ((1, 0) if spotted_only else (0, 1))
    assert _database_hits(needles) == []
    assert action.registrations.count() == 1  # the action keeps its counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_whole_database_search_also_holds_on_postgresql(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    test_after_the_purge_the_whole_database_holds_no_trace_of_the_person(world, spotted_only=False)


def test_the_purge_also_scrubs_a_record_merged_into_the_purged_one(world):
    from citemploi.core.access import log_access

    agent = world.users["referent"]
    keep = make_person(by=agent, first_name="Ambroisine", last_name="Quelennec")
    absorb = make_person(by=agent, first_name="Ambroisyne", last_name="Quelenec", phone="0611223344")
    log_access(user=world.users["outsider"], record=absorb)
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    needles = ["Ambroisyne", "Quelenec", "0611223344"]
    assert _database_hits(needles)
    old = timezone.now() - dt.timedelta(days=900)
    Person.objects.filter(pk=keep.pk).update(retention_from=old, created_at=old)
    retention_purge(now=timezone.now())
    assert _database_hits(needles) == []
