from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citemploi.relais.months import previous_month
from citemploi.territory.models import QPV
from tests.factories.territory import ensure_territory


@pytest.fixture
def last_month() -> dt.date:
    return previous_month(timezone.localdate())


@pytest.fixture
def qpvs(db) -> list[QPV]:
    ensure_territory()
    return list(QPV.objects.filter(code__in=["QN04213M", "QN04212M"]).order_by("code"))


def in_month(month: dt.date, day: int = 10, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(month.replace(day=day), dt.time(hour), tzinfo=timezone.get_current_timezone())
