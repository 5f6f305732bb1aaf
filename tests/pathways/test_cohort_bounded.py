"""The cohort list and the alerts inbox count and page through at most LIST_CAP rows (issue 16 §5)."""

import pytest
from django.urls import reverse

from citemploi.core import pagination
from tests.conftest import login_client
from tests.pathways.test_queries import _bulk_people

pytestmark = pytest.mark.django_db


def test_the_cohort_says_there_are_more_past_the_cap(world, monkeypatch):
    _bulk_people(world.relais, world.users["referent"], world.other_relais, 12)
    client = login_client(world.users["coordinator"])
    page = client.get(reverse("pathways:cohort")).content.decode()
    assert "12 personnes." in page and "Page 1 sur" not in page  # under the cap: the exact count, one page
    monkeypatch.setattr(pagination, "LIST_CAP", 5)
    response = client.get(reverse("pathways:cohort"))
    assert "Plus de 5 personnes" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 1 and len(response.context["page"].object_list) == 5
    assert client.get(reverse("pathways:alerts")).status_code == 200


def test_the_visible_people_are_the_same_through_the_indexed_branches(world):
    """A referent sees their structure's people and those handed to it; the other relais only the handed ones."""
    from citemploi.pathways.models import Person

    _bulk_people(world.relais, world.users["referent"], world.other_relais, 10)
    assert Person.objects.visible_to(world.users["referent"]).count() == 10
    assert Person.objects.visible_to(world.users["outsider"]).count() == 5  # only the live hand-offs to it


def test_the_menu_counts_alerts_up_to_the_cap(world, monkeypatch):
    from django.core.cache import caches

    from citemploi.pathways import alerts
    from citemploi.www.templatetags.navcount import badge

    _bulk_people(world.relais, world.users["referent"], world.other_relais, 12)  # old, no contact: alerts
    coordinator = world.users["coordinator"]
    full = alerts.alert_rows(coordinator).count()
    assert full > 5 and alerts.alert_count(coordinator) == full
    monkeypatch.setattr(alerts, "ALERT_COUNT_CAP", 5)
    coordinator._alert_count = None  # the per-request cache
    caches["figures"].clear()  # and the count kept until the data changes (the cap is code, not data)
    assert alerts.alert_count(coordinator) == 5
    assert (badge(999), badge(1000)) == ("999", "999+")
