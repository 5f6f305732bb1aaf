"""Reminders to the relais that have not submitted last month's report (``citemploi relais remind``).

For the month M, reminder 1 is due from the first working day of M+1, reminder 2 from the
``RELAIS_SECOND_REMINDER_WORKING_DAYS``-th working day after it; both only while M+1 lasts. Each reminder is sent
once per relais (``ReminderSent``, unique): a second run the same day, or any later day before the next one is
due, sends nothing. When both are due and the first was never sent (the job did not run), only the second goes.
A relais that has submitted (soumis or validé) gets nothing; the agents are notified through their notification
preferences (e-mail at once, or the daily digest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, StructureKind
from citemploi.pathways.notifications import notify_structure
from citemploi.relais.models import RECEIVED_STATES, ActivityReport, ReminderSent
from citemploi.relais.months import first_day, first_working_day, nth_working_day, previous_month


@dataclass(frozen=True)
class RemindResult:
    month: date
    rank: int  # 0: nothing due on that date
    relais: int  # relais reminded
    recipients: int  # people notified (mails and digest lines)


def due_rank(day: date) -> int:
    """Which reminder is due on ``day`` for the previous month (0: none)."""
    current = first_day(day)
    if day >= nth_working_day(current, settings.RELAIS_SECOND_REMINDER_WORKING_DAYS):
        return 2
    return 1 if day >= first_working_day(current) else 0


def missing_relais(month: date) -> list[Structure]:
    """Active relais without a submitted or validated report for ``month`` (one query)."""
    received = ActivityReport.objects.filter(month=month, state__in=sorted(RECEIVED_STATES)).values("relais_id")
    return list(Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI, is_active=True).exclude(pk__in=received))


def _message(relais: Structure, month: date, rank: int) -> tuple[str, str]:
    label = f"{month:%m/%Y}"
    link = settings.SITE_URL + reverse("relais:report", args=[relais.public_id, f"{month:%Y-%m}"])
    if rank == 1:
        subject = _("Rapport d'activité de %(month)s à envoyer") % {"month": label}
    else:
        subject = _("Relance : rapport d'activité de %(month)s toujours attendu") % {"month": label}
    body = _(
        "Le rapport d'activité mensuel de %(relais)s pour %(month)s n'a pas encore été soumis à la coordination.\n"
        "Il est déjà prérempli avec ce que citemploi connaît du mois : %(link)s"
    ) % {"relais": relais.name, "month": label, "link": link}
    return subject, body


def relais_remind(*, on: date, dry_run: bool = False) -> RemindResult:
    """Send the reminders due on ``on`` about the previous month's missing reports (idempotent)."""
    month = previous_month(on)
    rank = due_rank(on)
    if rank == 0:
        return RemindResult(month, 0, 0, 0)
    already = set(ReminderSent.objects.filter(month=month, rank=rank).values_list("relais_id", flat=True))
    targets = [relais for relais in missing_relais(month) if relais.pk not in already]
    if dry_run:
        return RemindResult(month, rank, len(targets), 0)
    reached = sum(_remind_one(relais, month, rank, on) for relais in targets)
    return RemindResult(month, rank, len(targets), reached)


@transaction.atomic
def _remind_one(relais: Structure, month: date, rank: int, on: date) -> int:
    """Record then notify one relais, in one transaction: two runs at once send once (the constraint)."""
    try:
        with transaction.atomic():
            sent = ReminderSent.objects.create(relais=relais, month=month, rank=rank, sent_on=on)
    except IntegrityError:
        return 0
    subject, body = _message(relais, month, rank)
    sent.recipients = notify_structure(relais.pk, subject=subject, body=body)
    sent.save(update_fields=["recipients"])
    return sent.recipients
