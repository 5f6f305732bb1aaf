"""Through services and HTTP: parameter changes (dated, logged, drafting a veille note), the pages, the feed,
good practices and the person-page panel."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from citemploi.core.errors import PermissionDenied
from citemploi.schemes import selectors, services
from citemploi.schemes.engine import Profile
from citemploi.schemes.models import GoodPractice, Scheme, SchemeParameter, VeilleEntry, VeilleStatus
from tests.conftest import login_client


@pytest.fixture
def cej(db):
    return Scheme.objects.get(code="cej")


def test_a_parameter_change_is_dated_logged_and_drafts_a_veille_note(world, cej):
    coordinator = world.users["coordinator"]
    new = services.scheme_parameter_set(
        actor=coordinator, scheme=cej, key="age_max", value=27, valid_from=dt.date(2026, 1, 1), source="Décret fictif"
    )
    old = SchemeParameter.objects.get(scheme=cej, key="age_max", valid_from=dt.date(2022, 3, 1))
    assert old.valid_to == dt.date(2025, 12, 31) and new.valid_to is None and new.changed_by == coordinator
    assert LogEntry.objects.get_for_object(new).filter(actor=coordinator).exists()
    note = VeilleEntry.objects.get()
    assert note.status == VeilleStatus.DRAFT and list(note.schemes.all()) == [cej]
    assert "27 ans" in note.summary and "25 ans" in note.summary
    person = Profile(birth_date=dt.date(1999, 6, 1), student=False, in_training=False, rqth=False)
    catalogue = selectors.load_catalogue()
    from citemploi.schemes.engine import evaluate

    def cej_on(on):
        return next(r for r in evaluate(person, on, catalogue) if r.scheme == "cej")

    assert cej_on(dt.date(2025, 12, 31)).answer == "not_eligible"  # 26 years old, the old limit is 25
    assert cej_on(dt.date(2026, 6, 1)).answer == "eligible"  # 27 years old, the new limit is 27
    assert cej_on(dt.date(2026, 6, 1)).rule_version == dt.date(2026, 1, 1)


def test_parameter_changes_are_refused_to_others_and_into_the_past(world, cej):
    with pytest.raises(PermissionDenied):
        services.scheme_parameter_set(
            actor=world.users["referent"],
            scheme=cej,
            key="age_max",
            value=27,
            valid_from=dt.date(2026, 1, 1),
            source="x",
        )
    with pytest.raises(services.SchemeError):
        services.scheme_parameter_set(
            actor=world.users["coordinator"],
            scheme=cej,
            key="age_max",
            value=27,
            valid_from=dt.date(2020, 1, 1),
            source="x",
        )


def test_coordinator_edits_a_parameter_from_the_page(world, cej):
    client = login_client(world.users["coordinator"])
    url = reverse("schemes:parameter_edit", kwargs={"public_id": cej.public_id, "key": "allowance_adult_eur"})
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "552,29", "valid_from": "2026-04-01", "source": "Décret de revalorisation"})
    assert response.status_code == 302
    assert SchemeParameter.objects.get(scheme=cej, key="allowance_adult_eur", valid_to=None).value == 552.29
    bad = client.post(url, {"value": "beaucoup", "valid_from": "2026-05-01", "source": "x"})
    assert bad.status_code == 200 and "nombre" in bad.content.decode()
    page = login_client(world.users["steering_member"]).get(
        reverse("schemes:detail", kwargs={"public_id": cej.public_id})
    )
    assert "552,29" in page.content.decode() and "Décret de revalorisation" in page.content.decode()


def test_catalogue_list_query_count(world, max_queries):
    client = login_client(world.users["referent"])
    with max_queries(12):
        response = client.get(reverse("schemes:list"))
    assert response.status_code == 200 and "Emplois francs" in response.content.decode()


def test_veille_drafts_are_for_the_coordinator_until_published(world, cej):
    coordinator = world.users["coordinator"]
    entry = services.veille_entry_save(
        actor=coordinator,
        entry=None,
        date=dt.date(2026, 1, 5),
        title="Revalorisation fictive",
        summary="Texte.",
        source_url="https://exemple.test/decret",
        schemes=[cej],
        tags=["CEJ", " allocation "],
    )
    referent = login_client(world.users["referent"])
    detail = reverse("schemes:veille_detail", kwargs={"public_id": entry.public_id})
    assert referent.get(detail).status_code == 404
    assert "Revalorisation fictive" not in referent.get(reverse("schemes:veille_feed")).content.decode()
    services.veille_entry_publish(actor=coordinator, entry=entry)
    assert referent.get(detail).status_code == 200
    feed = referent.get(reverse("schemes:veille_feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Revalorisation fictive" in feed.content.decode()
    assert login_client(None).get(reverse("schemes:veille_feed")).status_code == 302  # login required


def test_good_practices_search_by_thematique_and_text(world):
    client = login_client(world.users["referent"])
    upload = SimpleUploadedFile("bilan.txt", b"bilan fictif")
    response = client.post(
        reverse("schemes:practice_create"),
        {
            "title": "Petit-déjeuner emploi",
            "territory": "Montreynaud",
            "description": "Rencontres mensuelles fictives.",
            "thematiques": ["choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"],
            "attachment": upload,
        },
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.attachments.count() == 1
    GoodPractice.objects.create(
        title="Autre", territory="Terrenoire", description="Sans rapport.", thematiques=["numerique--x"]
    )
    assert [
        p.title
        for p in selectors.good_practice_search(
            thematique="choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"
        )
    ] == ["Petit-déjeuner emploi"]
    assert [p.title for p in selectors.good_practice_search(text="mensuelles")] == ["Petit-déjeuner emploi"]
    page = client.get(
        reverse("schemes:practices"), {"thematique": "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"}
    )
    assert "Petit-déjeuner emploi" in page.content.decode() and "Autre" not in page.content.decode()
    download = client.get(reverse("schemes:attachment", kwargs={"public_id": practice.attachments.get().public_id}))
    assert download.content == b"bilan fictif"


@pytest.mark.django_db
def test_eligibility_panel_renders_eligible_then_to_check_with_propose_buttons():
    from citemploi.www.pathways.panels import panel_lines

    profile = Profile(qpv_resident=True, rsa="majore", rqth=True)
    results = selectors.eligibility_for_person(profile, dt.date(2025, 6, 1))
    groups = panel_lines(profile, results, "/modifier/")
    context = {"eligibility_groups": groups, "propose_url": "/proposer/"}
    html = render_to_string("schemes/_eligibility_panel.html", context)
    assert html.index(">Accessible<") < html.index(">À vérifier<") < html.index("non accessibles et pourquoi")
    assert 'action="/proposer/"' in html and 'value="cap_emploi"' in html
    quiet = render_to_string("schemes/_eligibility_panel.html", {**context, "propose_url": ""})
    assert "<form" not in quiet


@pytest.mark.django_db
def test_demo_is_idempotent():
    from io import StringIO

    from citemploi.schemes.demo import load_demo

    load_demo(stdout=StringIO())
    load_demo(stdout=StringIO())
    assert VeilleEntry.objects.published().count() == 3
    assert GoodPractice.objects.count() == 3
