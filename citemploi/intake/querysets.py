"""Scoped reads of imports (DESIGN.md §3.2): a partner sees its structure's imports, the coordinator all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from citemploi.accounts.permissions import is_caseworker, is_coordinator

if TYPE_CHECKING:
    from citemploi.intake.models import Import  # noqa: F401 — type argument


class ImportQuerySet(models.QuerySet["Import"]):
    def visible_to(self, user: Any) -> ImportQuerySet:
        """Imports ``user`` may open: all for the coordinator; a caseworker's structures' imports; none else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_coordinator(user):
            return self.all()
        if not is_caseworker(user):
            return self.none()
        return self.filter(structure_id__in=list(user.structure_ids))
