"""Reminders of the missing monthly reports: due days, the right people, their preferences, idempotence, the CLI."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.pathways.models import PendingNotification
from citemploi.pathways.notifications import preference_set
from citemploi.relais.models import ActivityReport, ReminderSent, ReportState
from citemploi.relais.reminders import due_rank, relais_remind
from tests.factories.accounts import StructureFactory, user_with_role

MAY = dt.date(2026, 5, 1)
MONDAY_1ST_JUNE, WEDNESDAY, MONDAY_8TH = dt.date(2026, 6, 1), dt.date(2026, 6, 3), dt.date(2026, 6, 8)


@pytest.fixture
def network(world, settings):
    settings.RELAIS_SECOND_REMINDER_WORKING_DAYS = 5
    done = StructureFactory(relais=True, name="Relais emploi à jour")
    user_with_role("relais_agent", done, email="ajour@exemple.test")
    ActivityReport.objects.create(relais=done, month=MAY, state=ReportState.SUBMITTED)
    ActivityReport.objects.create(relais=world.relais, month=MAY, state=ReportState.DRAFT)  # a draft is missing
    preference_set(user=world.users["colleague"], mode="daily")
    return world


def _remind(on, capture):
    with capture(execute=True):
        return relais_remind(on=on)


def test_due_days():
    assert due_rank(dt.date(2026, 8, 1)) == 0  # Saturday: the first working day of August is Monday the 3rd
    assert due_rank(dt.date(2026, 8, 3)) == 1
    assert due_rank(dt.date(2026, 8, 7)) == 1
    assert due_rank(dt.date(2026, 8, 10)) == 2  # 5 working days after Monday the 3rd


def test_first_reminder_once_to_the_right_people(network, mailoutbox, django_capture_on_commit_callbacks):
    result = _remind(MONDAY_1ST_JUNE, django_capture_on_commit_callbacks)
    assert (result.month, result.rank, result.relais, result.recipients) == (MAY, 1, 2, 3)
    assert sorted(m.to[0] for m in mailoutbox) == ["exterieur@exemple.test", "referente@exemple.test"]
    assert "05/2026" in mailoutbox[0].subject
    digest = PendingNotification.objects.get()
    assert digest.user == network.users["colleague"] and "05/2026" in digest.subject
    assert _remind(MONDAY_1ST_JUNE, django_capture_on_commit_callbacks).recipients == 0  # same day again
    assert _remind(WEDNESDAY, django_capture_on_commit_callbacks).recipients == 0  # nothing due in between
    assert len(mailoutbox) == 2 and PendingNotification.objects.count() == 1


def test_second_reminder_after_n_working_days(network, mailoutbox, django_capture_on_commit_callbacks):
    _remind(MONDAY_1ST_JUNE, django_capture_on_commit_callbacks)
    ActivityReport.objects.create(relais=network.other_relais, month=MAY, state=ReportState.SUBMITTED)
    mailoutbox.clear()
    result = _remind(MONDAY_8TH, django_capture_on_commit_callbacks)
    assert (result.rank, result.relais, result.recipients) == (2, 1, 2)
    assert [m.to[0] for m in mailoutbox] == ["referente@exemple.test"] and "Relance" in mailoutbox[0].subject
    assert _remind(MONDAY_8TH, django_capture_on_commit_callbacks).recipients == 0
    assert ReminderSent.objects.filter(rank=2).count() == 1


def test_cli_contract(network, mailoutbox, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relais", "remind", "--date", "2026-06-01", stdout=out)
    assert "3 relance(s) envoyée(s) à 2 relais pour 05/2026" in out.getvalue()
    out = io.StringIO()
    call_command("relais", "remind", "--date", "2026-06-01", stdout=out)
    assert "0 relance(s) envoyée(s)" in out.getvalue()
    out = io.StringIO()
    call_command("relais", "remind", "--date", "2026-08-01", stdout=out)
    assert "Aucune relance due" in out.getvalue()
    with pytest.raises(CommandError, match="Date illisible"):
        call_command("relais", "remind", "--date", "01/06/2026")
    assert len(mailoutbox) == 2
