"""Possible duplicates across structures, for the coordinator to check (issue 9 item 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.pathways.models.person import Person


class DuplicateReview(models.Model):
    """A record registered while a similar record followed by another structure exists: who registered it, when,
    and the two record ids — no name or birth date is copied here. The registering agent is told only that the
    coordination checks; the coordinator resolves it (merge, or « pas un doublon »)."""

    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("demandé par")
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure de la demande"),
    )
    # Deleting either record (a merge) removes the review: there is nothing left to check.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("fiche créée"))
    candidate = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("fiche semblable (autre structure)")
    )
    # Pairs proposed by the record linkage of an import (issue 12 §5): its score and reasons (French), shown side by
    # side with both records; empty for a registration's duplicate check.
    score = models.FloatField(_("score du rapprochement"), null=True, blank=True)
    reasons = models.JSONField(_("raisons"), default=list, blank=True)
    origin = models.CharField(_("origine"), max_length=200, blank=True)
    resolved_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vérifié par"),
    )

    class Meta:
        verbose_name = _("doublon possible à vérifier")
        verbose_name_plural = _("doublons possibles à vérifier")
        ordering = ["resolved_at", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "candidate"], name="duplicate_review_pair_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.candidate_id}"
