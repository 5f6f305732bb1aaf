"""Who sees what (DOMAIN.md §3): outsiders get 404 everywhere, the receiving structure sees the shared subset and
its reads are logged, sensitive facts and notes stay home, and the API never shows more than the screens."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from citemploi.core.models import AccessLog
from citemploi.pathways import services
from citemploi.pathways.models import Person
from tests.conftest import login_client
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent, rqth=True, email="secret@exemple.test", phone="0601020304")
    frein = services.frein_identify(by=agent, person=person, theme="justice", comment="récit du référent")
    services.frein_identify(by=agent, person=person, theme="mobilite")
    services.contact_record(
        by=agent, person=person, kind="rdv", happened_at=timezone.now(), note="note interne du relais"
    )
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    handoff = services.handoff_send(
        by=agent,
        person=person,
        to_structure=mission_locale,
        reason="CEJ",
        shared=["freins", "schemes"],
        mobilisation=cej,
    )
    consent = services.consent_give(by=agent, person=person, partner=mission_locale, given_on=dt.date.today())
    return {"person": person, "frein": frein, "cej": cej, "handoff": handoff, "consent": consent}


def _person_urls(objs):
    p = objs["person"].public_id
    sub = {"frein_state": ("frein_id", objs["frein"]), "mobilisation_state": ("mobilisation_id", objs["cej"]),
           "handoff_acknowledge": ("handoff_id", objs["handoff"]), "handoff_refuse": ("handoff_id", objs["handoff"]),
           "handoff_first_meeting": ("handoff_id", objs["handoff"]), "consent_revoke": ("consent_id", objs["consent"]),
           "consent_receipt": ("consent_id", objs["consent"])}  # fmt: skip
    urls = [reverse(f"pathways:{name}", args=[p]) for name in (
        "person", "person_edit", "notice_new", "consent_new", "referent", "pathway_state", "frein_new",
        "mobilisation_new", "handoff_new", "contact_new", "exit_new", "job_new")]  # fmt: skip
    urls += [
        reverse(f"pathways:{name}", kwargs={"public_id": p, key: obj.public_id}) for name, (key, obj) in sub.items()
    ]
    return urls


def test_outsider_gets_404_on_the_page_every_action_and_every_api_route(world, handed, clients):
    outsider = clients["outsider"]
    for url in _person_urls(handed):
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, {}).status_code == 404, url
    p, h, m = handed["person"].public_id, handed["handoff"].public_id, handed["cej"].public_id
    assert outsider.get(f"/api/v1/persons/{p}/").status_code == 404
    assert (
        outsider.patch(f"/api/v1/persons/{p}/", {"first_name": "X"}, content_type="application/json").status_code == 404
    )
    for action in ("acknowledge", "refuse", "first-meeting"):
        assert (
            outsider.post(f"/api/v1/handoffs/{h}/{action}/", {"reason": "x", "met_on": "2026-01-01"}).status_code == 404
        )
    assert outsider.post(f"/api/v1/mobilisations/{m}/transition/", {"target": "acceptee"}).status_code == 404
    assert (
        outsider.post(
            "/api/v1/contacts/", {"person": str(p), "kind": "rdv", "happened_at": "2026-01-01T10:00:00Z"}
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            "/api/v1/handoffs/", {"person": str(p), "to_structure": str(world.other_relais.public_id), "reason": "x"}
        ).status_code
        == 404
    )
    for route in ("persons", "handoffs", "contacts", "mobilisations"):
        assert str(p) not in outsider.get(f"/api/v1/{route}/").content.decode()
    assert Person.objects.get(pk=handed["person"].pk).first_name != "X"


def test_receiving_structure_sees_the_shared_subset_and_its_reads_are_logged(world, handed):
    ml = login_client(world.users["ml_referent"])
    url = reverse("pathways:person", args=[handed["person"].public_id])
    page = ml.get(url).content.decode()
    # Both shared sections are shown: the frein (mobilité) and the scheme under its catalogue name (the hand-off's
    # reason "CEJ" is on the page anyway, so it proves nothing; the name's apostrophe is HTML-escaped).
    assert "Mobilité" in page
    assert f'<th scope="row" data-label="Dispositif">{escape(handed["cej"].scheme.name)}</th>' in page
    assert "secret@exemple.test" not in page  # contact details were not shared
    assert "Justice" not in page and "RQTH" not in page  # sensitive facts stay with the referent's structure
    assert "note interne du relais" not in page and "récit du référent" not in page  # notes stay home
    api = ml.get(f"/api/v1/persons/{handed['person'].public_id}/").json()
    assert "rqth" not in api and "email" not in api
    logs = AccessLog.objects.filter(record_id=str(handed["person"].public_id), user=world.users["ml_referent"])
    assert logs.count() == 2 and {log.path for log in logs} == {url, f"/api/v1/persons/{handed['person'].public_id}/"}
    login_client(world.users["referent"]).get(url)
    assert not AccessLog.objects.filter(user=world.users["referent"]).exists()


def test_state_copilot_steering_and_admin_see_no_personal_record(world, handed, clients):
    for persona in ("state_copilot", "steering_member", "admin"):
        assert clients[persona].get(reverse("pathways:person", args=[handed["person"].public_id])).status_code == 404
        assert clients[persona].get("/api/v1/persons/").json()["count"] == 0


@pytest.mark.parametrize(
    "persona", ["referent", "colleague", "outsider", "coordinator", "state_copilot", "ml_referent"]
)
def test_the_api_never_shows_more_than_the_screens(world, handed, persona):
    client = login_client(world.users[persona])
    ui = client.get(reverse("pathways:cohort"))
    api_ids = (
        {row["id"] for row in client.get("/api/v1/persons/").json()["results"]} if ui.status_code == 200 else set()
    )
    ui_ids = {str(p.public_id) for p in ui.context["page"]} if ui.status_code == 200 else set()
    assert api_ids == ui_ids
    if persona == "ml_referent":
        assert api_ids == {str(handed["person"].public_id)}
