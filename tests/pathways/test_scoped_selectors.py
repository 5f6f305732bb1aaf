"""Scoped reads (issue 9 §20): ``visible_to(user)`` on hand-offs and mobilisations (the pages and the API use the
same), and the one selector that opens a person for a viewer, with the fields they may see, writing the access log."""

from __future__ import annotations

import pytest

from citemploi.core.errors import NotFound
from citemploi.core.models import AccessLog
from citemploi.pathways import services
from citemploi.pathways.models import Handoff, Mobilisation
from citemploi.pathways.selectors import person_for_viewer
from tests.conftest import login_client
from tests.factories.accounts import StructureFactory
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent, rqth=True, email="secret@exemple.test")
    own = services.mobilisation_propose(
        by=agent, person=person, scheme=scheme("pec"), structure=StructureFactory(kind="france_travail")
    )
    ml = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=mission_locale, reason="x", shared=["schemes"]
    )
    return {"person": person, "own": own, "ml": ml, "handoff": handoff}


def test_handoffs_visible_to_each_persona(world, handed):
    expected = {"referent": 1, "colleague": 1, "ml_referent": 1, "coordinator": 1, "outsider": 0}
    expected |= {"state_copilot": 0, "steering_member": 0, "admin": 0, "anonymous": 0}
    for persona, count in expected.items():
        user = world.users[persona]
        assert Handoff.objects.visible_to(user).count() == count, persona
        if persona != "anonymous":
            assert login_client(user).get("/api/v1/handoffs/").json().get("count", 0) == count, persona


def test_mobilisations_visible_to_the_referent_structure_and_the_one_in_charge(world, handed, mission_locale):
    assert set(Mobilisation.objects.visible_to(world.users["referent"])) == {handed["own"], handed["ml"]}
    # The hand-off shares the schemes: the receiver sees both (as on the person page), moves only its own.
    assert set(Mobilisation.objects.visible_to(world.users["ml_referent"])) == {handed["own"], handed["ml"]}
    other = make_person(by=world.users["referent"])
    services.mobilisation_propose(
        by=world.users["referent"],
        person=other,
        scheme=scheme("pec"),
        structure=StructureFactory(kind="france_travail"),
    )
    unshared = services.mobilisation_propose(
        by=world.users["referent"], person=other, scheme=scheme("cej"), structure=mission_locale
    )
    services.handoff_send(by=world.users["referent"], person=other, to_structure=mission_locale, reason="x", shared=[])
    assert set(Mobilisation.objects.visible_to(world.users["ml_referent"]).filter(person=other)) == {unshared}
    assert Mobilisation.objects.visible_to(world.users["coordinator"]).count() == 4
    for persona in ("outsider", "state_copilot", "admin", "anonymous"):
        assert not Mobilisation.objects.visible_to(world.users[persona]).exists(), persona
    services.handoff_refuse(by=world.users["ml_referent"], handoff=handed["handoff"], reason="complet")
    seen = Mobilisation.objects.visible_to(world.users["ml_referent"])
    assert not seen.filter(person=handed["person"]).exists()  # the person is no longer seen


def test_person_for_viewer_gives_each_viewer_their_fields_and_logs_outside_reads(world, handed):
    public_id = handed["person"].public_id
    own = person_for_viewer(world.users["referent"], public_id, path="/p/")
    assert own.sight.full and own.hidden_fields == frozenset()
    assert not AccessLog.objects.exists()  # the referent's structure reads its own record unlogged

    received = person_for_viewer(world.users["ml_referent"], public_id, reason="orientation", path="/p/")
    assert {"rqth", "justice", "email", "phone", "address"} <= received.hidden_fields  # shared: schemes only
    log = AccessLog.objects.get()
    assert (log.user, log.record_id, log.reason, log.path) == (
        world.users["ml_referent"],
        str(public_id),
        "orientation",
        "/p/",
    )

    coordination = person_for_viewer(world.users["coordinator"], public_id)
    assert coordination.sight.full and not coordination.hidden_fields
    assert AccessLog.objects.filter(user=world.users["coordinator"]).count() == 1

    for persona in ("outsider", "state_copilot", "admin", "anonymous"):
        with pytest.raises(NotFound):
            person_for_viewer(world.users[persona], public_id)


def test_the_page_and_the_api_hide_the_same_fields(world, handed):
    client = login_client(world.users["ml_referent"])
    api = client.get(f"/api/v1/persons/{handed['person'].public_id}/").json()
    hidden = person_for_viewer(world.users["ml_referent"], handed["person"].public_id).hidden_fields
    assert not hidden & set(api) and {"first_name", "last_name"} <= set(api)
    page = client.get(f"/personnes/{handed['person'].public_id}/").content.decode()
    assert "secret@exemple.test" not in page


def test_a_mobilisation_seen_but_not_in_charge_is_403_in_both_layers(world, handed):
    """Shared with the receiver, the referent's own scheme is seen (page and API list) but not moved: 403 on the
    page and in the API alike; a mobilisation of a person not seen is 404 in both."""
    ml = login_client(world.users["ml_referent"])
    own, p = handed["own"].public_id, handed["person"].public_id
    assert str(own) in ml.get("/api/v1/mobilisations/").content.decode()
    page = f"/personnes/{p}/dispositifs/{own}/"
    assert ml.get(page).status_code == 403
    assert ml.post(f"/api/v1/mobilisations/{own}/transition/", {"target": "orientee"}).status_code == 403
    outsider = login_client(world.users["outsider"])
    assert outsider.get(page).status_code == 404
    assert outsider.post(f"/api/v1/mobilisations/{own}/transition/", {"target": "orientee"}).status_code == 404
