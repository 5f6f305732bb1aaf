"""The steering pages read a number of queries that does not grow with the data (pinned at two sizes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citemploi.governance.models import Decision
from tests.conftest import login_client
from tests.factories.governance import copil, invite, meeting

pytestmark = pytest.mark.django_db


def _grow(world, instance, n: int) -> None:
    held = meeting(instance, days=-10 - n, title=f"Séance {n}")
    for i in range(n):
        Decision.objects.create(
            meeting=held,
            text=f"Décision {n}-{i}",
            owner_structure=world.relais if i % 2 else None,
            owner=None if i % 2 else world.users["state_copilot"],
            deadline=timezone.localdate() - dt.timedelta(days=i - n // 2),
        )
        held.items.create(title=f"Point {i}", position=i)
    coming = meeting(instance, days=3 + n, title=f"À venir {n}")
    invite(
        coming,
        *[world.users[p] for p in ("state_copilot", "steering_member", "referent", "colleague")][: max(1, n // 5)],
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_of", ["home", "board", "roadmap", "meeting", "instance"])
def test_steering_pages_do_not_grow_with_the_data(world, url_of):
    instance = copil(world)
    client = login_client(world.users["coordinator"])
    counts = []
    for n in (2, 20):
        _grow(world, instance, n)
        last = instance.meetings.order_by("-starts_at").first()
        url = {
            "home": "/pilotage/",
            "board": "/pilotage/suivi/",
            "roadmap": "/pilotage/feuille-de-route/",
            "meeting": f"/pilotage/reunions/{last.public_id}/",
            "instance": f"/pilotage/instances/{instance.public_id}/",
        }[url_of]
        counts.append(_count(client, url))
    assert counts[0] == counts[1], f"{url_of} : {counts}"
