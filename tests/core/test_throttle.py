"""The throttle counts hits per key in the database (shared by every process) and refuses past the rate."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

from citemploi.core.models import ThrottleCounter
from citemploi.core.throttle import Rate, Throttled, throttle_hit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5/h", Rate(5, 3600)), ("20/3600", Rate(20, 3600)), ("3/15m", Rate(3, 900)), ("1/d", Rate(1, 86400))],
)
def test_rates_parse(text, expected):
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "0/h", "5", "5/x", "cinq/h", "5/0"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError, match="Limite mal écrite"):
        Rate.parse(text)


@override_settings(THROTTLE_RATES={"demo": "3/60"})
def test_the_fourth_hit_in_a_window_is_refused_then_the_next_window_opens():
    now = 1_000_000.0
    assert [throttle_hit(scope="demo", key="a", now=now + i) for i in range(3)] == [1, 2, 3]
    with pytest.raises(Throttled) as refused:
        throttle_hit(scope="demo", key="a", now=now + 3)
    assert "Trop de demandes" in str(refused.value)
    assert 0 < refused.value.retry_after <= 61
    assert throttle_hit(scope="demo", key="b", now=now + 3) == 1  # another key has its own counter
    assert throttle_hit(scope="demo", key="a", now=now + 60) == 1  # next window


@override_settings(THROTTLE_RATES={"demo": "3/60"})
def test_keys_are_stored_as_digests_only():
    throttle_hit(scope="demo", key="personne@exemple.test")
    assert not ThrottleCounter.objects.filter(digest__contains="exemple").exists()
    assert len(ThrottleCounter.objects.get().digest) == 64


def test_a_scope_without_a_rate_is_not_limited():
    assert throttle_hit(scope="absent", key="a") == 0
    assert not ThrottleCounter.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(THROTTLE_RATES={"race": "1000/h"})
def test_concurrent_hits_from_separate_connections_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                throttle_hit(scope="race", key="shared", now=5_000_000.0)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ThrottleCounter.objects.get().count == 80
