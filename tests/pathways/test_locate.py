"""Locating a person's address (issue 9.13, 10.1, 10.2, 11.5): a geocoder outage never blocks a save — the QPV is
« pending » and a background task fills it later —, a commune without QPV never needs the geocoder, and the QPV at
the entry into the pathway is kept when the address changes. The geocoder is a fake BAN API on a local port."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import PermissionDenied
from citemploi.pathways import services
from citemploi.pathways.models import Person
from citemploi.pathways.services import locating
from citemploi.pathways.services.locating import person_relocate, person_relocate_task, relocate, relocate_due
from tests.factories.pathways import make_person
from tests.factories.territory import load_square_qpv
from tests.territory.fake_ban import fake_ban_api

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Éloïse",
    "last_name": "Dupré",
    "birth_date": "1999-05-04",
    "rsa": "non",
    "channel": "permanence",
    "spotted_on": "2026-01-05",
    "address": "12 avenue de la Libération",
    "postcode": "42000",
    "city": "Saint-Étienne",
}
FONTANES = {"address": "3 place de l'Église", "postcode": "42140", "city": "Fontanès"}


@pytest.fixture
def fake_geocoder(settings):
    with fake_ban_api(settings) as fake:
        yield fake


@pytest.fixture
def qpv(db):
    """A square QPV perimeter around the point the fake geocoder answers (Saint-Étienne)."""
    return load_square_qpv()


def _person(**filters) -> Person:
    return Person.objects.get(**filters)


def _page(client, person: Person) -> str:
    return client.get(reverse("pathways:person", args=[person.public_id])).content.decode()


def test_web_create_saves_at_once_when_the_geocoder_hangs_then_the_task_locates(
    world, clients, qpv, fake_geocoder, settings
):
    fake_geocoder.mode, fake_geocoder.hang_seconds = "hang", 4
    settings.BAN_API_TIMEOUT, settings.BAN_API_RETRIES = 3, 2  # the full wait would be ≥ 9 s
    response = clients["referent"].post(reverse("pathways:person_new"), FORM)
    assert response.status_code == 302
    assert len(fake_geocoder.requests) == 1  # one short try inline (GEOCODE_INLINE_TIMEOUT), no retries in the request
    settings.BAN_API_TIMEOUT, settings.BAN_API_RETRIES = 0.5, 0
    person = _person(last_name="Dupré")
    assert person.qpv_status == "pending" and person.qpv is None
    assert person.qpv_locate_attempts == 1 and person.qpv_locate_next_at > timezone.now()
    page = _page(clients["referent"], person)
    assert "À vérifier — adresse non localisée pour l&#x27;instant" in page
    assert "nouvel essai automatique le" in page and "Relancer la localisation" in page

    fake_geocoder.mode = "up"
    assert relocate_due() == {"due": 0}  # not due yet
    assert relocate_due(now=timezone.now() + dt.timedelta(hours=1)) == {"due": 1, "located": 1}
    person.refresh_from_db()
    assert (person.qpv_status, person.qpv.code, person.qpv_generation) == ("in", qpv.code, 2024)
    assert person.qpv_locate_next_at is None and person.lon == pytest.approx(4.39)
    assert person.timeline.filter(kind="person.located").exists()


def test_web_edit_saves_when_the_geocoder_refuses(world, clients, qpv, fake_geocoder):
    person = make_person(by=world.users["referent"])
    fake_geocoder.mode = "refuse"
    data = {**FORM, "first_name": person.first_name, "last_name": person.last_name, "version": person.version}
    del data["channel"], data["spotted_on"]
    response = clients["referent"].post(reverse("pathways:person_edit", args=[person.public_id]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == FORM["address"] and person.qpv_status == "pending"
    fake_geocoder.mode = "up"
    person_relocate_task.call(person.pk)
    person.refresh_from_db()
    assert person.qpv_status == "in" and person.qpv == qpv


def test_api_create_answers_201_when_the_geocoder_is_down(world, clients, qpv, fake_geocoder, settings):
    settings.BAN_API_URL = "http://127.0.0.1:9"  # nothing listens there: connection refused
    payload = {**FORM, "sex": "F"}
    response = clients["referent"].post("/api/v1/persons/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["qpv_status"] == "pending"
    person = _person(last_name="Dupré")
    settings.BAN_API_URL = fake_geocoder.url
    assert relocate(person.pk) == "located"
    assert _person(pk=person.pk).qpv_status == "in"


def test_retries_back_off_then_stop(world, qpv, fake_geocoder, settings):
    settings.QPV_RELOCATE_MAX_ATTEMPTS = 3
    fake_geocoder.mode = "refuse"
    person = make_person(by=world.users["referent"])
    services.person_update(
        by=world.users["referent"], person=person, changes=services.PersonChanges(**{k: FORM[k] for k in FONTANES})
    )
    person.refresh_from_db()
    assert person.qpv_status == "pending" and person.qpv_locate_attempts == 1
    first = person.qpv_locate_next_at
    assert relocate(person.pk) == "retry"
    person.refresh_from_db()
    assert person.qpv_locate_attempts == 2 and person.qpv_locate_next_at - first >= dt.timedelta(minutes=4)
    assert relocate(person.pk) == "gave-up"
    person.refresh_from_db()
    assert person.qpv_status == "pending" and person.qpv_locate_next_at is None
    assert locating.retry_delay(1) == dt.timedelta(minutes=5) and locating.retry_delay(3) == dt.timedelta(minutes=20)
    assert locating.retry_delay(30) == dt.timedelta(hours=12)


def test_the_task_is_deferred_when_the_backend_can(
    world, qpv, fake_geocoder, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    fake_geocoder.mode = "refuse"
    person = make_person(by=world.users["referent"])
    with django_capture_on_commit_callbacks(execute=True):
        services.person_update(
            by=world.users["referent"], person=person, changes=services.PersonChanges(**{k: FORM[k] for k in FONTANES})
        )
    person.refresh_from_db()
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    assert queued.args == [person.pk] and queued.task.run_after == person.qpv_locate_next_at


def test_relocate_button_runs_the_task_for_the_record_owner_only(
    world, clients, qpv, fake_geocoder, django_capture_on_commit_callbacks
):
    fake_geocoder.mode = "refuse"
    person = make_person(by=world.users["referent"])
    services.person_update(
        by=world.users["referent"],
        person=person,
        changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")}),
    )
    fake_geocoder.mode = "up"
    url = reverse("pathways:person_relocate", args=[person.public_id])
    assert clients["outsider"].post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        person_relocate(by=world.users["outsider"], person=person)
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["colleague"].post(url)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.qpv_status == "in" and person.timeline.filter(kind="person.relocate").exists()
    assert "Relancer la localisation" not in _page(clients["referent"], person)


# --- A commune without QPV never needs the geocoder (issue 10.2) --------------------------------------------------


def test_a_person_in_a_commune_without_qpv_is_out_without_any_geocoder_call(world, clients, qpv, fake_geocoder):
    fake_geocoder.mode = "refuse"
    response = clients["referent"].post(reverse("pathways:person_new"), {**FORM, **FONTANES})
    assert response.status_code == 302
    person = _person(last_name="Dupré")
    assert (person.qpv_status, person.insee_code, person.qpv_generation) == ("out", "42096", 2024)
    assert fake_geocoder.requests == []


def test_address_check_in_fontanes_answers_from_the_commune(world, clients, qpv, fake_geocoder):
    url = reverse("territory:address_check")
    for query in (
        FONTANES,
        {"address": "3 place de l'Église 42140 Fontanès", "postcode": "", "city": ""},
        {"address": "3 place de l'Église", "postcode": "", "city": "fontanes"},
        {"address": "3 place de l'Église Fontanès", "postcode": "", "city": ""},
        {"address": "3 place de l'Église, Fontanès", "postcode": "", "city": ""},
        {"address": "3 place de l'Église", "postcode": "42140", "city": ""},  # shared by communes without QPV
    ):
        page = clients["referent"].get(url, query).content.decode()
        assert "Certainement hors QPV" in page, query
    assert fake_geocoder.requests == []
    page = clients["referent"].get(url, {**FORM, "city": ""}).content.decode()  # Saint-Étienne has QPV
    assert "Dans le QPV" in page and len(fake_geocoder.requests) == 1
    # A postcode and a commune that contradict each other are not trusted: the geocoder decides.
    clients["referent"].get(url, {"address": "3 place de l'Église", "postcode": "42000", "city": "Fontanès"})
    assert len(fake_geocoder.requests) == 2
    # A commune name that belongs to the street (« route de Fontanès », maybe in Saint-Étienne) is not the commune.
    page = clients["referent"].get(url, {"address": "12 route de Fontanès", "postcode": "", "city": ""})
    assert "Certainement hors QPV" not in page.content.decode() and len(fake_geocoder.requests) == 3


def test_file_rows_of_a_commune_without_qpv_are_not_geocoded(qpv, fake_geocoder, tmp_path):
    from django.core.management import call_command

    fake_geocoder.mode = "refuse"  # any batch request would fail the whole run
    source = tmp_path / "adresses.csv"
    source.write_text("id;adresse;code_postal;commune\n1;3 place de l'Église;42140;Fontanès\n2;1 rue Haute;;Fontanès\n")
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target), "--geocode")
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].split(";")[4:7] == ["out", "", ""] and "commune sans QPV (Fontanès)" in rows[1]
    assert rows[2].split(";")[4] == "out"
    assert fake_geocoder.requests == []


# --- QPV at entry (issue 11.5) ------------------------------------------------------------------------------------


def test_qpv_at_entry_is_kept_when_the_address_changes(world, qpv, fake_geocoder):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")})
    )
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    person.refresh_from_db()
    assert person.pathway.state == "contacte"
    entry = (person.qpv_entry_status, person.qpv_entry, person.qpv_entry_generation, person.qpv_entry_on)
    assert entry == ("in", qpv, 2024, timezone.localdate())

    services.person_update(by=agent, person=person, changes=services.PersonChanges(**FONTANES))
    person.refresh_from_db()
    assert person.qpv_status == "out" and person.qpv is None
    assert (person.qpv_entry_status, person.qpv_entry, person.qpv_entry_generation, person.qpv_entry_on) == entry

    services.person_update(by=agent, person=person, changes=services.PersonChanges(address="", postcode="", city=""))
    person.refresh_from_db()
    assert (person.qpv_status, person.qpv, person.lon, person.insee_code) == ("unknown", None, None, "")
    assert person.qpv_entry_status == "in" and person.qpv_entry == qpv

    # A later « perdu de vue » → contacté does not record a second entry.
    services.pathway_transition(by=agent, person=person, target="perdu_de_vue", reason="Plus de nouvelles")
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    person.refresh_from_db()
    assert person.qpv_entry_status == "in" and person.qpv_entry == qpv


def test_entry_before_2024_uses_the_2015_geography(world, qpv, fake_geocoder):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")})
    )
    contact = dt.datetime(2023, 11, 10, 10, tzinfo=dt.UTC)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=contact)
    person.refresh_from_db()
    assert person.qpv_status == "in"  # today: the 2024 map
    # No 2015 perimeter loaded: unknown, never the 2024 answer for a 2023 entry.
    assert (person.qpv_entry_status, person.qpv_entry, person.qpv_entry_on) == ("unknown", None, dt.date(2023, 11, 10))


def test_a_pending_entry_is_filled_by_the_task(world, qpv, fake_geocoder):
    agent = world.users["referent"]
    fake_geocoder.mode = "refuse"
    person = make_person(by=agent)
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")})
    )
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    person.refresh_from_db()
    assert (person.qpv_status, person.qpv_entry_status) == ("pending", "pending")
    fake_geocoder.mode = "up"
    assert relocate(person.pk) == "located"
    person.refresh_from_db()
    assert (person.qpv_entry_status, person.qpv_entry, person.qpv_entry_generation) == ("in", qpv, 2024)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_task_geocodes_without_holding_the_row_lock_and_an_edit_meanwhile_wins(world, qpv, fake_geocoder, settings):
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("verrous de ligne : PostgreSQL seulement")
    agent = world.users["referent"]
    fake_geocoder.mode = "refuse"
    person = make_person(by=agent)
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")})
    )
    fake_geocoder.mode, fake_geocoder.hang_seconds = "hang", 1.0
    settings.BAN_API_TIMEOUT = 5
    outcome: list[str] = []

    def run() -> None:
        try:
            outcome.append(relocate(person.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 5
    while len(fake_geocoder.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert thread.is_alive()  # the task is waiting for the geocoder…
    with transaction.atomic():  # …and holds no lock on the row: an edit goes through at once
        Person.objects.select_for_update(nowait=True).get(pk=person.pk)
    services.person_update(
        by=agent, person=Person.objects.get(pk=person.pk), changes=services.PersonChanges(address="5 rue Neuve")
    )
    thread.join()
    assert outcome == ["skipped"]  # the address changed meanwhile: the late answer is not written
    assert Person.objects.get(pk=person.pk).address == "5 rue Neuve"


def test_the_cron_sweep_stops_while_the_geocoder_is_down(world, qpv, fake_geocoder, capsys):
    from django.core.management import call_command

    agent = world.users["referent"]
    fake_geocoder.mode = "refuse"
    for _ in range(3):
        person = make_person(by=agent)
        services.person_update(
            by=agent,
            person=person,
            changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")}),
        )
    Person.objects.update(qpv_locate_next_at=timezone.now() - dt.timedelta(minutes=1))
    sent = len(fake_geocoder.requests)
    call_command("addresses", "relocate")
    assert "3 fiche(s) à localiser : 0 localisée(s), 1 reportée(s)" in capsys.readouterr().out
    assert len(fake_geocoder.requests) == sent + 1  # one try, not one per record
    fake_geocoder.mode = "up"
    Person.objects.update(qpv_locate_next_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("addresses", "relocate")
    assert "3 localisée(s)" in capsys.readouterr().out
    assert set(Person.objects.values_list("qpv_status", flat=True)) == {"in"}


def test_an_entry_still_pending_becomes_unknown_when_the_address_changes(world, qpv, fake_geocoder):
    agent = world.users["referent"]
    fake_geocoder.mode = "refuse"
    person = make_person(by=agent)
    services.person_update(
        by=agent, person=person, changes=services.PersonChanges(**{k: FORM[k] for k in ("address", "postcode", "city")})
    )
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    person.refresh_from_db()
    assert person.qpv_entry_status == "pending"
    services.person_update(by=agent, person=person, changes=services.PersonChanges(**FONTANES))
    person.refresh_from_db()
    assert (person.qpv_status, person.qpv_entry_status) == ("out", "unknown")  # the entry address is gone
