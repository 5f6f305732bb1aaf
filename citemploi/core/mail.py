"""Outgoing e-mail: the one way every app sends mail (DESIGN.md §3.1).

`mail_later` is called inside a service: it writes one ``OutboundMail`` row per recipient in the caller's
transaction (so the mail exists exactly when the change does) and, once that transaction commits, enqueues the
background task that sends it. A mail outage never fails the request that caused it: a refused send is kept and
tried again later with a growing delay (1, 2, 4… minutes, at most 6 hours apart, 12 attempts) by the task itself
when the queue can defer work, and by ``citemploi mail retry`` (cron, every few minutes) in any case.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import default_task_backend, task

from citemploi.core.models import OutboundMail

logger = logging.getLogger("citemploi.mail")

#: (filename, content, mimetype)
Attachment = tuple[str, bytes | str, str]

MAX_ATTEMPTS = 12
MAX_DELAY = timedelta(hours=6)
#: A send in progress holds its row this long (longer than the SMTP timeout): a retry run at the same moment
#: leaves it alone, and a worker killed mid-send lets the row be tried again after it.
LEASE = timedelta(minutes=5)
SMTP_TIMEOUT = 30  # seconds
SENT_KEPT_DAYS = 30


def mail_later(*, to: Sequence[str], subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send ``subject``/``body`` to each address of ``to`` after commit (one message per recipient)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    prefixed = f"[{settings.BRAND['name']}] {subject}"[:250]
    stored = [
        {"name": name, "content": base64.b64encode(_bytes(content)).decode("ascii"), "mimetype": mimetype}
        for name, content, mimetype in attachments
    ]
    rows = OutboundMail.objects.bulk_create(
        [OutboundMail(recipient=address, subject=prefixed, body=body, attachments=stored) for address in recipients]
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue(ids))


def _bytes(content: bytes | str) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _enqueue(ids: list[int], run_after: datetime | None = None) -> None:
    for pk in ids:
        try:
            (mail_send.using(run_after=run_after) if run_after else mail_send).enqueue(pk)
        except Exception:  # the queue is down too: the cron (mail retry) sends it
            logger.exception("courriel %s non mis en file : il partira avec « citemploi mail retry »", pk)


@task()
def mail_send(mail_id: int) -> None:
    """Background task: one attempt at sending one stored mail."""
    mail_deliver(mail_id)


def _delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def mail_deliver(mail_id: int, *, now: datetime | None = None) -> bool | None:
    """Try to send one stored mail now, if it is due and nobody else is sending it. True: sent; False: refused
    (rescheduled, or given up after MAX_ATTEMPTS); None: nothing to do (already sent, not due, or being sent)."""
    now = now or timezone.now()
    claimed = OutboundMail.objects.filter(pk=mail_id, sent_at__isnull=True, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )
    if not claimed:
        return None
    mail = OutboundMail.objects.get(pk=mail_id)
    message = EmailMessage(
        mail.subject, mail.body, None, [mail.recipient], connection=get_connection(timeout=SMTP_TIMEOUT)
    )
    for item in mail.attachments:
        message.attach(item["name"], base64.b64decode(item["content"]), item["mimetype"])
    try:
        message.send()
    except Exception as error:  # SMTP refused, unreachable, timed out…: kept for a later attempt
        attempts = mail.attempts + 1
        retry_at = now + _delay(attempts) if attempts < MAX_ATTEMPTS else None
        OutboundMail.objects.filter(pk=mail_id).update(
            attempts=attempts, next_attempt_at=retry_at, last_error=f"{type(error).__name__}: {error}"[:500]
        )
        if retry_at is None:
            logger.error(
                "courriel %s à %s abandonné après %s tentatives : %s", mail_id, mail.recipient, attempts, error
            )
        else:
            logger.warning("courriel %s non envoyé (tentative %s), nouvel essai à %s : %s", mail_id, attempts,
                           f"{retry_at:%H:%M}", error)  # fmt: skip
            if default_task_backend.supports_defer:
                _enqueue([mail_id], run_after=retry_at)
        return False
    OutboundMail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), attempts=mail.attempts + 1, next_attempt_at=None, last_error="", body="", attachments=[]
    )
    return True


def mails_due(now: datetime | None = None) -> QuerySet[OutboundMail]:
    """Mails not sent yet whose next attempt is due (the oldest first)."""
    return OutboundMail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now or timezone.now()).order_by(
        "next_attempt_at", "pk"
    )


def mails_retry(*, dry_run: bool = False) -> tuple[int, int]:
    """Send every due mail now (the cron's safety net when the queue could not). Returns (sent, refused)."""
    due = list(mails_due().values_list("pk", flat=True))
    if dry_run:
        return len(due), 0
    sent = refused = 0
    for pk in due:
        outcome = mail_deliver(pk)
        sent += outcome is True
        refused += outcome is False
    return sent, refused


def mails_purge(*, dry_run: bool = False, now: datetime | None = None) -> int:
    """Delete the rows of mails sent more than SENT_KEPT_DAYS days ago (they hold an address)."""
    old = OutboundMail.objects.filter(sent_at__lt=(now or timezone.now()) - timedelta(days=SENT_KEPT_DAYS))
    return old.count() if dry_run else old.delete()[0]
