"""Issue 10, item 9: the alerts inbox at real volume (filters, pagination, reasons in plain French, counter in the
menu and on the home page, to-dos per role), and the agenda of item 7 with its iCal export, scoped to the user's
structures. Query counts are pinned at 10 and 200 alerts on the inbox and the home page."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import alerts, services
from citemploi.pathways.models import Handoff, Pathway, Person
from citemploi.pathways.services import appointments as ap
from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


#: The query counts of the inbox, the home page and the agenda, whatever the number of alerts.
PINNED = {"alerts": 17, "home": 12, "agenda": 10}  # each with the data version the menu counter is kept under


def _bulk_alerts(world, count, *, start=0):
    """``count`` alerts for the relais: half people without referent, half hand-offs received from the other relais
    (a referent set on those, so each raises exactly one alert)."""
    agent = world.users["referent"]
    people = Person.objects.bulk_create(
        [
            Person(first_name=f"P{i}", last_name=f"N{i}", search_name=f"n{i} p{i}", birth_date=dt.date(1990, 1, 1))
            for i in range(start, start + count)
        ]
    )
    now = timezone.now()
    Pathway.objects.bulk_create([Pathway(person=p, structure=world.relais if i % 2 else world.other_relais,
                                         referent=None if i % 2 else world.users["outsider"], state="repere",
                                         last_contact_at=now) for i, p in enumerate(people)])  # fmt: skip
    Handoff.objects.bulk_create([Handoff(person=p, from_structure=world.other_relais, to_structure=world.relais,
                                         reason="x", sent_by=world.users["outsider"], sent_at=now - dt.timedelta(days=i % 40))
                                 for i, p in enumerate(people) if not i % 2])  # fmt: skip
    return agent


def _count(client, url):
    caches["figures"].clear()  # counted as computed: the menu's kept alert count forgotten (core/freshness.py)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("persona", ["referent", "coordinator"])
def test_inbox_and_home_query_counts_are_the_same_for_10_and_200_alerts(world, persona):
    _bulk_alerts(world, 10)
    assert alerts.alert_rows(world.users["referent"]).count() == 10
    client = login_client(world.users[persona])
    urls = [reverse("pathways:alerts"), reverse("pathways:alerts") + "?kind=a_accuser&age=30", reverse("www:home"),
            reverse("pathways:agenda")]  # fmt: skip
    small = {url: _count(client, url)[0] for url in urls}
    _bulk_alerts(world, 190, start=10)
    assert alerts.alert_rows(world.users["referent"]).count() == 200
    large = {url: _count(client, url)[0] for url in urls}
    assert large == small
    # Session, user, memberships, count, page, one query per model the inbox shows (hand-offs, appointments,
    # pathways, follow-ups), the filter choices, the menu counter.
    for url, limit in zip(urls, (PINNED["alerts"], PINNED["alerts"], PINNED["home"], PINNED["agenda"]), strict=True):
        assert small[url] <= limit, (url, small[url])


def test_inbox_is_paginated_filtered_and_speaks_french(world):
    _bulk_alerts(world, 60)
    client = login_client(world.users["referent"])
    _n, page = _count(client, reverse("pathways:alerts"))
    assert "60 alertes." in page and "Page 1 sur 3" in page
    assert "Orientation reçue de Relais emploi Terrenoire le" in page  # the oldest first
    _n, page = _count(client, reverse("pathways:alerts") + "?kind=sans_referent")
    assert "30 alertes." in page and "Orientation reçue" not in page and "sans référent unique désigné" in page
    _n, page = _count(client, reverse("pathways:alerts") + "?kind=a_accuser&age=7")
    assert "Orientation reçue" in page and "sans référent unique" not in page
    young = sum(1 for i in range(0, 60, 2) if i % 40 < 7)
    assert f"{young} alertes." in page
    _n, page = _count(client, reverse("pathways:alerts") + f"?referent={world.users['colleague'].pk}")
    assert "Aucune alerte pour ces critères." in page  # the colleague is referent of none of these people
    _n, page = _count(client, reverse("pathways:alerts") + f"?relais={world.other_relais.pk}&kind=sans_referent")
    assert "Aucune alerte pour ces critères." in page


def test_outsider_sees_only_its_own_alerts_and_the_counter_is_in_the_menu_and_on_home(world):
    _bulk_alerts(world, 10)
    referent, outsider = login_client(world.users["referent"]), login_client(world.users["outsider"])
    _n, home = _count(referent, reverse("www:home"))
    assert "Orientations à accuser" in home and "Rendez-vous aujourd&#x27;hui" in home
    assert '10<span class="visually-hidden"> à traiter</span>' in home  # the menu counter
    _n, page = _count(outsider, reverse("pathways:alerts"))
    assert "Aucune alerte pour ces critères." in page


def test_planned_appointment_is_in_both_structures_alerts_and_agendas_and_the_ical_export(world, mission_locale):
    agent, ml = world.users["referent"], world.users["ml_referent"]
    person = make_person(by=agent, first_name="Zoé", last_name="Martin")
    handoff = services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    services.handoff_acknowledge(by=ml, handoff=handoff)
    next_week = timezone.now() + dt.timedelta(days=7)
    ap.appointment_plan(by=ml, handoff=handoff, starts_at=next_week, place="Salle 2")
    for user in (agent, ml):
        client = login_client(user)
        _n, inbox = _count(client, reverse("pathways:alerts") + "?kind=rdv_prevu")
        assert "Rendez-vous prévu le" in inbox and "Salle 2" in inbox
        _n, agenda = _count(client, reverse("pathways:agenda"))
        assert "Zoé" in agenda
        ics = client.get(reverse("pathways:agenda_ical"))
        assert ics["Content-Type"].startswith("text/calendar")
        body = ics.content.decode()
        assert "BEGIN:VEVENT" in body and "Zoé M." in body and "Martin" not in body
    outsider = login_client(world.users["outsider"])
    assert "BEGIN:VEVENT" not in outsider.get(reverse("pathways:agenda_ical")).content.decode()
    assert "Zoé" not in outsider.get(reverse("pathways:agenda")).content.decode()
    assert login_client(None).get(reverse("pathways:agenda_ical")).status_code == 302


def test_every_alert_type_has_a_reason(world, mission_locale, settings):
    settings.PATHWAYS_NO_CONTACT_DAYS = 1
    agent, ml = world.users["referent"], world.users["ml_referent"]
    person = make_person(by=agent)
    old = timezone.now() - dt.timedelta(days=40)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=old)
    handoff = services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    services.handoff_acknowledge(by=ml, handoff=handoff)
    Handoff.objects.filter(pk=handoff.pk).update(acknowledged_at=old)
    exited = make_person(by=agent, spotted_on=dt.date.today() - dt.timedelta(days=300))
    services.contact_record(by=agent, person=exited, kind="rdv", happened_at=old - dt.timedelta(days=200))
    services.exit_record(by=agent, person=exited, exited_on=dt.date.today() - dt.timedelta(days=200), situation="cdi")
    rows = alerts.materialise(alerts.alert_rows(agent))
    kinds = {a.kind for a in rows}
    assert {alerts.WITHOUT_MEETING, alerts.WITHOUT_CONTACT, alerts.FOLLOWUP_DUE} <= kinds
    assert all(a.reason and a.kind_label for a in rows)


def test_the_demo_plans_meetings_and_its_inbox_is_paginated(world):
    import io

    from citemploi.accounts.demo import load_demo_accounts
    from citemploi.accounts.models import User
    from citemploi.pathways.demo import load_demo
    from citemploi.pathways.models import Appointment
    from citemploi.territory.services import territory_load

    territory_load()
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    assert Appointment.objects.filter(state="prevu", starts_at__gt=timezone.now()).exists()
    coordinator = User.objects.get(pk=world.users["coordinator"].pk)
    client = login_client(coordinator)
    queries, page = _count(client, reverse("pathways:alerts"))
    total = alerts.alert_rows(coordinator).count()
    assert total > 25 and f"{total} alertes." in page and page.count('class="card mb-2"') == 25
    assert queries <= PINNED["alerts"]
    _q, agenda = _count(client, reverse("pathways:agenda"))
    assert "Accueil (démonstration)" in agenda
