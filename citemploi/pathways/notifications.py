"""E-mail notifications about hand-offs, through core.mail (after commit, background queue, retried while the SMTP
server is down); each user chooses immediate mails or a daily digest."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import CASEWORK_ROLES, User
from citemploi.core.mail import mail_later
from citemploi.pathways.choices import DigestMode
from citemploi.pathways.models import Handoff, NotificationPreference, PendingNotification
from citemploi.pathways.replay import replay_note

logger = logging.getLogger("citemploi.pathways")

_SUBJECTS = {
    "received": gettext_lazy("Nouvelle orientation reçue"),
    "acknowledged": gettext_lazy("Votre orientation a été accusée"),
    "refused": gettext_lazy("Votre orientation a été refusée"),
    "expiring": gettext_lazy("Une orientation attend votre accusé de réception"),
    "expired": gettext_lazy("Une orientation a expiré sans réponse"),
}


def _recipients(structure_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__structure_id=structure_id,
            memberships__is_active=True,
            memberships__role__in=list(CASEWORK_ROLES),
        ).distinct()
    )


def _body(event: str, handoff: Handoff) -> str:
    # The mail carries no personal data: only a link to the record, behind login.
    link = settings.SITE_URL + reverse("pathways:person", args=[handoff.person.public_id])
    lines = [
        _("%(subject)s : de %(sender)s vers %(receiver)s.")
        % {"subject": _SUBJECTS[event], "sender": handoff.from_structure, "receiver": handoff.to_structure},
        _("Consulter la fiche (connexion requise) : %(link)s") % {"link": link},
    ]
    if event == "refused":
        lines.insert(1, _("Le motif du refus est indiqué sur la fiche."))
    return "\n".join(lines)


def notify_handoff(event: str, handoff: Handoff) -> None:
    """Notify ``event`` ("received", "acknowledged", "refused", "expiring", "expired") to the structure concerned:
    an e-mail for those who want one at once (queued, leaves after commit), a pending line for the daily digest
    for the others; both are written in the caller's transaction."""
    if replay_note() is not None:  # a past hand-off taken over from a workbook: already known to both structures
        return
    structure_id = handoff.to_structure_id if event in {"received", "expiring"} else handoff.from_structure_id
    _deliver(structure_id, str(_SUBJECTS[event]), _body(event, handoff))


def _deliver(structure_id: int, subject: str, body: str) -> int:
    users = _recipients(structure_id)
    modes = dict(NotificationPreference.objects.filter(user__in=users).values_list("user_id", "mode"))
    daily = [user for user in users if modes.get(user.pk, DigestMode.IMMEDIATE) == DigestMode.DAILY]
    PendingNotification.objects.bulk_create([PendingNotification(user=u, subject=subject, body=body) for u in daily])
    mail_later(to=[user.email for user in users if user not in daily], subject=subject, body=body)
    return len(users)


def notify_structure(structure_id: int, *, subject: str, body: str) -> int:
    """Notify the caseworkers of a structure (the agents of a relais) as each chose: an e-mail at once or a line
    of the daily digest, both written in the caller's transaction; returns how many people were notified. Used by
    other apps (the relais reminders) so that every notification respects the same preferences."""
    return _deliver(structure_id, subject, body)


@transaction.atomic
def notifications_send_digest() -> int:
    """Queue one mail per user gathering their pending notifications; returns the number of mails."""
    by_user: dict[int, list[PendingNotification]] = defaultdict(list)
    pending = list(
        PendingNotification.objects.select_for_update(of=("self",)).filter(sent_at__isnull=True).select_related("user")
    )
    for item in pending:
        by_user[item.user_id].append(item)
    for items in by_user.values():
        body = "\n\n".join(f"— {i.subject}\n{i.body}" for i in items)
        mail_later(
            to=[items[0].user.email],
            subject=_("Résumé : %(count)s notification(s)") % {"count": len(items)},
            body=body,
        )
    PendingNotification.objects.filter(pk__in=[i.pk for i in pending]).update(sent_at=timezone.now())
    logger.info("résumé quotidien : %s courriel(s)", len(by_user))
    return len(by_user)


def preference_set(*, user: User, mode: str) -> NotificationPreference:
    """Choose immediate mails or a daily digest."""
    pref, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"mode": mode})
    return pref
