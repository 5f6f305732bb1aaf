import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from citemploi.core.access import log_access
from citemploi.core.models import AccessLog

pytestmark = pytest.mark.django_db


def test_purge_deletes_only_entries_past_the_retention_delay(world, capsys):
    old = log_access(user=world.users["referent"], record=world.relais)
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=400))
    recent = log_access(user=world.users["referent"], record=world.relais)
    call_command("audit", "purge", "--dry-run")
    assert "1 entrée(s) du journal des accès seraient supprimées" in capsys.readouterr().out
    assert AccessLog.objects.count() == 2
    call_command("audit", "purge")
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
