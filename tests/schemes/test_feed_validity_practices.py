"""The personal veille feed (signed, revocable address), the validity dates of a scheme edited by the coordination
(read by the engine), and the edition of good practices — through services and HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import PermissionDenied
from citemploi.schemes import selectors, services
from citemploi.schemes.engine import Profile, evaluate
from citemploi.schemes.models import GoodPractice, Scheme, VeilleEntry, VeilleFeedKey, VeilleStatus
from tests.conftest import login_client

THEMATIQUE = "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"


@pytest.fixture
def cej(db):
    return Scheme.objects.get(code="cej")


def _note(title: str, *, published: bool) -> VeilleEntry:
    status = VeilleStatus.PUBLISHED if published else VeilleStatus.DRAFT
    return VeilleEntry.objects.create(
        date=timezone.localdate(),
        title=title,
        summary="Texte fictif.",
        status=status,
        published_at=timezone.now() if published else None,
    )


def _feed_path(user) -> str:
    return reverse("schemes:veille_feed_personal", kwargs={"token": selectors.veille_feed_token(user)})


# --- Personal feed -------------------------------------------------------------------------------------------


def test_the_personal_feed_is_read_without_login_and_lists_only_published_notes(world):
    _note("Note publiée fictive", published=True)
    _note("Brouillon fictif", published=False)
    coordinator = world.users["coordinator"]
    page = login_client(coordinator).get(reverse("schemes:veille")).content.decode()
    path = _feed_path(coordinator)
    assert f"http://testserver{path}" in page and "Régénérer" in page
    feed = login_client(None).get(path)  # a feed reader: no session at all
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    # Even the coordinator's token (who sees drafts on the site) gives the published notes only.
    assert "Note publiée fictive" in body and "Brouillon fictif" not in body


def test_regenerating_the_address_revokes_the_old_one(world):
    referent = world.users["referent"]
    client = login_client(referent)
    old = _feed_path(referent)
    response = client.post(reverse("schemes:veille_feed_regenerate"))
    assert response.status_code == 302 and response["Location"].endswith("#flux-personnel")
    new = _feed_path(referent)
    assert new != old and VeilleFeedKey.objects.get(user=referent).version == 1
    anonymous = login_client(None)
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    assert new in client.get(reverse("schemes:veille")).content.decode()
    # Another account's address is not touched.
    assert anonymous.get(_feed_path(world.users["colleague"])).status_code == 200
    assert client.get(reverse("schemes:veille_feed_regenerate")).status_code == 405  # POST only


def test_the_address_is_the_same_at_every_display(world, monkeypatch):
    """No timestamp in the token: the page and a later computation give the same address (the page used to show
    another address as soon as a second had passed), and an address issued before still opens the feed."""
    import time

    referent = world.users["referent"]
    first = selectors.veille_feed_token(referent)
    later = time.time() + 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert selectors.veille_feed_token(referent) == first
    legacy = signing.dumps({"u": str(referent.public_id), "v": 0}, salt=selectors.VEILLE_FEED_SALT)
    assert selectors.veille_feed_owner(legacy) == referent


def test_a_bad_token_answers_404(world):
    referent = world.users["referent"]
    good = selectors.veille_feed_token(referent)
    payload = {"u": str(referent.public_id), "v": 0}
    bad_tokens = [
        "n-importe-quoi",
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # damaged signature
        signing.dumps(payload, salt="another.purpose"),  # signed for something else
        signing.dumps({"u": str(referent.public_id)}, salt=selectors.VEILLE_FEED_SALT),  # no version
    ]
    anonymous = login_client(None)
    for token in bad_tokens:
        url = reverse("schemes:veille_feed_personal", kwargs={"token": token})
        assert anonymous.get(url).status_code == 404, token
    referent.is_active = False
    referent.save(update_fields=["is_active"])
    assert anonymous.get(reverse("schemes:veille_feed_personal", kwargs={"token": good})).status_code == 404


# --- Validity dates of a scheme --------------------------------------------------------------------------------


def _cej_answer(on: dt.date):
    person = Profile(birth_date=dt.date(2003, 6, 1), student=False, in_training=False, rqth=False)
    return next(r for r in evaluate(person, on, selectors.load_catalogue()) if r.scheme == "cej")


def test_closing_a_scheme_makes_it_impossible_after_its_end_date(world, cej):
    coordinator = world.users["coordinator"]
    assert _cej_answer(dt.date(2025, 7, 1)).answer == "eligible"
    services.scheme_validity_set(
        actor=coordinator, scheme=cej, valid_from=cej.valid_from, valid_to=dt.date(2025, 6, 30)
    )
    assert _cej_answer(dt.date(2025, 6, 30)).answer == "eligible"  # the last day is still open
    after = _cej_answer(dt.date(2025, 7, 1))
    assert after.answer == "not_eligible" and "catalogue.closed" in [r.rule for r in after.reasons]
    cej.refresh_from_db()
    assert cej.valid_to == dt.date(2025, 6, 30)
    assert LogEntry.objects.get_for_object(cej).filter(actor=coordinator).exists()
    note = VeilleEntry.objects.get()
    assert note.status == VeilleStatus.DRAFT and list(note.schemes.all()) == [cej]
    assert "30/06/2025" in note.summary and "sans date de fin" in note.summary
    # The same dates again change nothing and draft nothing.
    services.scheme_validity_set(
        actor=coordinator, scheme=cej, valid_from=cej.valid_from, valid_to=dt.date(2025, 6, 30)
    )
    assert VeilleEntry.objects.count() == 1


def test_an_end_before_the_start_is_refused_and_nothing_changes(world, cej):
    before = (cej.valid_from, cej.valid_to)
    with pytest.raises(services.SchemeError, match="doit être postérieure ou égale"):
        services.scheme_validity_set(
            actor=world.users["coordinator"], scheme=cej, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2024, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.scheme_validity_set(actor=world.users["referent"], scheme=cej, valid_from=None, valid_to=None)
    cej.refresh_from_db()
    assert (cej.valid_from, cej.valid_to) == before and not VeilleEntry.objects.exists()
    assert not LogEntry.objects.get_for_object(cej).exists()


def test_coordinator_changes_the_dates_from_the_scheme_page(world, cej):
    client = login_client(world.users["coordinator"])
    detail = reverse("schemes:detail", kwargs={"public_id": cej.public_id})
    url = reverse("schemes:validity_edit", kwargs={"public_id": cej.public_id})
    assert url in client.get(detail).content.decode()
    assert url not in login_client(world.users["referent"]).get(detail).content.decode()
    bad = client.post(url, {"valid_from": "2022-03-01", "valid_to": "2021-12-31"}, follow=True)
    assert bad.redirect_chain == [(url, 303)]  # refused by the service: message, back to the form
    assert "doit être postérieure ou égale" in bad.content.decode()
    ok = client.post(url, {"valid_from": "2022-03-01", "valid_to": "2030-12-31"})
    assert ok.status_code == 302
    cej.refresh_from_db()
    assert cej.valid_to == dt.date(2030, 12, 31)
    assert "31/12/2030" in client.get(detail).content.decode()


# --- Editing a good practice -----------------------------------------------------------------------------------


def _practice_form(**changes) -> dict:
    return {
        "title": "Petit-déjeuner emploi",
        "territory": "Montreynaud",
        "description": "Rencontres mensuelles fictives.",
        "thematiques": [THEMATIQUE],
    } | changes


def test_the_author_edits_a_practice_and_its_attachments_are_kept(world):
    referent = world.users["referent"]
    practice = services.good_practice_create(
        actor=referent,
        title="Petit-déjeuner emploi",
        territory="Montreynaud",
        description="Première version.",
        results="",
        contact="",
        thematiques=[THEMATIQUE],
        attachments=[SimpleUploadedFile("bilan.txt", b"bilan fictif")],
    )
    client = login_client(referent)
    url = reverse("schemes:practice_edit", kwargs={"public_id": practice.public_id})
    form = client.get(url).content.decode()
    assert "Première version." in form and "bilan.txt" in form
    upload = SimpleUploadedFile("affiche.txt", b"affiche fictive")
    response = client.post(
        url, _practice_form(description="Seconde version.", results="12 embauches.", attachment=upload)
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.description == "Seconde version." and practice.results == "12 embauches."
    assert sorted(a.name for a in practice.attachments.all()) == ["affiche.txt", "bilan.txt"]
    assert LogEntry.objects.get_for_object(practice).filter(actor=referent).count() == 2  # created, then changed
    detail = client.get(reverse("schemes:practice_detail", kwargs={"public_id": practice.public_id}))
    assert url in detail.content.decode()


def test_only_the_author_and_the_coordination_edit_a_practice(world):
    practice = GoodPractice.objects.create(
        title="Pratique fictive", territory="Loire", description="Texte.", author=world.users["referent"]
    )
    url = reverse("schemes:practice_edit", kwargs={"public_id": practice.public_id})
    detail = reverse("schemes:practice_detail", kwargs={"public_id": practice.public_id})
    colleague = login_client(world.users["colleague"])
    assert colleague.post(url, _practice_form(title="Détournée")).status_code == 403
    assert url not in colleague.get(detail).content.decode()
    with pytest.raises(PermissionDenied):
        services.good_practice_update(
            actor=world.users["colleague"],
            practice=practice,
            title="Détournée",
            territory="Loire",
            description="Texte.",
            results="",
            contact="",
            thematiques=[],
        )
    response = login_client(world.users["coordinator"]).post(url, _practice_form(title="Relue par la coordination"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Relue par la coordination" and practice.author == world.users["referent"]
