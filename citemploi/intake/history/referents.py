"""The ``referent`` and ``date_referent`` columns of the ``personnes`` sheet: the current single referent, named by
the e-mail of an account that accompanies people in the referent structure, and the day they were named."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from citemploi.accounts.models import CASEWORK_ROLES, Membership, Structure, User
from citemploi.intake.history.rows import Row, fmt


class Referents:
    """The accounts a workbook may name as referent, by e-mail (one query for the whole workbook): active users
    with an active casework role, and the structures where they hold it."""

    def __init__(self) -> None:
        self.by_email: dict[str, tuple[User, set[int]]] = {}
        memberships = Membership.objects.filter(
            is_active=True, role__in=list(CASEWORK_ROLES), user__is_active=True, structure__is_active=True
        ).select_related("user")
        for membership in memberships.order_by("pk"):
            user, structures = self.by_email.setdefault(membership.user.email.casefold(), (membership.user, set()))
            structures.add(membership.structure_id)

    def read(self, row: Row, structure: Structure | None, spotted_on: date | None) -> tuple[User | None, date | None]:
        """The referent and the day of their designation; errors recorded on the row."""
        email, on = row.raw("referent"), row.day("date_referent")
        if not email:
            if on is not None:
                row.error("referent", _("Une date de désignation sans référent : indiquez le courriel du référent."))
            return None, None
        found = self.by_email.get(email.casefold())
        if found is None:
            row.error(
                "referent",
                _("Aucun compte actif d'accompagnant n'a le courriel « %(email)s ».") % {"email": email},
            )
            return None, None
        user, structures = found
        if structure is not None and structure.pk not in structures:
            row.error(
                "referent",
                _("%(user)s n'accompagne pas dans %(structure)s : il ne peut pas en être le référent unique.")
                % {"user": user, "structure": structure},
            )
        if on is None:
            if not row.failed_on("date_referent"):
                row.error("date_referent", _("Indiquez la date de désignation du référent."))
            return None, None
        if spotted_on is not None and on < spotted_on:
            row.error(
                "date_referent",
                _("La désignation du référent (%(date)s) précède le repérage (%(spotted)s).")
                % {"date": fmt(on), "spotted": fmt(spotted_on)},
            )
        return user, on
