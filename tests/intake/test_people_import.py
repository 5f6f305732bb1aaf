"""A people list through the services, as the screens and the command use them: upload, analysis, mapping,
exclusions, confirmation (geocode, QPV, linkage), « Repérer ces personnes », undo."""

from __future__ import annotations

import pytest

from citemploi.core.errors import InvalidTransition, PermissionDenied
from citemploi.intake import services
from citemploi.intake.models import Category, Import, ImportRow, State
from citemploi.pathways.choices import Channel, QPVStatus
from citemploi.pathways.models import DuplicateReview, Person
from tests.factories.pathways import make_person
from tests.intake.conftest import committed, table_counts


def _upload(world, path, user="referent", structure=None, source="Export I-Milo"):
    with committed():
        batch = services.import_create(
            by=world.users[user],
            structure=structure or world.relais,
            kind="people",
            path=path,
            filename=path.name,
            source=source,
        )
    return Import.objects.get(pk=batch.pk)


def confirm(user, batch):
    with committed():
        services.import_confirm(by=user, batch=batch)


def test_analysis_types_rows_and_names_errors_by_row_and_column(world, territory, imilo_file):
    batch = _upload(world, imilo_file)
    assert batch.state == State.ANALYSED
    assert batch.mapping["birth_date"] == "Date de naissance" and batch.mapping["imilo_id"] == "Identifiant I-Milo"
    assert batch.counts == {"rows": 40, "errors": 2, "valid": 38, "excluded": 0}
    errors = {(r.line, e["column"]) for r in ImportRow.objects.filter(batch=batch) for e in r.errors}
    assert errors == {(5, "Date de naissance"), (9, "Code postal")}
    assert not Person.objects.exists()


def test_confirm_sorts_rows_then_spotting_creates_in_qpv_people_and_undo_restores(world, territory, imilo_file):
    followed = make_person(by=world.users["referent"], first_name="Zoé", last_name="Témoin")
    before = table_counts()
    batch = _upload(world, imilo_file)
    confirm(world.users["referent"], batch)
    batch.refresh_from_db()
    assert batch.state == State.CONFIRMED and batch.counts["processed"]
    assert Person.objects.count() == 1  # nothing created before « Repérer ces personnes »
    new = ImportRow.objects.filter(batch=batch, category=Category.IN_QPV_NEW)
    assert new.count() == batch.counts[Category.IN_QPV_NEW] > 0
    assert batch.counts[Category.OUT] > 0 and batch.counts[Category.ERROR] == 2
    services.import_spot(by=world.users["referent"], batch=batch)
    batch.refresh_from_db()
    assert batch.state == State.IMPORTED and batch.counts["created"] == new.count()
    created = Person.objects.exclude(pk=followed.pk)
    assert created.count() == new.count()
    person = created.first()
    assert person.qpv_status == QPVStatus.IN and person.qpv.code == "QN04299M"
    assert person.reperages.get().channel == Channel.CROSS_CHECK
    assert person.pathway.structure == world.relais
    services.import_undo(by=world.users["coordinator"], batch=batch)
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED
    assert table_counts() == before


def test_a_match_in_the_cohort_is_followed_with_its_structure_only_if_visible(world, territory, tmp_path):
    from tests.intake import samples

    persons = samples.people(3, in_share=1.0)
    mine = make_person(
        by=world.users["referent"],
        first_name=persons[0].first_name,
        last_name=persons[0].last_name,
        birth_date=_date(persons[0].birth),
    )
    other = make_person(
        by=world.users["outsider"],
        first_name=persons[1].first_name,
        last_name=persons[1].last_name,
        birth_date=_date(persons[1].birth),
    )
    headers, rows = samples.as_rows("Export I-Milo", persons)
    batch = _upload(world, samples.write_xlsx(tmp_path / "f.xlsx", headers, rows))
    confirm(world.users["referent"], batch)
    rows = {r.line: r for r in ImportRow.objects.filter(batch=batch)}
    assert rows[2].category == Category.FOLLOWED and rows[2].linked_id == mine.pk
    # Followed by another structure: never revealed to the importer, queued for the coordination.
    assert rows[3].category == Category.IN_QPV_NEW and rows[3].linked_id is None
    assert rows[3].review[0]["id"] == other.pk
    services.import_spot(by=world.users["referent"], batch=Import.objects.get(pk=batch.pk))
    review = DuplicateReview.objects.get(candidate=other)
    assert review.reasons and review.origin.startswith("import")


def test_only_the_author_or_the_coordinator_undoes(world, territory, imilo_file):
    batch = _upload(world, imilo_file)
    confirm(world.users["referent"], batch)
    services.import_spot(by=world.users["referent"], batch=Import.objects.get(pk=batch.pk))
    with pytest.raises(PermissionDenied):
        services.import_undo(by=world.users["colleague"], batch=batch)
    with pytest.raises(PermissionDenied):
        services.import_undo(by=world.users["outsider"], batch=batch)
    assert Import.objects.get(pk=batch.pk).state == State.IMPORTED


def test_a_record_edited_since_is_kept_with_the_reason(world, territory, imilo_file):
    from citemploi.pathways import services as pathways

    batch = _upload(world, imilo_file)
    confirm(world.users["referent"], batch)
    services.import_spot(by=world.users["referent"], batch=Import.objects.get(pk=batch.pk))
    edited = Person.objects.order_by("pk").first()
    pathways.person_update(
        by=world.users["referent"], person=edited, changes=pathways.PersonChanges(phone="+33611223344")
    )
    count = Person.objects.count()
    services.import_undo(by=world.users["referent"], batch=batch)
    batch.refresh_from_db()
    assert Person.objects.count() == 1 and Person.objects.get().pk == edited.pk and count > 1
    assert batch.undo_kept == [{"label": f"Fiche {edited.public_id}", "reason": "fiche modifiée depuis l'import"}]


def test_an_outsider_cannot_import_for_another_structure_and_nothing_is_written(world, territory, imilo_file):
    with pytest.raises(PermissionDenied):
        _upload(world, imilo_file, user="outsider", structure=world.relais)
    assert not Import.objects.exists()


def test_confirm_twice_is_refused(world, territory, imilo_file):
    batch = _upload(world, imilo_file)
    confirm(world.users["referent"], batch)
    with pytest.raises(InvalidTransition):
        confirm(world.users["referent"], batch)


def _date(text):
    import datetime as dt

    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def test_purge_deletes_the_file_and_the_values_read_from_it(world, territory, imilo_file):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    batch = _upload(world, imilo_file)
    stored = batch.file.path
    call_command("intake", "purge-files")
    assert Import.objects.get(pk=batch.pk).file_deleted_at is None  # not due yet
    Import.objects.filter(pk=batch.pk).update(file_expires_at=timezone.now() - timedelta(seconds=1))
    call_command("intake", "purge-files")
    batch.refresh_from_db()
    import os

    assert batch.file_deleted_at and not batch.file and not os.path.exists(stored)
    assert batch.sha256 and not ImportRow.objects.filter(batch=batch).exclude(values={}).exists()
