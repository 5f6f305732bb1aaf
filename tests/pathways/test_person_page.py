"""Issue 10, item 8: the person page's summary band (state, referent, QPV, next appointment, open alerts) with the
actions that fit the state as primary buttons and the rest under « Autres actions »; the sections menu; the
eligibility panel collapsed after the timeline; the forms' empty first choices; the page's query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.models import Pathway
from citemploi.pathways.services import appointments
from citemploi.www.pathways import forms as f
from tests.conftest import assert_max_queries, login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _band(html: str) -> str:
    match = re.search(r'<section class="person-band.*?</section>', html, re.S)
    assert match, html[:3000]
    return match.group(0)


def _primary(html: str) -> list[str]:
    return re.findall(r'class="btn btn-primary primary-action" href="[^"]*">([^<]+)</a>', _band(html))


def _others(html: str) -> list[str]:
    match = re.search(r'<details class="other-actions">(.*?)</details>', _band(html), re.S)
    return re.findall(r'href="[^"]*">([^<]+)</a>', match.group(1)) if match else []


def _page(client, person) -> str:
    response = client.get(reverse("pathways:person", args=[person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _set_state(person, state: str) -> None:
    Pathway.objects.filter(person=person).update(state=state)


@pytest.mark.parametrize(
    ("state", "primary"),
    [
        ("repere", ["Enregistrer un contact", "Enregistrer l&#x27;information"]),
        ("contacte", ["Identifier un frein", "Orienter vers une structure", "Proposer un dispositif"]),
        ("diagnostique", ["Identifier un frein", "Orienter vers une structure", "Proposer un dispositif"]),
        ("oriente", ["Enregistrer un contact", "Proposer un dispositif"]),
        ("en_parcours", ["Enregistrer un contact", "Enregistrer la sortie"]),
        ("perdu_de_vue", ["Enregistrer un contact", "Changer l&#x27;état du parcours"]),
    ],
)
def test_the_band_puts_the_actions_that_fit_the_state_first_and_groups_the_others(world, state, primary):
    agent = world.users["referent"]
    person = make_person(by=agent)
    _set_state(person, state)
    html = _page(login_client(agent), person)
    assert _primary(html) == primary
    others = _others(html)
    assert "Modifier la fiche" in others and not set(others) & set(primary)
    assert len(primary) + len(others) == 11  # every action once, none lost
    assert html.count("Enregistrer un contact</a>") == 1


def test_a_spotted_person_without_referent_gets_the_referent_as_third_primary_action(world):
    agent = world.users["referent"]
    person = make_person(by=agent, referent=False)
    assert _primary(_page(login_client(agent), person)) == [
        "Enregistrer un contact", "Enregistrer l&#x27;information", "Désigner le référent"
    ]  # fmt: skip


def test_after_the_exit_the_follow_ups_are_the_primary_actions(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    services.exit_record(by=agent, person=person, exited_on=dt.date.today(), situation="cdi")
    html = _page(login_client(agent), person)
    assert _primary(html) == [
        "Enregistrer le suivi à 3 mois", "Enregistrer le suivi à 6 mois", "Enregistrer le suivi à 12 mois"
    ]  # fmt: skip
    assert "Enregistrer la sortie" not in html and "Enregistrer un contact" not in html


def test_the_band_shows_state_referent_qpv_next_appointment_and_open_alerts(world, mission_locale):
    agent, ml_user = world.users["referent"], world.users["ml_referent"]
    person = make_person(by=agent)
    handoff = services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    services.handoff_acknowledge(by=ml_user, handoff=handoff)
    when = timezone.localtime() + dt.timedelta(days=7)
    appointments.appointment_plan(by=ml_user, handoff=handoff, starts_at=when, place="Accueil")
    band = _band(_page(login_client(agent), person))
    assert '<strong class="pathway-state">' in band
    assert str(agent) in band and world.relais.name in band
    assert "QPV" in band
    assert f"{when:%d/%m/%Y %H:%M}</time> — Accueil" in band
    # the planned meeting is an alert of both structures: one for this person
    assert re.search(r'class="open-alerts">1</a>', band)


def test_a_shared_sight_in_the_caseload_has_its_contact_action_as_primary(world, mission_locale):
    agent, ml_user = world.users["referent"], world.users["ml_referent"]
    person = make_person(by=agent)
    handoff = services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    services.handoff_acknowledge(by=ml_user, handoff=handoff)
    html = _page(login_client(ml_user), person)
    assert _primary(html) == ["Enregistrer un contact"] and _others(html) == []
    assert "QPV" not in _band(html)  # the address is not shared


def test_the_sections_menu_and_the_collapsed_eligibility_panel_after_the_timeline(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    html = _page(login_client(agent), person)
    nav = re.search(r'<nav class="person-sections".*?</nav>', html, re.S).group(0)
    for anchor in ("identite", "chronologie", "eligibilite", "freins", "dispositifs", "orientations", "contacts",
                   "sortie", "rgpd"):  # fmt: skip
        assert f'href="#{anchor}"' in nav and f'id="{anchor}"' in html, anchor
    details = re.search(r'<details class="eligibility-details[^>]*>\s*<summary>(.*?)</summary>', html, re.S)
    assert details, "the panel is a closed <details>"
    assert re.search(r"\d+ accessibles?, \d+ à vérifier", re.sub(r"<[^>]+>|\s+", " ", details.group(1)))
    assert html.index('id="chronologie"') < html.index('id="eligibilite"')


def test_required_lists_start_with_an_empty_choice():
    for form, name in ((f.FreinForm(), "theme"), (f.ContactForm(), "kind"), (f.FollowUpForm(), "situation"),
                       (f.StateForm(choices=[("a", "A")]), "target")):  # fmt: skip
        field = form.fields[name]
        assert field.required and list(field.choices)[0] == ("", "— choisir —"), name
        assert not form[name].value()
    assert not f.FreinForm({"identified_on": "2026-01-01"}).is_valid()
    assert f.HandoffForm.base_fields["to_structure"].empty_label == "— choisir —"


def test_the_frein_and_contact_forms_render_no_preselected_choice(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    client = login_client(agent)
    for name, select in (("frein_new", "theme"), ("contact_new", "kind")):
        html = client.get(reverse(f"pathways:{name}", args=[person.public_id])).content.decode()
        block = re.search(rf'<select name="{select}".*?</select>', html, re.S).group(0)
        assert (
            re.findall(r'value="([^"]*)" selected', block) == [""] and "— choisir —" in block and "required" in block
        ), name


def test_person_page_query_count_is_pinned(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    services.frein_identify(by=agent, person=person, theme="mobilite")
    services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="x", shared=["freins"])
    client = login_client(agent)
    url = reverse("pathways:person", args=[person.public_id])
    client.get(url)
    with assert_max_queries(26) as first:
        client.get(url)
    for i in range(3):  # more people and alerts elsewhere change nothing
        other = make_person(by=agent)
        services.handoff_send(by=agent, person=other, to_structure=mission_locale, reason=f"y{i}", shared=[])
    with assert_max_queries(26) as ctx:  # 25 today: the band's alert count and the data version it is kept under
        client.get(url)
    assert len(ctx.captured_queries) == len(first.captured_queries)
