"""The France Travail registration history of a person (issue 11 §3): DELD and DETLD are computed from it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.pathways.choices import FTCategory
from citemploi.pathways.models import Person, RegistrationPeriod
from citemploi.pathways.services.common import event, require


@transaction.atomic
def registration_period_add(
    *, by: User, person: Person, start: date, end: date | None = None, category: str | None = None
) -> RegistrationPeriod:
    """Record one period of registration with France Travail (``end`` None while it lasts; ``category`` None when
    not known). Periods in categories A, B or C make the DELD / DETLD seniority (docs/eligibility.md)."""
    require(end is None or start <= end, _("La fin de la période doit suivre son début."))
    require(category in (None, "", *FTCategory.values), _("Catégorie France Travail inconnue."))
    period = RegistrationPeriod.objects.create(person=person, start=start, end=end, category=category or None)
    label = f"Période d'inscription à France Travail : {period}" + (
        f" (catégorie {period.category})" if period.category else ""
    )
    event(person=person, kind="registration.period", label=label, by=by)
    return period
