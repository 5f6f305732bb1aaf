"""« Repérer ces personnes » in bulk writes what ``person_register`` writes one person at a time — records,
repérages, pathways, timeline and history — and the import's queries do not grow with the number of rows."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citemploi.core.errors import PermissionDenied
from citemploi.intake import services
from citemploi.intake.models import Category, Import, ImportedObject, ImportRow
from citemploi.intake.spotting import _fields, _located
from citemploi.pathways.choices import Channel
from citemploi.pathways.models import Pathway, Person, Reperage, TimelineEvent
from citemploi.pathways.services import person_register
from citemploi.pathways.services.bulk import NewPerson, people_register_bulk
from tests.evaluation.test_milestones import recomputed, stored
from tests.intake import samples
from tests.intake.conftest import committed

#: Values that differ between two identical registrations (keys, identifiers, moments).
_VOLATILE = {"id", "public_id", "created_at", "updated_at", "state_changed_at", "retention_from", "person", "at"}


def _create(world, path):
    with committed():  # the analysis runs at once (immediate task backend)
        batch = services.import_create(by=world.users["referent"], structure=world.relais, kind="people", path=path,
                                       filename=path.name, source="Export I-Milo")  # fmt: skip
    return Import.objects.get(pk=batch.pk)


def _confirm(world, batch):
    with committed():  # geocoding, QPV and linkage run at once
        services.import_confirm(by=world.users["referent"], batch=batch)
    return Import.objects.get(pk=batch.pk)


def _upload(world, path):
    return _confirm(world, _create(world, path))


def _plain(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in _VOLATILE
            and f.attname not in ("person_id",)}  # fmt: skip


def _history(obj: Any) -> list[tuple[Any, ...]]:
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    return [
        (e.action, e.actor_id, e.actor_email, e.cid, e.remote_addr, e.object_repr.replace(f"({obj.pk})", "(…)"),
         e.serialized_data,
         {k: ("…" if k in _VOLATILE else v) for k, v in (e.changes or {}).items()})
        for e in entries.order_by("pk")
    ]  # fmt: skip


def _written(people: list[Person]) -> list[dict[str, Any]]:
    """Everything written for each person, without what must differ (keys, identifiers, moments)."""
    result = []
    for person in people:
        reperage, pathway = Reperage.objects.get(person=person), Pathway.objects.get(person=person)
        lines = TimelineEvent.objects.filter(person=person).order_by("pk")
        result.append({
            "person": _plain(Person.objects.get(pk=person.pk)),
            "reperage": _plain(reperage),
            "pathway": _plain(pathway),
            "timeline": [(t.kind, t.label, t.actor_id, t.structure_id, t.visibility) for t in lines],
            "history": [_history(person), _history(reperage), _history(pathway)],
        })  # fmt: skip
    return result


def test_bulk_spotting_writes_what_the_one_by_one_path_writes(world, territory, imilo_file):
    referent = world.users["referent"]
    reference, bulk = _upload(world, imilo_file), _upload(world, imilo_file)  # both cross-checked on the same cohort
    rows = list(ImportRow.objects.filter(batch=reference, category=Category.IN_QPV_NEW).order_by("line"))
    assert len(rows) > 5
    with set_actor(referent):
        one_by_one = [
            person_register(by=referent, structure=world.relais, channel=Channel.CROSS_CHECK,
                            spotted_on=_today(), fields=_fields(r.values), located=_located(r))
            for r in rows
        ]  # fmt: skip
        services.import_spot(by=referent, batch=bulk)
    spotted = [r.created for r in ImportRow.objects.filter(batch=bulk, category=Category.IN_QPV_NEW).order_by("line")]
    expected, got = _written(one_by_one), _written(spotted)
    for key in expected[0]:  # records, repérages, pathways, timeline, history: one assertion each, to read a failure
        assert [p[key] for p in got] == [p[key] for p in expected], key
    assert all(p["history"][0] and p["history"][0][0][1] == referent.pk for p in got)  # the actor is recorded
    assert stored() == recomputed()  # the milestones the indicators read (pathways.milestones)
    # The import remembers each person with its timeline count, for undo.
    prints = ImportedObject.objects.filter(batch=bulk, content_type=ContentType.objects.get_for_model(Person))
    assert [o.fingerprint for o in prints] == [{"version": p.version, "events": 1} for p in spotted]


def test_bulk_registration_checks_the_permission_once_and_writes_nothing_when_refused(world, territory):
    from citemploi.pathways.services import PersonFields
    from citemploi.pathways.services.locating import Located

    people = [NewPerson(PersonFields(first_name="Ana", last_name="Témoin"), Located("in"))]
    with pytest.raises(PermissionDenied):
        people_register_bulk(by=world.users["outsider"], structure=world.relais, channel=Channel.CROSS_CHECK,
                             spotted_on=_today(), people=people)  # fmt: skip
    assert (
        not Person.objects.exists()
        and not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person)).exists()
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _split(ctx: CaptureQueriesContext) -> tuple[int, int]:
    """(queries other than INSERT, INSERT queries)."""
    inserts = sum(q["sql"].lstrip().upper().startswith("INSERT") for q in ctx.captured_queries)
    return len(ctx.captured_queries) - inserts, inserts


def _queries(world, path) -> dict[str, tuple[int, int]]:
    """The queries of each step of one import (upload and analysis, processing, spotting)."""
    counts = {}
    with CaptureQueriesContext(connection) as ctx:
        batch = _create(world, path)
    counts["analyse"] = _split(ctx)
    with CaptureQueriesContext(connection) as ctx:
        batch = _confirm(world, batch)
    counts["process"] = _split(ctx)
    with CaptureQueriesContext(connection) as ctx:
        services.import_spot(by=world.users["referent"], batch=batch)
    counts["spot"] = _split(ctx)
    assert Import.objects.get(pk=batch.pk).counts["created"] > 0
    services.import_undo(by=world.users["coordinator"], batch=batch)  # the next size starts from the same cohort
    return counts


def test_import_queries_do_not_grow_with_the_rows(world, territory, tmp_path):
    """The same queries for 15 and 150 rows, but for the batches of bulk inserts: PostgreSQL writes 1,000 rows
    per INSERT, SQLite as many as its 999 parameters allow (about 15 people, 100 history entries)."""
    sizes = {}
    for n in (8, 15, 150):  # the first import fills the process's caches (perimeters, BAN index, references)
        headers, rows = samples.as_rows("Export I-Milo", samples.people(n, seed=n))
        sizes[n] = _queries(world, samples.write_xlsx(tmp_path / f"f{n}.xlsx", headers, rows))
    small, large = sizes[15], sizes[150]
    assert {step: others for step, (others, _i) in small.items()} == {s: o for s, (o, _i) in large.items()}, sizes
    assert large["analyse"][0] <= 15 and large["process"][0] <= 30 and large["spot"][0] <= 20, sizes
    if connection.vendor == "postgresql":
        assert small == large, sizes
    else:
        assert large["analyse"][1] <= 8 and large["process"][1] <= 3 and large["spot"][1] <= 150 // 10, sizes


def test_bulk_registration_with_the_history_disabled_writes_the_records_only(world, territory):
    from auditlog.context import disable_auditlog

    from citemploi.pathways.services import PersonFields
    from citemploi.pathways.services.locating import Located

    people = [NewPerson(PersonFields(first_name=f"Ana{c}", last_name="Témoin"), Located("out")) for c in "bc"]
    with disable_auditlog():
        made = people_register_bulk(by=world.users["referent"], structure=world.relais, channel=Channel.CROSS_CHECK,
                                    spotted_on=_today(), people=people)  # fmt: skip
    assert [p.pathway.structure for p in made] == [world.relais] * 2
    assert TimelineEvent.objects.filter(person__in=made).count() == 2
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person)).exists()
