"""Change history, access log and the audit screens."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citemploi.core.access import log_access, log_access_if_outside
from citemploi.core.audit import MASKED
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


# --- Who reads what in the audit screens (issue 9 item 3) and how it reads (issue 10 item 9) -----------------


def _person_with_history(world):
    from citemploi.pathways import services
    from tests.factories.pathways import make_person

    agent = world.users["referent"]
    person = make_person(by=agent, first_name="Gaëlle", last_name="Vautrin", rqth=True)
    person = services.person_update(
        by=agent, person=person, changes=services.PersonChanges(justice=True, first_name="Gaëla")
    )
    services.contact_record(
        by=agent, person=person, kind="rdv", happened_at=timezone.now(), note="Confidence sur sa santé"
    )
    log_access(user=world.users["outsider"], record=person, reason="orientation reçue")
    return person


def test_sensitive_facts_and_notes_are_never_stored_in_the_history(world):
    person = _person_with_history(world)
    entries = LogEntry.objects.filter(content_type__app_label="pathways")
    stored = " ".join(str(e.changes) for e in entries)
    assert "Confidence" not in stored
    update = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["justice"] == [MASKED, MASKED]
    assert update.changes_dict["first_name"] == ["Gaëlle", "Gaëla"]


def test_the_admin_sees_technical_events_and_no_person(world, clients):
    _person_with_history(world)
    structure = world.relais
    structure.name = "Relais emploi Montreynaud-Nord"
    structure.save(update_fields=["name"])
    changes = clients["admin"].get(reverse("audit:changes")).content.decode()
    assert "Relais emploi Montreynaud-Nord" in changes
    for secret in ("Vautrin", "Gaël", "Confidence", "« personne", "parcours «"):
        assert secret not in changes
    searched = clients["admin"].get(reverse("audit:changes"), {"record": "Vautrin"}).content.decode()
    assert "0 entrée." in searched
    accesses = clients["admin"].get(reverse("audit:accesses")).content.decode()
    assert str(world.users["outsider"]) in accesses and "Vautrin" not in accesses and "1 entrée." in accesses
    by_name = clients["admin"].get(reverse("audit:accesses"), {"record": "Vautrin"}).content.decode()
    assert "0 entrée." in by_name


def test_the_coordinator_sees_people_with_masked_notes_and_facts_in_french(world, clients):
    person = _person_with_history(world)
    changes = clients["coordinator"].get(reverse("audit:changes"), {"record": "Vautrin"}).content.decode()
    assert "Gaëla VAUTRIN" in changes and "Confidence" not in changes
    assert "Modification — personne « Gaëla VAUTRIN »" in changes
    assert "<details" in changes and "Prénom</dt><dd>Gaëlle → Gaëla</dd>" in changes
    assert "Sous main de justice ou sortant de détention</dt><dd>modifié</dd>" in changes
    assert "None" not in changes and "True" not in changes
    accesses = clients["coordinator"].get(reverse("audit:accesses"), {"record": "Vautrin"}).content.decode()
    assert "Gaëla VAUTRIN" in accesses and str(person.public_id) in accesses


def test_values_written_before_masking_are_masked_at_display(world, clients):
    person = _person_with_history(world)
    LogEntry.objects.filter(object_pk=str(person.pk), content_type__model="person").update(
        changes={"rqth": ["False", "True"], "birth_date": ["None", "1998-01-02"]}
    )
    page = clients["coordinator"].get(reverse("audit:changes"), {"record": str(person.pk)}).content.decode()
    assert "RQTH</dt><dd>modifié</dd>" in page and "Date de naissance</dt><dd>— → 02/01/1998</dd>" in page


def test_every_audited_model_is_personal_or_technical():
    from auditlog.registry import auditlog

    from citemploi.core import audit

    for model in auditlog.get_models():
        label = model._meta.label_lower
        assert audit.is_personal(label) != (label in audit.technical_labels()), label


def test_nobody_else_reads_the_history(world):
    from citemploi.core.selectors import AuditFilters, access_history, change_history

    _person_with_history(world)
    for persona in ("referent", "state_copilot"):
        viewer = world.users[persona]
        assert not change_history(viewer=viewer, filters=AuditFilters()).exists()
        assert not access_history(viewer=viewer, filters=AuditFilters()).exists()


def test_datetimes_of_the_history_read_in_local_time():
    from citemploi.core.selectors import display_value
    from citemploi.pathways.models import Contact

    field = Contact._meta.get_field("happened_at")
    assert display_value(field, "2026-07-01 08:30:00") == "01/07/2026 10:30"  # stored as naive UTC, read in Paris
    assert display_value(field, None) == "—" and display_value(field, "None") == "—"
    assert display_value(Contact._meta.get_field("kind"), "rdv") == "Rendez-vous"


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_the_change_history_query_count_is_pinned_for_each_viewer(world, clients, persona):
    from citemploi.pathways import services
    from tests.factories.pathways import make_person

    client = clients[persona]
    url = reverse("audit:changes")
    client.get(url)

    def count():
        with assert_max_queries(13) as ctx:  # the nav's alert count reads the data version (core/freshness.py)
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(5):
        person = make_person(by=world.users["referent"])
        services.contact_record(by=world.users["referent"], person=person, kind="rdv", happened_at=timezone.now())
        StructureFactory()
    assert count() == before


def test_both_see_the_logins_a_technical_event(world, clients):
    from citemploi.accounts.models import Role
    from tests.factories.accounts import TEST_PASSWORD, user_with_role

    agent = user_with_role(Role.RELAIS_AGENT, world.relais, email="agent.connecte@exemple.test")
    login = Client().post(
        reverse("accounts:login"), {"username": "agent.connecte@exemple.test", "password": TEST_PASSWORD}
    )
    assert login.status_code == 302
    for persona in ("admin", "coordinator"):
        page = clients[persona].get(reverse("audit:logins"), {"user": agent.pk}).content.decode()
        assert "agent.connecte@exemple.test" in page and "127.0.0.1" in page and "1 entrée." in page
    by_structure = clients["admin"].get(reverse("audit:logins"), {"structure": world.other_relais.pk}).content.decode()
    assert "exterieur@exemple.test" in by_structure and "agent.connecte" not in by_structure


def test_the_login_list_query_count_is_pinned(world, clients):
    from axes.models import AccessLog as LoginLog

    client = clients["admin"]
    url = reverse("audit:logins")
    client.get(url)
    with assert_max_queries(15) as first:
        assert client.get(url).status_code == 200
    LoginLog.objects.bulk_create(
        LoginLog(username=f"u{i}@exemple.test", user_agent="", http_accept="", path_info="/") for i in range(30)
    )
    with assert_max_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
