"""Stale edits, edits of a merged record and duplicate hand-offs answer in French instead of overwriting (any
database; the real races are in test_races.py on PostgreSQL)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from citemploi.core.errors import Conflict
from citemploi.pathways import services
from citemploi.pathways.models import Handoff, MergedRecord, Person
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _edit_form(client, person) -> dict:
    page = client.get(f"/personnes/{person.public_id}/modifier/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("" if v is None else v) for k, v in data.items() if v is not False}


def test_the_edit_form_carries_the_version_and_refuses_a_stale_save(world, clients):
    referent = world.users["referent"]
    person = make_person(by=referent)
    data = _edit_form(clients["referent"], person)
    assert data["version"] == 1
    # Someone else saves meanwhile (the colleague changes the phone).
    services.person_update(by=world.users["colleague"], person=person, changes=services.PersonChanges(phone="0600"))
    answer = clients["referent"].post(f"/personnes/{person.public_id}/modifier/", {**data, "city": "Firminy"})
    assert answer.status_code == 409
    assert "modifiée par quelqu'un d'autre" in html.unescape(answer.content.decode())
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.city, stored.version) == ("0600", "", 2)
    # Reloaded, the form carries the new version and saves.
    data = _edit_form(clients["referent"], person)
    answer = clients["referent"].post(f"/personnes/{person.public_id}/modifier/", {**data, "city": "Firminy"})
    assert answer.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.city, stored.version) == ("0600", "Firminy", 3)


def test_an_edit_of_a_record_merged_meanwhile_says_so_with_a_link(world, clients):
    referent = world.users["referent"]
    keep, absorb = make_person(by=referent), make_person(by=referent)
    data = _edit_form(clients["referent"], absorb)
    client = clients["referent"]
    # The merge lands between the page load and the save: the view found the record, the service no longer does.
    stale = Person.objects.get(pk=absorb.pk)
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    with pytest.raises(services.PersonMerged) as raised:
        services.person_update(by=referent, person=stale, changes=services.PersonChanges(city="Firminy"))
    assert raised.value.into == keep and f"{keep}" in raised.value.message
    assert not Person.objects.filter(public_id=absorb.public_id).exists()
    assert MergedRecord.objects.get(absorbed_id=absorb.public_id).into == keep
    # The form was opened before the merge and is posted after it: 409, the message and the link.
    answer = client.post(f"/personnes/{absorb.public_id}/modifier/", {**data, "city": "Firminy"})
    assert answer.status_code == 409
    body = html.unescape(answer.content.decode())
    assert "fusionnée avec la fiche de" in body and f"/personnes/{keep.public_id}/" in body
    page = client.get(f"/personnes/{absorb.public_id}/")
    assert page.status_code == 404 and f"/personnes/{keep.public_id}/" in page.content.decode()
    # Who may not see the kept record learns nothing: a plain 404.
    outsider = clients["outsider"].get(f"/personnes/{absorb.public_id}/")
    assert outsider.status_code == 404 and str(keep.public_id) not in outsider.content.decode()
    assert not Person.objects.filter(public_id=absorb.public_id).exists()


def test_an_edit_of_a_merged_record_names_the_kept_one_only_to_who_may_see_it(world):
    referent = world.users["referent"]
    keep, absorb = make_person(by=world.users["outsider"]), make_person(by=referent)
    stale = Person.objects.get(pk=absorb.pk)
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    with pytest.raises(services.PersonMerged) as raised:
        services.person_update(by=referent, person=stale, changes=services.PersonChanges(city="Firminy"))
    assert str(keep) not in raised.value.message and "une autre fiche" in raised.value.message


def test_a_second_merge_moves_the_trail_to_the_new_kept_record(world):
    referent, coordinator = world.users["referent"], world.users["coordinator"]
    a, b, c = (make_person(by=referent) for _ in range(3))
    services.person_merge(by=coordinator, keep=b, absorb=a)
    services.person_merge(by=coordinator, keep=c, absorb=Person.objects.get(pk=b.pk))
    assert set(MergedRecord.objects.filter(into=c).values_list("absorbed_id", flat=True)) == {a.public_id, b.public_id}


def test_merge_completes_from_the_locked_rows_not_the_callers_copies(world):
    referent = world.users["referent"]
    keep, absorb = make_person(by=referent), make_person(by=referent, email="absorbee@exemple.test")
    stale_keep = Person.objects.get(pk=keep.pk)
    services.person_update(by=referent, person=keep, changes=services.PersonChanges(phone="0611"))
    merged = services.person_merge(by=world.users["coordinator"], keep=stale_keep, absorb=absorb)
    stored = Person.objects.get(pk=keep.pk)
    assert (stored.phone, stored.email) == ("0611", "absorbee@exemple.test") and merged.version == stored.version == 3


def test_api_patch_version_etag_and_if_match(world, clients):
    client = clients["referent"]
    person = make_person(by=world.users["referent"])
    url = f"/api/v1/persons/{person.public_id}/"
    read = client.get(url)
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    changed = client.patch(url, {"city": "Firminy"}, content_type="application/json", headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed["ETag"] == '"2"' and changed.json()["version"] == 2
    stale = client.patch(
        url, {"city": "Roche-la-Molière"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412 and "modifiée par quelqu'un d'autre" in stale.json()["detail"]
    stale = client.patch(url, {"city": "Roche-la-Molière", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert (
        client.patch(url, {"city": "X"}, content_type="application/json", headers={"If-Match": "n'importe"}).status_code
        == 400
    )
    # Without a version the PATCH writes only the fields it names (no lost update of the others).
    assert client.patch(url, {"phone": "0600"}, content_type="application/json").status_code == 200
    stored = Person.objects.get(pk=person.pk)
    assert (stored.city, stored.phone, stored.version) == ("Firminy", "0600", 3)


def test_api_patch_of_a_merged_record_answers_409_with_the_kept_record(world, clients, monkeypatch):
    referent = world.users["referent"]
    keep, absorb = make_person(by=referent), make_person(by=referent)
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    url = f"/api/v1/persons/{absorb.public_id}/"
    answer = clients["referent"].patch(url, {"city": "Firminy"}, content_type="application/json")
    assert answer.status_code == 409
    assert "fusionnée avec" in answer.json()["detail"] and answer.json()["merged_into"] == str(keep.public_id)
    assert answer.json()["url"] == f"/api/v1/persons/{keep.public_id}/"
    read = clients["referent"].get(url)
    assert read.status_code == 404 and read.json()["merged_into"] == str(keep.public_id)
    assert "merged_into" not in clients["outsider"].get(url).json()
    assert not Person.objects.filter(public_id=absorb.public_id).exists()


def test_a_second_live_handoff_to_the_same_structure_is_refused(world, clients, mission_locale):
    referent = world.users["referent"]
    person = make_person(by=referent)
    services.handoff_send(by=referent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    with pytest.raises(Conflict, match="déjà en cours"):
        services.handoff_send(by=referent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    answer = clients["referent"].post(
        "/api/v1/handoffs/",
        {"person": str(person.public_id), "to_structure": str(mission_locale.public_id), "reason": "CEJ"},
        content_type="application/json",
    )
    assert answer.status_code == 409 and "déjà en cours" in answer.json()["detail"]
    page = clients["referent"].post(
        f"/personnes/{person.public_id}/orientations/", {"to_structure": mission_locale.pk, "reason": "CEJ"}
    )
    assert page.status_code == 400 and "déjà en cours" in html.unescape(page.content.decode())
    assert Handoff.objects.filter(person=person).count() == 1


def test_every_row_lock_names_its_own_table_only():
    """``select_for_update()`` with a join locks the joined rows on PostgreSQL: always ``of=("self",)``."""
    root = Path(__file__).resolve().parents[2] / "citemploi"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"select_for_update\((?!of=\(\"self\",\))", line)
    ]
    assert offenders == []


def test_the_database_itself_refuses_a_second_live_handoff(world, mission_locale):
    from django.db import IntegrityError, transaction

    referent = world.users["referent"]
    person = make_person(by=referent)
    values = {"person": person, "from_structure": world.relais, "to_structure": mission_locale, "reason": "x",
              "sent_by": referent}  # fmt: skip
    Handoff.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Handoff.objects.create(**values)
    Handoff.objects.update(state="refusee", refusal_reason="Complet")
    Handoff.objects.create(**values)  # a refused hand-off is no longer live: a new one may go


def test_a_constraint_violation_that_slipped_past_the_check_becomes_a_french_conflict(
    world, mission_locale, monkeypatch
):
    from citemploi.pathways.services import actions

    referent = world.users["referent"]
    person = make_person(by=referent)
    services.handoff_send(by=referent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    monkeypatch.setattr(actions, "LIVE_HANDOFF_STATES", frozenset())  # the check sees nothing, as in a race
    with pytest.raises(Conflict, match="déjà en cours"):
        services.handoff_send(by=referent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    assert Handoff.objects.filter(person=person).count() == 1


def test_actions_on_a_record_merged_meanwhile_say_so_instead_of_failing(world, mission_locale):
    import datetime as dt

    referent = world.users["referent"]
    keep, absorb = make_person(by=referent), make_person(by=referent)
    stale = Person.objects.get(pk=absorb.pk)
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    with pytest.raises(services.PersonMerged) as raised:
        services.handoff_send(by=referent, person=stale, to_structure=mission_locale, reason="CEJ", shared=[])
    assert raised.value.into == keep
    with pytest.raises(services.PersonMerged):
        services.contact_record(by=referent, person=stale, kind="rdv", happened_at=dt.datetime.now(dt.UTC))
