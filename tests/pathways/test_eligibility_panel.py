"""The « Dispositifs accessibles » panel of the person page: the engine's answers for the record, eligible first
then to check with what is missing, and a « Proposer » button that creates the mobilisation."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citemploi.pathways import services
from citemploi.pathways.models import Mobilisation
from citemploi.www.pathways.panels import person_profile
from tests.conftest import login_client
from tests.factories.pathways import make_person
from tests.pathways.test_queries import _bulk_people

pytestmark = pytest.mark.django_db


def _young(agent, **fields):
    """A 20-year-old QPV resident, out of school, not registered with France Travail."""
    today = dt.date.today()
    values = {"birth_date": today.replace(year=today.year - 20) - dt.timedelta(days=10), "qpv_status": "in"}
    return make_person(by=agent, **{**values, **fields})


def _propose_url(person):
    return reverse("pathways:mobilisation_propose", args=[person.public_id])


def test_profile_follows_the_engine_semantics(world):
    agent = world.users["referent"]
    person = _young(agent, student=True, housing="famille", rsa="non", qpv_status="check")
    profile = person_profile(person)
    # No registration date is shown as « non inscrit »: a known "not registered", with no category.
    assert (profile.ft_registered_since, profile.ft_category) == (False, "")
    assert profile.rsa == "none"
    assert profile.qpv_resident is None  # near a boundary: to check, not "out"
    assert profile.homeless is None  # housed by relatives: the IAE criterion has to be appraised
    assert (profile.student, profile.in_training) == (None, None)  # one box for both: the engine cannot tell
    assert profile.mobility_problem is None  # no frein recorded is not "no problem"

    person.ft_registered_since, person.ft_category, person.student = dt.date(2024, 1, 1), "", False
    person.housing, person.rsa, person.qpv_status = "sans_abri", "majore", "in"
    frein = services.frein_identify(by=agent, person=person, theme="mobilite")
    profile = person_profile(person, [frein])
    assert (profile.ft_registered_since, profile.ft_category) == (dt.date(2024, 1, 1), None)
    assert (profile.rsa, profile.qpv_resident, profile.homeless) == ("majore", True, True)
    assert (profile.student, profile.in_training, profile.mobility_problem) == (False, False, True)


def test_panel_lists_eligible_schemes_first_then_those_to_check_with_what_is_missing(world):
    person = _young(world.users["referent"])
    html = login_client(world.users["referent"]).get(reverse("pathways:person", args=[person.public_id]))
    html = html.content.decode()
    panel = html[html.index('id="dispositifs-accessibles"') : html.index('id="chronologie"')]
    badges = re.findall(r'text-bg-(success|warning)">([^<]+)<', panel)
    answers = [kind for kind, _ in badges]
    assert answers == sorted(answers)  # every "success" (éligible) before every "warning" (à vérifier)
    assert "success" in answers and "warning" in answers
    assert "engagement jeune" in panel
    assert "À compléter ou vérifier : Qualification (diplôme) inconnue." in panel
    assert f'action="{_propose_url(person)}"' in panel
    assert 'name="scheme" value="cej"' in panel


def test_proposer_button_creates_a_proposed_mobilisation_once(world):
    agent = world.users["referent"]
    person = _young(agent)
    client = login_client(world.users["colleague"])  # same structure: full sight
    response = client.post(_propose_url(person), {"scheme": "cej", "route": ""})
    assert response.status_code == 302
    assert response.url == reverse("pathways:person", args=[person.public_id]) + "#dispositifs"
    mobilisation = Mobilisation.objects.get(person=person)
    assert (mobilisation.scheme.code, mobilisation.state, mobilisation.structure) == ("cej", "proposee", world.relais)
    assert person.timeline.filter(kind="mobilisation.proposed", actor=world.users["colleague"]).exists()

    # Refused: the central mapping (www.site.errors.DomainErrorMiddleware) goes back to the page posted from.
    page = "http://testserver" + reverse("pathways:person", args=[person.public_id])
    again = client.post(_propose_url(person), {"scheme": "cej"}, headers={"referer": page})
    assert (again.status_code, again.url) == (303, page)
    assert Mobilisation.objects.filter(person=person).count() == 1
    assert "déjà proposé ou en cours" in [str(m) for m in get_messages(again.wsgi_request)][-1]


def test_proposer_is_refused_to_others_and_needs_a_known_scheme(world, mission_locale):
    agent = world.users["referent"]
    person = _young(agent)
    assert login_client(world.users["outsider"]).post(_propose_url(person), {"scheme": "cej"}).status_code == 404
    services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=["schemes"])
    receiver = login_client(world.users["ml_referent"])
    assert receiver.post(_propose_url(person), {"scheme": "cej"}).status_code == 403  # shared sight only
    client = login_client(agent)
    assert client.get(_propose_url(person)).status_code == 405
    assert client.post(_propose_url(person), {"scheme": "inconnu"}).status_code == 302
    assert not Mobilisation.objects.filter(person=person).exists()


def test_person_page_with_the_panel_keeps_its_query_count_when_the_cohort_grows(world):
    agent = world.users["referent"]
    person = _young(agent)
    services.frein_identify(by=agent, person=person, theme="mobilite")
    client = login_client(agent)
    url = reverse("pathways:person", args=[person.public_id])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert "Dispositifs accessibles" in response.content.decode()
        return len(ctx.captured_queries)

    _bulk_people(world.relais, agent, world.other_relais, 10)
    small = count()
    _bulk_people(world.relais, agent, world.other_relais, 200)
    assert count() == small


def test_education_levels_of_the_record_are_the_engine_asp_codes_and_labels():
    from citemploi.pathways.choices import EducationLevel
    from citemploi.schemes.engine.profile import EDUCATION_LEVELS

    assert [(code, label.split(" — ", 1)[1].lower()) for code, label in EducationLevel.choices] == [
        (code, label.lower()) for code, label in EDUCATION_LEVELS.items()
    ]
