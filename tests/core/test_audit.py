"""Change history, access log and the audit screens."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from citemploi.core.access import log_access, log_access_if_outside
from citemploi.core.models import AccessLog
from tests.conftest import assert_max_queries
from tests.factories.accounts import StructureFactory

pytestmark = pytest.mark.django_db


def test_changes_to_a_structure_are_recorded_with_before_and_after(world, clients):
    structure = world.relais
    structure.name = "Relais emploi Montreynaud-Nord"
    structure.save(update_fields=["name"])
    entry = LogEntry.objects.get_for_object(structure).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["Relais emploi Montreynaud", "Relais emploi Montreynaud-Nord"]
    page = clients["coordinator"].get(reverse("audit:changes"), {"record": "Montreynaud-Nord"})
    assert "Relais emploi Montreynaud-Nord" in page.content.decode()


def test_access_is_logged_only_from_outside_the_owner_structure(world):
    record = world.other_relais  # any object with a public_id stands for a personal record here
    referent = world.users["referent"]
    assert log_access_if_outside(user=referent, record=record, owner_structure_id=world.relais.pk) is None
    entry = log_access_if_outside(user=referent, record=record, owner_structure_id=world.other_relais.pk)
    assert entry is not None and entry.structure == world.relais and entry.record_id == str(record.public_id)


def test_access_log_screen_filters_by_user_structure_record_and_date(world, clients):
    record = world.other_relais
    log_access(user=world.users["referent"], record=record, reason="orientation reçue")
    log_access(user=world.users["outsider"], record=world.relais)
    url = reverse("audit:accesses")
    by_user = clients["coordinator"].get(url, {"user": world.users["referent"].pk}).content.decode()
    assert "orientation reçue" in by_user and "1 entrée." in by_user
    by_structure = clients["admin"].get(url, {"structure": world.other_relais.pk}).content.decode()
    assert "1 entrée." in by_structure and str(world.relais.public_id) in by_structure
    by_record = clients["coordinator"].get(url, {"record": str(record.public_id)}).content.decode()
    assert "1 entrée." in by_record
    future = clients["coordinator"].get(url, {"date_from": "2099-01-01"}).content.decode()
    assert "0 entrée." in future


def test_audit_screens_query_count_does_not_grow_with_entries(world, clients):
    client = clients["coordinator"]
    client.get(reverse("audit:accesses"))
    log_access(user=world.users["referent"], record=world.relais)

    def count(url):
        with assert_max_queries(1000) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for url in (reverse("audit:accesses"), reverse("audit:changes")):
        before = count(url)
        for _ in range(30):
            log_access(user=world.users["referent"], record=StructureFactory())
        assert count(url) == before
    assert AccessLog.objects.count() == 61
