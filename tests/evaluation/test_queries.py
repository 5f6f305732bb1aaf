"""Query counts of the evaluation pages do not depend on the data size (pinned at two sizes), when the figures are
computed and when they were already (citemploi/core/freshness.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import services
from tests.conftest import assert_max_queries, login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

QUERY = {"kind": "year", "start": "2026-01-01"}
LIMITS = {"evaluation:dashboard": 110, "evaluation:funnel": 24, "api:indicators": 60}
#: the same pages when every figure is already computed: the data version, the session, the page's own reads
KEPT_LIMITS = {"evaluation:dashboard": 9, "evaluation:funnel": 8, "api:indicators": 8}


def _people(world, n):
    agent = world.users["referent"]
    for i in range(n):
        person = make_person(by=agent, spotted_on=dt.date(2026, 1, 5) + dt.timedelta(days=i % 20))
        services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
        services.frein_identify(by=agent, person=person, theme="mobilite")


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("name", sorted(LIMITS))
def test_query_count_is_independent_of_the_size(world, size, name):
    _people(world, size)
    client = login_client(world.users["coordinator"])
    query = (
        {"from": "2026-01-01", "to": "2026-12-31", "by": "sex"} if name.startswith("api") else {**QUERY, "by": "sex"}
    )
    client.get(reverse(name), query)  # warm the session and caches
    with assert_max_queries(LIMITS[name]) as ctx:
        response = client.get(reverse(name), query)
    assert response.status_code == 200
    assert len(ctx.captured_queries) > 5
    with CaptureQueriesContext(connection) as kept:
        again = client.get(reverse(name), query)
    assert len(kept.captured_queries) <= KEPT_LIMITS[name]
    assert again.status_code == 200
    assert len(kept.captured_queries) < len(ctx.captured_queries)
