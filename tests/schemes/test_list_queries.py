"""Veille, its feed and the good-practice library answer with a query count that does not grow with entries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.schemes.models import GoodPractice, Scheme, VeilleEntry, VeilleStatus
from tests.conftest import assert_max_queries, login_client

pytestmark = pytest.mark.django_db


def _add_entries(count: int, author) -> None:
    schemes = list(Scheme.objects.all()[:3])
    for i in range(count):
        entry = VeilleEntry.objects.create(
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            title=f"Note fictive {i}",
            summary="Résumé fictif.",
            tags=["règle"],
            status=VeilleStatus.PUBLISHED,
            published_at=timezone.now(),
            author=author,
        )
        entry.schemes.set(schemes)
        GoodPractice.objects.create(
            title=f"Pratique fictive {i}", territory="Montreynaud", description="Fictive.", author=author
        )


def _count(client, url: str) -> int:
    with assert_max_queries(1000) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["schemes:veille", "schemes:veille_feed", "schemes:practices"])
def test_query_count_does_not_grow_with_entries(world, url_name):
    author = world.users["coordinator"]
    client = login_client(world.users["referent"])
    url = reverse(url_name)
    _add_entries(2, author)
    client.get(url)
    before = _count(client, url)
    _add_entries(20, author)
    assert _count(client, url) == before
