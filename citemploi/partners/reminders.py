"""Monthly e-mail to structures whose census entries are stale (setting PARTNERS_STALE_DAYS)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from citemploi.accounts.models import CASEWORK_ROLES, Membership
from citemploi.core.mail import mail_later
from citemploi.partners.coverage import Completeness, stale_structures


def _recipients(row: Completeness, members: dict[int, set[str]]) -> list[str]:
    emails = set(members.get(row.structure.pk, set()))
    if row.structure.email:
        emails.add(row.structure.email)
    if row.profile is not None and row.profile.contact_email:
        emails.add(row.profile.contact_email)
    return sorted(emails)


def remind_stale(*, dry_run: bool = False) -> list[tuple[str, list[str]]]:
    """E-mail each stale structure (its address, its contact, its caseworkers); returns who was written to."""
    rows = stale_structures()
    members: dict[int, set[str]] = {}
    active = Membership.objects.filter(is_active=True, user__is_active=True, role__in=CASEWORK_ROLES)
    for structure_id, email in active.filter(structure__in=[r.structure for r in rows]).values_list(
        "structure_id", "user__email"
    ):
        members.setdefault(structure_id, set()).add(email)
    sent = []
    for row in rows:
        recipients = _recipients(row, members)
        sent.append((row.structure.name, recipients))
        if dry_run or not recipients:
            continue
        context = {
            "row": row,
            "brand": settings.BRAND,
            "days": settings.PARTNERS_STALE_DAYS,
            "url": settings.SITE_URL + reverse("partners:structure", args=[row.structure.public_id]),
        }
        mail_later(
            to=recipients,
            subject=_("Mettez à jour la fiche de %(structure)s") % {"structure": row.structure.name},
            body=render_to_string("partners/email/stale.txt", context),
        )
    return sent
