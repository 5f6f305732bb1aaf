"""Issue 14 in Chromium: the coordinator prepares a COPIL meeting (three agenda items), invites the members (the
e-mails and their .ics reach the test back-end), records attendance and two decisions; the next COTECH lists them
in « suites des décisions précédentes », and a late decision shows on the board. Every steering page passes axe-core
(no serious or critical violation) at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.governance.models import Decision, Instance, InstanceKind, InstanceMember, MemberRole
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.governance import meeting, roadmap_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene():
    coordination = StructureFactory(coordination=True)
    state = StructureFactory(state=True)
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    coordinator = user_with_role(Role.COORDINATOR, coordination, email="coord@exemple.test", is_demo_account=True)
    prefet = user_with_role(Role.STATE_COPILOT, state, email="etat@exemple.test", first_name="Étienne")
    member = user_with_role(Role.STEERING_MEMBER, state, email="copil@exemple.test", first_name="Colette")
    copil = Instance.objects.create(kind=InstanceKind.COPIL, name="COPIL de test")
    InstanceMember.objects.create(instance=copil, user=prefet, role=MemberRole.CO_CHAIR)
    InstanceMember.objects.create(instance=copil, user=member)
    cotech = Instance.objects.create(kind=InstanceKind.COTECH, name="COTECH de test")
    InstanceMember.objects.create(instance=cotech, structure=relais)
    earlier = meeting(copil, days=-40, title="COPIL précédent")
    Decision.objects.create(
        meeting=earlier,
        text="Décision en retard",
        owner_structure=relais,
        deadline=timezone.localdate() - dt.timedelta(days=5),
    )
    next_cotech = meeting(cotech, days=10, title="COTECH suivant")
    roadmap_draft()
    return coordinator, copil, next_cotech


def _axe(page, label: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{label} à {width} px"


def test_a_copil_is_prepared_held_and_followed_up(page, live_server, settings):
    settings.DEMO_MODE = True  # the demo coordinator skips TOTP (as in test_shell_accessibility)
    coordinator, copil, next_cotech = _scene()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/pilotage/")
    _axe(page, "accueil du pilotage")
    follow(page.get_by_role("link", name="COPIL de test"))
    _axe(page, "page de l'instance")

    start = timezone.localtime() + dt.timedelta(hours=2)
    page.get_by_label("Intitulé").fill("COPIL d'aujourd'hui")
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill((start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lieu").fill("Salle du conseil")
    follow(page.get_by_role("button", name="Créer la réunion"))
    assert page.get_by_role("heading", name="COPIL d'aujourd'hui").is_visible()

    for title in ("Bilan du semestre", "Entonnoir par QPV", "Feuille de route"):
        page.get_by_text("Ajouter un point").click()
        page.locator("#id_item-title").fill(title)
        follow(page.get_by_role("button", name="Ajouter le point"))
    items = page.locator("#avant ~ ol li").all_inner_texts()
    assert [i.split(" — ")[0].split("\n")[0].replace("Retirer", "").strip() for i in items[:3]] == [
        "Bilan du semestre",
        "Entonnoir par QPV",
        "Feuille de route",
    ]

    follow(page.get_by_role("button", name="Inviter les membres (courriel avec .ics)"))
    assert {m.to[0] for m in mail.outbox} == {"etat@exemple.test", "copil@exemple.test"}
    assert all(m.attachments and m.attachments[0][0] == "reunion.ics" for m in mail.outbox)

    page.get_by_label("Présence de Étienne").select_option("oui")
    follow(page.get_by_role("button", name="Enregistrer l'émargement"))
    assert "Émargement enregistré (1 modification(s))." in page.content()

    for text in ("Ouvrir une permanence au centre social", "Présenter l'entonnoir au COTECH"):
        page.get_by_text("Consigner une décision").click()
        page.locator("#id_decision-text").fill(text)
        page.locator("#id_decision-owner_structure").select_option(label="Relais emploi Montreynaud")
        follow(page.get_by_role("button", name="Consigner la décision"))
    _axe(page, "page de la réunion")

    page.goto(f"{live_server.url}/pilotage/reunions/{next_cotech.public_id}/")
    section = page.locator("#avant + h3 + ul").inner_text()
    for text in ("Décision en retard", "Ouvrir une permanence au centre social", "Présenter l'entonnoir au COTECH"):
        assert text in section
    assert section.index("Décision en retard") < section.index("Ouvrir une permanence")  # late first

    page.goto(f"{live_server.url}/pilotage/suivi/")
    assert "1 décision en retard." in page.content()
    assert page.locator(".badge.text-bg-danger", has_text="en retard").count() >= 1
    _axe(page, "suivi des décisions")
    page.goto(f"{live_server.url}/pilotage/feuille-de-route/")
    _axe(page, "feuille de route")
