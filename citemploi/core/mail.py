"""Outgoing e-mail: the one way every app sends mail (DESIGN.md §3.1).

`mail_later` is called inside a service; the mail leaves only once the transaction commits, and a mail outage
must never fail the request that caused it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger("citemploi.mail")

#: (filename, content, mimetype)
Attachment = tuple[str, bytes | str, str]


def mail_later(*, to: Sequence[str], subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send ``subject``/``body`` to each address of ``to`` after commit (one message per recipient)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    prefixed = f"[{settings.BRAND['name']}] {subject}"
    transaction.on_commit(lambda: _send(recipients, prefixed, body, list(attachments)))


def _send(recipients: list[str], subject: str, body: str, attachments: list[Attachment]) -> None:
    for address in recipients:
        message = EmailMessage(subject, body, None, [address])
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        try:
            message.send()
        except OSError:
            logger.exception("courriel non envoyé à %s", address)
