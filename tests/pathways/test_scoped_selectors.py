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
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent, rqth=True, email="secret@exemple.test")
    own = services.mobilisation_propose(by=agent, person=person, scheme=scheme("pec"), structure=world.relais)
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


def test_mobilisations_visible_to_the_referent_structure_and_the_one_in_charge(world, handed):
    assert set(Mobilisation.objects.visible_to(world.users["referent"])) == {handed["own"], handed["ml"]}
    assert set(Mobilisation.objects.visible_to(world.users["ml_referent"])) == {handed["ml"]}
    assert set(Mobilisation.objects.visible_to(world.users["coordinator"])) == {handed["own"], handed["ml"]}
    for persona in ("outsider", "state_copilot", "admin", "anonymous"):
        assert not Mobilisation.objects.visible_to(world.users[persona]).exists(), persona
    services.handoff_refuse(by=world.users["ml_referent"], handoff=handed["handoff"], reason="complet")
    assert not Mobilisation.objects.visible_to(world.users["ml_referent"]).exists()  # the person is no longer seen


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
