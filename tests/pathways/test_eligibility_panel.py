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
    # Nothing said about France Travail: unknown (issue 11), never « non inscrit ».
    assert (profile.ft_registered, profile.ft_registered_since, profile.ft_category) == (None, None, None)
    assert profile.rsa == "none"
    assert profile.qpv_resident is None  # near a boundary: to check, not "out"
    assert profile.homeless is None  # housed by relatives: the IAE criterion has to be appraised
    assert (profile.student, profile.in_training) == (True, None)  # two facts now; « en formation » not asked
    assert profile.mobility_problem is None  # no frein recorded is not "no problem"
    assert (profile.rqth, profile.aah, profile.boe_title, profile.former_cui) == (None, None, None, None)

    person.ft_registered, person.ft_registered_since, person.ft_category = True, dt.date(2024, 1, 1), None
    person.student, person.in_training, person.boe_title = False, False, "none"
    person.housing, person.rsa, person.qpv_status = "sans_abri", "majore", "in"
    frein = services.frein_identify(by=agent, person=person, theme="mobilite")
    profile = person_profile(person, [frein])
    assert (profile.ft_registered_since, profile.ft_category) == (dt.date(2024, 1, 1), None)
    assert (profile.rsa, profile.qpv_resident, profile.homeless) == ("majore", True, True)
    assert (profile.student, profile.in_training, profile.mobility_problem) == (False, False, True)
    assert profile.boe_title == ""  # « aucun autre titre »: a known none
    person.ft_registered = False
    assert (person_profile(person).ft_registered_since, person_profile(person).ft_category) == (False, "")


def _panel(client, person) -> str:
    html = client.get(reverse("pathways:person", args=[person.public_id])).content.decode()
    return html[html.index('id="dispositifs-accessibles"') : html.index('id="freins"')]  # after the timeline


def _card(panel: str, scheme: str) -> str:
    start = panel.index(f'data-scheme="{scheme}"')
    end = panel.find('data-scheme="', start + 1)
    return panel[start : end if end != -1 else len(panel)]


def test_panel_lists_accessible_then_to_check_then_not_accessible_none_dropped(world):
    person = _young(world.users["referent"])
    panel = _panel(login_client(world.users["referent"]), person)
    answers = re.findall(r'data-answer="(eligible|to_check|not_eligible)"', panel)
    order = {"eligible": 0, "to_check": 1, "not_eligible": 2}
    assert answers == sorted(answers, key=order.get) and set(answers) == set(order)
    assert len(set(re.findall(r'data-scheme="([a-z0-9_]+)"', panel))) == 24  # every scheme of the catalogue
    assert panel.index("Voir les dispositifs non accessibles et pourquoi") < panel.index('data-answer="not_eligible"')
    assert "<details" in panel
    assert "engagement jeune" in panel
    assert "Règles appliquées : version du" in panel and "Réponses au" in panel
    assert f'action="{_propose_url(person)}"' in panel
    assert 'name="scheme" value="cej"' in panel
    # Not accessible: no « Proposer », but the reason is there.
    closed = _card(panel, "emplois_francs")
    assert "Dispositif fermé" in closed and "<form" not in closed


def test_a_blank_27_year_old_shows_the_schemes_to_check_with_the_questions(world):
    """Done-when of issue 11: a brand-new person with only a name and a birth date 27 years ago."""
    agent = world.users["referent"]
    today = dt.date.today()
    birth = (
        today.replace(year=today.year - 27) if (today.month, today.day) != (2, 29) else dt.date(today.year - 27, 3, 1)
    )
    created = services.person_register(
        by=agent,
        structure=agent.primary_structure,
        channel="permanence",
        spotted_on=today,
        locate=False,
        fields=services.PersonFields(first_name="Nouvelle", last_name="Personne", birth_date=birth),
    )
    panel = _panel(login_client(agent), created)
    edit = reverse("pathways:person_edit", args=[created.public_id])
    for scheme in ("cej", "cap_emploi", "contrat_pro"):
        assert 'data-answer="to_check"' in _card(panel, scheme), scheme
    cej = _card(panel, "cej")
    assert f'<a href="{edit}#id_rqth">La personne a-t-elle une RQTH ?</a>' in cej
    assert f'href="{edit}#id_student"' in cej and f'href="{edit}#id_in_training"' in cej
    cap = _card(panel, "cap_emploi")
    assert f'href="{edit}#id_aah"' in cap and f'href="{edit}#id_boe_title"' in cap
    pro = _card(panel, "contrat_pro")
    assert f'href="{edit}#id_ft_registered"' in pro and f'href="{edit}#id_former_cui"' in pro
    # 16 to 29 at the start of the contract (art. L.6222-1): at 27 the age condition is met.
    assert 'data-answer="eligible"' in _card(panel, "apprentissage")
    assert len(set(re.findall(r'data-scheme="([a-z0-9_]+)"', panel))) == 24  # no scheme hidden
    page = login_client(agent).get(edit).content.decode()
    for field in ("rqth", "student", "in_training", "aah", "boe_title", "ft_registered", "former_cui"):
        assert f'id="id_{field}"' in page, field  # every link lands on a field of the form
    assert "Non renseigné" in page


def test_proposer_button_asks_a_relais_for_the_operator_and_credits_it(world, mission_locale):
    """Issue 10 item 4: a relais does not run the CEJ; « Proposer » opens the form limited to its operators."""
    agent = world.users["referent"]
    person = _young(agent)
    client = login_client(world.users["colleague"])  # same structure: full sight
    response = client.post(_propose_url(person), {"scheme": "cej", "route": ""})
    assert response.status_code == 302
    form_url = reverse("pathways:mobilisation_new", args=[person.public_id]) + "?dispositif=cej"
    assert response.url == form_url
    assert not Mobilisation.objects.filter(person=person).exists()
    page = client.get(form_url)
    structures = list(page.context["form"].fields["structure"].queryset)
    assert mission_locale in structures and world.relais not in structures
    cej = page.context["form"].initial["scheme"]
    done = client.post(form_url, {"scheme": cej, "structure": mission_locale.pk})
    assert done.status_code == 302
    mobilisation = Mobilisation.objects.get(person=person)
    assert (mobilisation.scheme.code, mobilisation.state, mobilisation.structure) == ("cej", "proposee", mission_locale)
    assert person.timeline.filter(kind="mobilisation.proposed", actor=world.users["colleague"]).exists()


def test_proposer_button_proposes_at_once_when_the_structure_runs_the_scheme(world, mission_locale):
    ml_ref = world.users["ml_referent"]
    person = _young(ml_ref)
    client = login_client(ml_referent := ml_ref)
    response = client.post(_propose_url(person), {"scheme": "cej", "route": ""})
    assert response.status_code == 302
    assert response.url == reverse("pathways:person", args=[person.public_id]) + "#dispositifs"
    mobilisation = Mobilisation.objects.get(person=person)
    assert (mobilisation.scheme.code, mobilisation.state, mobilisation.structure) == ("cej", "proposee", mission_locale)
    assert person.timeline.filter(kind="mobilisation.proposed", actor=ml_referent).exists()

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

    assert [(code, str(label).lower()) for code, label in EducationLevel.choices] == [
        (code, label.lower()) for code, label in EDUCATION_LEVELS.items()
    ]


def test_education_levels_are_shown_by_label_in_increasing_order(db, clients, world):
    """The ASP codes are not in level order (00, 01, 10…): forms list the labels from the lowest level up."""
    from citemploi.pathways.choices import EducationLevel

    assert EducationLevel.values[:3] == ["01", "70", "00"] and EducationLevel.values[-1] == "10"
    html = clients["referent"].get(reverse("pathways:person_new")).content.decode()
    labels = ["Jamais scolarisé", "Formation de niveau BEP ou CAP", "Formation de niveau bac", "Troisième cycle"]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "00 — " not in html and ">10 — " not in html
