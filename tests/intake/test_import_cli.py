"""`citemploi intake import FILE --kind people|history --structure … [--mapping] [--by] [--dry-run]`: the same
services as the screens; counts and errors printed; written only when there is no error (else non-zero)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.intake import services
from citemploi.intake.history import export_workbook
from citemploi.intake.models import Import, State
from citemploi.pathways.models import Person, TimelineEvent
from tests.intake import samples
from tests.intake.conftest import table_counts
from tests.intake.test_history_support import build_cohort, partners


def test_people_file_with_errors_prints_them_and_writes_nothing(world, territory, imilo_file, capsys):
    before = table_counts()
    with pytest.raises(CommandError, match="2 ligne\\(s\\) en erreur"):
        call_command("intake", "import", str(imilo_file), "--kind", "people", "--structure", world.relais.name,
                     "--mapping", "Export I-Milo", "--by", world.users["referent"].email)  # fmt: skip
    out = capsys.readouterr().out
    assert "ligne 5, colonne « Date de naissance »" in out and "ligne 9, colonne « Code postal »" in out
    assert table_counts() == before and not Import.objects.exists()


def test_people_file_dry_run_then_commit(world, territory, tmp_path, capsys):
    headers, rows = samples.as_rows("Liste France Travail", samples.people(20, seed=3))
    path = samples.write_csv(tmp_path / "liste-ft.csv", headers, rows)
    args = ["intake", "import", str(path), "--kind", "people", "--structure", world.relais.name,
            "--mapping", "Liste France Travail", "--by", world.users["referent"].email]  # fmt: skip
    call_command(*args, "--dry-run")
    assert "Simulation" in capsys.readouterr().out and not Import.objects.exists() and not Person.objects.exists()
    call_command(*args)
    batch = Import.objects.get()
    assert batch.state == State.IMPORTED and batch.via_command
    assert Person.objects.count() == batch.counts["in_qpv_new"] > 0


def test_people_commit_needs_an_author(world, territory, imilo_file):
    with pytest.raises(CommandError, match="--by"):
        call_command("intake", "import", str(imilo_file), "--kind", "people", "--structure", world.relais.name)


def test_history_workbook_is_taken_over_and_undone(world, tmp_path, capsys):
    coordinator = world.users["coordinator"]
    build_cohort(by=coordinator, relais=[world.relais], partner_list=partners(), size=6)
    path = tmp_path / "suivi.xlsx"
    path.write_bytes(export_workbook(Person.objects.all()))
    Person.objects.all().delete()
    before = table_counts()
    call_command("intake", "import", str(path), "--kind", "history", "--structure", world.coordination.name,
                 "--by", coordinator.email)  # fmt: skip
    batch = Import.objects.get()
    assert batch.state == State.IMPORTED and Person.objects.count() == 6
    assert TimelineEvent.objects.exists()
    services.import_undo(by=coordinator, batch=batch)
    assert table_counts() == before
