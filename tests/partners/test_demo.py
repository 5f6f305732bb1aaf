import io

import pytest

from citemploi.accounts.demo import load_demo_accounts
from citemploi.partners.demo import load_demo
from citemploi.partners.interop import export_records
from citemploi.partners.models import Action, Service
from tests.factories.territory import ensure_territory


@pytest.mark.django_db
def test_demo_is_idempotent_and_exports_valid_records():
    ensure_territory()
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    counts = (Service.objects.count(), Action.objects.count())
    load_demo(stdout=io.StringIO())
    assert (Service.objects.count(), Action.objects.count()) == counts
    assert counts[0] >= 140 and counts[1] == 80
    structures, services, skipped = export_records()
    assert not skipped and len(services) == Service.objects.filter(is_published=True).count()


@pytest.mark.django_db
def test_demo_services_are_not_duplicated_and_actions_happen_on_working_days():
    from django.db.models import Count

    from citemploi.partners.models import ActionSession

    ensure_territory()
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    twice = Service.objects.values("structure", "name").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists()
    assert all(a.starts_on.weekday() < 5 and a.ends_on.weekday() < 5 for a in Action.objects.all())
    assert all(s.starts_at.weekday() < 5 for s in ActionSession.objects.all())
