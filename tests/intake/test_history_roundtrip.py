"""Done-when of issue 12 §4b: a cohort exported with the template's shape and taken over into an empty database
gives the same timelines — same events, same dates, same states (XLSX, and the same workbook as a ZIP of CSV)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from citemploi.intake.history import analyse, apply, export_workbook
from citemploi.pathways.derivation import derive_state, facts_of
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person, TimelineEvent
from tests.intake.test_history_support import build_cohort, partners, read_back, timelines, zip_of_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("container", ["xlsx", "zip"])
def test_exported_cohort_taken_over_gives_the_same_timelines(world, tmp_path, container):
    coordinator = world.users["coordinator"]
    build_cohort(by=coordinator, relais=[world.relais, world.other_relais], partner_list=partners())
    before = timelines(Person.objects.all())
    states = {h["pathway"][0] for h in before.values()}
    assert {"repere", "contacte", "diagnostique", "oriente", "en_parcours", "sorti"} <= states
    data = export_workbook(Person.objects.all())
    if container == "zip":
        data, name = zip_of_csv(data), "suivi.zip"
    else:
        name = "suivi.xlsx"
    Person.objects.all().delete()
    assert not (TimelineEvent.objects.exists() or Contact.objects.exists() or Handoff.objects.exists())
    assert not Mobilisation.objects.exists()

    plan = analyse(read_back(data, tmp_path, name), by=coordinator)
    assert plan.errors == []
    assert plan.counts["personnes"] == len(before)
    with transaction.atomic():
        created = apply(plan, by=coordinator, source=name)

    after = timelines(Person.objects.all())
    assert after.keys() == before.keys()
    for key, history in before.items():
        for part, value in history.items():
            assert after[key][part] == value, (key, part)
    for person in Person.objects.select_related("pathway"):  # the state is the one the product derives
        assert person.pathway.state == derive_state(facts_of(person.pk))
    stamp = f"repris de {name} le {timezone.localdate():%d/%m/%Y}"
    labels = list(TimelineEvent.objects.values_list("label", flat=True))
    assert labels and all(label.endswith(stamp) for label in labels)
    assert {type(o).__name__ for o in created} >= {"Person", "Pathway", "Reperage", "Contact", "TimelineEvent"}
    assert sum(isinstance(o, Person) for o in created) == len(before)


def test_a_zip_of_csv_files_written_by_a_spreadsheet(world, tmp_path):
    """A ZIP of ``<feuille>.csv`` saved by a French spreadsheet: Windows-1252, « ; », French dates."""
    import io
    import zipfile

    coordinator = world.users["coordinator"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "personnes.csv",
            "ref;nom;prenom;date_naissance;sexe;adresse;code_postal;commune;lon;lat;telephone;email;"
            "structure_referente;date_reperage;canal_reperage\r\n"
            "A-01;Lefèvre;Hélène;03/04/1991;F;;;;;;06 12 34 56 78;;Relais emploi Montreynaud;02/03/2023;Aller-vers\r\n"
            .encode("cp1252"),
        )  # fmt: skip
        archive.writestr(
            "contacts.csv", "ref;date;type;initiative_personne\r\nA-01;10/03/2023 14:30;rdv;oui\r\n".encode("cp1252")
        )
    path = tmp_path / "suivi.zip"
    path.write_bytes(buffer.getvalue())
    from citemploi.intake.readers import read_workbook

    plan = analyse(read_workbook(path, filename="suivi.zip"), by=coordinator)
    assert plan.errors == [] and plan.counts["contacts"] == 1
    with transaction.atomic():
        apply(plan, by=coordinator, source="suivi.zip")
    person = Person.objects.get()
    assert (person.last_name, person.first_name, person.phone) == ("Lefèvre", "Hélène", "+33612345678")
    contact = person.contacts.get()
    assert f"{timezone.localtime(contact.happened_at):%d/%m/%Y %H:%M}" == "10/03/2023 14:30"
    assert person.reperages.get().channel == "aller_vers"
    assert person.pathway.state == "contacte"
