"""data·inclusion export (100 % valid records), idempotent import with row-by-row report, round trip."""

from __future__ import annotations

import json

import pytest
from data_inclusion.schema import v1
from django.core.management import CommandError, call_command

from citemploi.partners.interop import export_records, import_file
from citemploi.partners.models import Service, StructureProfile
from tests.factories.accounts import StructureFactory
from tests.factories.partners import ProfileFactory, ServiceFactory

pytestmark = pytest.mark.django_db

STRUCTURE = {
    "source": "dora",
    "id": "dora--s1",
    "nom": "Association Tremplin Sud",
    "date_maj": "2026-01-15",
    "siret": "12345678900011",
    "adresse": "3 rue de la Paix",
    "code_postal": "42000",
    "commune": "Saint-Étienne",
    "code_insee": "42218",
    "courriel": "contact@tremplin.example",
    "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00",
    "reseaux_porteurs": ["mission-locale"],
}


def service(n: int, **extra):
    record = {
        "source": "dora",
        "structure_id": "dora--s1",
        "id": f"dora--svc{n}",
        "nom": f"Atelier numérique {n}",
        "description": "Prendre en main un ordinateur et ses démarches en ligne.",
        "date_maj": "2026-02-01",
        "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "publics": ["tous-publics"],
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": ["42218"],
        "frais": "gratuit",
    }
    record.update(extra)
    return record


def write(tmp_path, data, name="di.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_every_exported_record_validates(tmp_path):
    structure = StructureFactory(name="Relais emploi Beaubrun", siret="12345678900029")
    ProfileFactory(structure=structure, reseaux_porteurs=["communes"], opening_hours="Mo 09:00-12:00")
    ServiceFactory.create_batch(3, structure=structure)
    ServiceFactory(structure=structure, is_published=False)
    call_command("offer", "export", "--format", "data-inclusion", str(tmp_path))
    structures = json.loads((tmp_path / "structures.json").read_text())
    services = json.loads((tmp_path / "services.json").read_text())
    assert len(structures) == 1 and len(services) == 3  # the unpublished draft stays out
    for record in structures:
        v1.Structure.model_validate(record)
    for record in services:
        v1.Service.model_validate(record)
        assert record["structure_id"] == structures[0]["id"]


def test_import_then_export_round_trips(tmp_path):
    records = {"structures": [STRUCTURE], "services": [service(1), service(2)]}
    report = import_file(write(tmp_path, records))
    assert [r.outcome for r in report.rows] == ["créé", "créé", "créé"]
    structures, services, skipped = export_records()
    assert not skipped
    assert structures == [_normal(v1.Structure, STRUCTURE)]
    assert sorted(services, key=lambda s: s["id"]) == [_normal(v1.Service, service(1)), _normal(v1.Service, service(2))]
    profile = StructureProfile.objects.get(source_id="dora--s1")
    assert profile.slots.count() == 10  # opening hours are queryable


def _normal(model, record):
    from citemploi.partners.interop import normalise

    return normalise(model, record)


def test_import_is_idempotent(tmp_path):
    path = write(tmp_path, {"structures": [STRUCTURE], "services": [service(1)]})
    import_file(path)
    second = import_file(path)
    assert [r.outcome for r in second.rows] == ["inchangé", "inchangé"]
    changed = write(
        tmp_path, {"structures": [STRUCTURE], "services": [service(1, nom="Atelier numérique renommé")]}, "b.json"
    )
    third = import_file(changed)
    assert [r.outcome for r in third.rows] == ["inchangé", "mis à jour"]
    assert Service.objects.get(source_id="dora--svc1").name == "Atelier numérique renommé"
    assert Service.objects.count() == 1


def test_bad_rows_are_reported_and_valid_rows_imported(tmp_path):
    rows = [
        service(1),
        service(2, thematiques=["thematique-inconnue"]),
        {k: v for k, v in service(3).items() if k != "description"},
        service(1, nom="Doublon"),
        service(4, structure_id="dora--absente"),
    ]
    report = import_file(write(tmp_path, {"structures": [STRUCTURE], "services": rows}))
    outcomes = [(r.row, r.outcome) for r in report.rows if r.kind == "service"]
    assert outcomes == [(1, "créé"), (2, "rejeté"), (3, "rejeté"), (4, "rejeté"), (5, "rejeté")]
    reasons = {r.row: r.reason for r in report.rows if r.kind == "service"}
    assert "thematiques" in reasons[2] and "thematique-inconnue" in reasons[2]
    assert "description" in reasons[3] and "manquant" in reasons[3]
    assert "double" in reasons[4]
    assert "inconnue" in reasons[5]
    assert list(Service.objects.values_list("source_id", flat=True)) == ["dora--svc1"]


def test_invalid_json_is_a_clear_error(tmp_path):
    path = tmp_path / "cassé.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas un JSON valide"):
        call_command("offer", "import", str(path))


def test_oversized_import_is_refused_before_parsing(tmp_path, settings):
    settings.UPLOAD_MAX_MB = 1
    path = tmp_path / "gros.json"
    path.write_text("[" + ",".join(['{"id": "x"}'] * 200_000) + "]", encoding="utf-8")
    with pytest.raises(CommandError, match="Fichier trop volumineux .* au plus 1 Mo"):
        call_command("offer", "import", str(path))
    settings.UPLOAD_MAX_MB, settings.UPLOAD_MAX_ROWS = 50, 1000
    with pytest.raises(CommandError, match="Trop de lignes : au plus 1000"):
        call_command("offer", "import", str(path))


def test_import_command_reports_each_row(tmp_path, capsys):
    path = write(
        tmp_path, {"structures": [STRUCTURE], "services": [service(1), service(2, publics=["tous-publics", "femmes"])]}
    )
    call_command("offer", "import", str(path))
    out = capsys.readouterr().out
    assert "service n° 2 [dora--svc2] : rejeté" in out
    assert "2 créé, 0 mis à jour, 0 inchangé, 1 rejeté" in out
