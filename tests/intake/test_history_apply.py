"""``apply``: the plan written through the pathways services with the events' real dates; the pathway state as
the product derives it; the exit's contract; the address located by the batch path or by the given point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from citemploi.core.errors import ValidationFailed
from citemploi.intake.history import analyse, apply
from citemploi.pathways.models import Exit, Person
from citemploi.territory.geocoding import GeocoderError, GeocodeResult
from tests.factories.territory import load_square_qpv
from tests.intake.test_history_analyse import d, person
from tests.intake.test_history_support import partners, sheets

pytestmark = pytest.mark.django_db
INSIDE = (4.39, 45.44)  # the centre of the square test QPV


def run(by, **rows):
    plan = analyse(sheets(**rows), by=by)
    assert plan.errors == []
    with transaction.atomic():
        return apply(plan, by=by, source="suivi-2021.xlsx")


@pytest.fixture
def coordinator(world):
    return world.users["coordinator"]


def day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def test_the_timeline_carries_the_real_dates_and_says_where_it_comes_from(coordinator, monkeypatch):
    delivered = []
    monkeypatch.setattr("citemploi.pathways.notifications._deliver", lambda *args: delivered.append(args))
    partners()
    created = run(
        coordinator,
        personnes=[person()],
        freins=[{"ref": "P1", "theme": "mobilite", "date_identification": d(280), "date_levee": d(100)}],
        contacts=[{"ref": "P1", "date": d(290), "type": "appel", "initiative_personne": "oui"}],
        orientations=[
            {
                "ref": "P1",
                "structure_destinataire": "Mission Locale fictive",
                "date_envoi": d(250),
                "date_accuse": d(249),
                "date_refus": d(240),
                "motif_refus": "Hors critères",
            }
        ],  # fmt: skip
    )
    p = Person.objects.get()
    lines = [(t.kind, timezone.localdate(t.at), t.label) for t in p.timeline.order_by("at", "pk")]
    stamp = f" — repris de suivi-2021.xlsx le {timezone.localdate():%d/%m/%Y}"
    assert [(k, at) for k, at, _ in lines] == [
        ("person.spotted", day(300)),
        ("contact", day(290)),
        ("pathway.state", day(290)),  # repéré → contacté: the earliest contact is the entry
        ("frein.identified", day(280)),
        ("pathway.state", day(280)),  # contacté → diagnostiqué
        ("handoff.sent", day(250)),
        ("pathway.state", day(250)),  # diagnostiqué → orienté
        ("handoff.acknowledged", day(249)),
        ("handoff.refused", day(240)),
        ("frein.state", day(100)),
    ]
    assert all(label.endswith(stamp) for _, _, label in lines)
    assert p.pathway.state == "oriente" and timezone.localdate(p.pathway.state_changed_at) == day(250)
    assert p.qpv_entry_on == day(290)
    assert timezone.localdate(p.retention_from) == day(290)  # the contact initiated by the person, not the import
    handoff = p.handoffs.get()
    assert (handoff.state, handoff.refusal_reason, timezone.localdate(handoff.refused_at)) == (
        "refusee", "Hors critères", day(240),
    )  # fmt: skip
    assert p.freins.get().state == "leve" and p.freins.get().closed_on == day(100)
    assert delivered == []  # history: no notification to the structures
    assert created[0] == p and p.pathway in created and handoff in created
    assert {type(o).__name__ for o in created} == {
        "Person", "Pathway", "Reperage", "Contact", "Frein", "Handoff", "TimelineEvent",
    }  # fmt: skip


def test_the_exit_records_its_contract(coordinator):
    partners()
    run(
        coordinator,
        personnes=[person()],
        contacts=[{"ref": "P1", "date": d(290), "type": "rdv"}],
        mobilisations=[{"ref": "P1", "dispositif": "cej", "structure": "Mission Locale fictive",
                        "date_proposition": d(280), "date_entree": d(270), "date_fin": d(120), "issue": "sortie"}],
        sorties=[{"ref": "P1", "date_sortie": d(120), "situation": "cdd", "debut_contrat": d(125),
                  "fin_contrat": d(-100), "heures_hebdo": "24,5"}],
    )  # fmt: skip
    exit_ = Exit.objects.get()
    assert (exit_.exited_on, exit_.contract_start_on, exit_.contract_end_on, exit_.weekly_hours) == (
        day(120), day(125), day(-100), Decimal("24.5"),
    )  # fmt: skip
    assert exit_.category == "emploi_durable"  # 125 days ago to 100 days ahead: more than 6 months
    pathway = exit_.person.pathway
    assert (pathway.state, pathway.entered_on) == ("sorti", day(270))
    mobilisation = exit_.person.mobilisations.get()
    assert (mobilisation.state, mobilisation.entered_on, mobilisation.ended_on) == ("sortie", day(270), day(120))
    assert sorted(f.due_on for f in exit_.followups.all())[0] == day(120) + dt.timedelta(days=92)


def test_given_point_is_used_instead_of_geocoding(coordinator, monkeypatch):
    qpv = load_square_qpv()

    def no_geocoder(**kwargs):
        raise AssertionError("géocodeur appelé")

    monkeypatch.setattr("citemploi.intake.history.writing.get_geocoder", no_geocoder)
    run(coordinator, personnes=[person(adresse="1 rue Fictive", lon=str(INSIDE[0]), lat=str(INSIDE[1]))])
    p = Person.objects.get()
    assert (p.qpv_status, p.qpv, p.lon, p.lat) == ("in", qpv, *INSIDE)


class FakeGeocoder:
    calls: list[list[tuple[str, str, str]]] = []

    def geocode_many(self, queries):
        self.calls.append(list(queries))
        return [
            GeocodeResult("1 rue Fictive", *INSIDE, 1.0, "42218", "42000", "Saint-Étienne", False) if "Fictive" in q[0]
            else None
            for q in queries
        ]  # fmt: skip


def test_addresses_are_geocoded_in_one_batch_and_qpv_tagged(coordinator, monkeypatch):
    qpv = load_square_qpv()
    geocoder = FakeGeocoder()
    geocoder.calls = []
    monkeypatch.setattr("citemploi.intake.history.writing.get_geocoder", lambda **kwargs: geocoder)
    run(
        coordinator,
        personnes=[
            person("P1", adresse="1 rue Fictive", code_postal="42000", commune="Saint-Étienne"),
            person("P2", adresse="99 impasse Introuvable", code_postal="42000", commune="Saint-Étienne"),
            person("P3"),
        ],
    )
    assert len(geocoder.calls) == 1 and len(geocoder.calls[0]) == 2
    found = {p.first_name: (p.qpv_status, p.qpv) for p in Person.objects.all()}
    assert found == {"Camille P1": ("in", qpv), "Camille P2": ("error", None), "Camille P3": ("unknown", None)}


def test_geocoder_down_leaves_the_address_to_locate_later(coordinator, monkeypatch):
    class Down:
        def geocode_many(self, queries):
            raise GeocoderError("indisponible")

    load_square_qpv()
    monkeypatch.setattr("citemploi.intake.history.writing.get_geocoder", lambda **kwargs: Down())
    run(coordinator, personnes=[person(adresse="1 rue Fictive", code_postal="42000", commune="Saint-Étienne")])
    assert Person.objects.get().qpv_status == "pending"


def test_people_with_an_error_are_left_out_and_the_others_written(coordinator):
    plan = analyse(
        sheets(personnes=[person("P1"), person("P2")], contacts=[{"ref": "P2", "date": d(400), "type": "rdv"}]),
        by=coordinator,
    )
    assert [e.row for e in plan.errors] == [2] and plan.counts["personnes"] == 1
    with transaction.atomic():
        apply(plan, by=coordinator, source="suivi.xlsx")
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Camille P1"]


def test_apply_needs_an_account(coordinator):
    plan = analyse(sheets(personnes=[person()]), by=coordinator)
    with pytest.raises(ValidationFailed):
        apply(plan, by=None, source="suivi.xlsx")
    assert not Person.objects.exists()
