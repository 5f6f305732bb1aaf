"""Computed figures are kept until the data changes (citemploi/core/freshness.py): whatever writes a watched table —
a service, ``QuerySet.update()``, a bulk insert, a delete, raw SQL — changes the data version, so a kept figure is
never shown after the data it was computed from changed; on PostgreSQL a transaction's write counts once it
commits, and writers never wait for one another."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from citemploi.accounts.models import Structure
from citemploi.core import freshness
from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import compute, compute_all, get
from citemploi.pathways.models import Person, Reperage
from tests.concurrency import postgres_only, together  # noqa: F401 (fixture)
from tests.factories.accounts import StructureFactory
from tests.factories.pathways import make_person

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year")


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'core_data_change'")
            return {name.strip('"') for (name,) in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'core_data%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_every_watched_table_has_its_trigger():
    tables = freshness.watched_tables()
    assert {"pathways_person", "pathways_reperage", "pathways_exit", "territory_qpv", "governance_meeting"} <= set(
        tables
    )
    assert "accounts_user" not in tables and "core_accesslog" not in tables
    assert _triggered_tables() >= set(tables)


@pytest.mark.django_db
def test_every_kind_of_write_changes_the_version(world):
    seen = [freshness.data_version()]

    def changed() -> None:
        seen.append(freshness.data_version())
        assert seen[-1] not in seen[:-1], seen

    person = make_person(by=world.users["referent"])
    changed()
    Person.objects.filter(pk=person.pk).update(first_name="Aline")  # no signal, no save()
    changed()
    Reperage.objects.bulk_create(
        [Reperage(person=person, channel="permanence", spotted_on=dt.date(2026, 3, 1), spotted_by=world.users["referent"],
                  structure=world.relais)]
    )  # fmt: skip
    changed()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pathways_person SET last_name = 'FICTIVE' WHERE id = %s", [person.pk])
    changed()
    Reperage.objects.filter(person=person, spotted_on=dt.date(2026, 3, 1)).delete()
    changed()
    list(Person.objects.all())  # a read changes nothing
    assert freshness.data_version() == seen[-1]


@pytest.mark.django_db
def test_a_kept_figure_is_recomputed_after_a_write_that_bypasses_the_services(world):
    agent = world.users["referent"]
    people = [make_person(by=agent, spotted_on=dt.date(2026, 2, 1) + dt.timedelta(days=i)) for i in range(3)]
    spotted = get("spotted")
    assert compute(spotted, YEAR).total.value == 3
    with CaptureQueriesContext(connection) as kept:
        assert compute(spotted, YEAR).total.value == 3
    assert len(kept.captured_queries) == 1  # the data version only
    Reperage.objects.filter(person=people[0]).update(spotted_on=dt.date(2025, 12, 31))
    Person.objects.filter(pk=people[0].pk).update(first_spotted_on=dt.date(2025, 12, 31))
    assert compute(spotted, YEAR).total.value == 2


@pytest.mark.django_db
def test_a_page_reads_the_version_once(world):
    make_person(by=world.users["referent"], spotted_on=dt.date(2026, 2, 1))
    compute_all(YEAR)
    with CaptureQueriesContext(connection) as ctx:
        compute_all(YEAR)
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_the_cache_can_be_turned_off(world, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    make_person(by=world.users["referent"], spotted_on=dt.date(2026, 2, 1))
    compute_all(YEAR)
    with CaptureQueriesContext(connection) as ctx:
        compute_all(YEAR)
    assert len(ctx.captured_queries) > 10
    assert not any("core_datachange" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_compacting_keeps_one_row_and_a_new_version():
    seen = []
    for _ in range(3):
        StructureFactory()
        seen.append(freshness.data_version())
    assert freshness.compact() >= 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_datachange")
        assert cursor.fetchone() == (1,)
    assert freshness.data_version() not in seen


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_a_write_counts_when_it_commits_and_writers_do_not_wait_for_one_another():
    structures = [StructureFactory().pk, StructureFactory().pk]
    written, release = threading.Barrier(3, timeout=20), threading.Event()

    def write(pk: int) -> str:
        with transaction.atomic():
            Structure.objects.filter(pk=pk).update(name="Structure fictive en cours")
            written.wait()  # both transactions have written (and fired their trigger) before either commits
            release.wait(20)
        return "committed"

    before = freshness.data_version()
    results: list[object] = []
    runner = threading.Thread(
        target=lambda: results.extend(together(lambda: write(structures[0]), lambda: write(structures[1])))
    )
    runner.start()
    written.wait()
    assert freshness.data_version() == before  # not committed yet: figures computed now are of the old data
    release.set()
    runner.join(30)
    assert results == ["committed", "committed"]
    assert freshness.data_version() != before


@pytest.mark.django_db
def test_figures_computed_inside_a_transaction_are_not_kept(world):
    make_person(by=world.users["referent"], spotted_on=dt.date(2026, 2, 1))
    with transaction.atomic():  # it may still write again, or roll back
        assert compute(get("spotted"), YEAR).total.value == 1
    with CaptureQueriesContext(connection) as ctx:
        assert compute(get("spotted"), YEAR).total.value == 1
    assert len(ctx.captured_queries) > 1  # computed: nothing was kept from inside the transaction


@pytest.mark.django_db(transaction=True)
def test_the_triggers_come_back_after_a_migration_remakes_a_table():
    """On SQLite, altering a table remakes it without its triggers: ``migrate`` installs them again after."""
    from django.core.management import call_command

    call_command("migrate", "pathways", "0014", verbosity=0)
    call_command("migrate", verbosity=0)
    assert _triggered_tables() >= set(freshness.watched_tables())
