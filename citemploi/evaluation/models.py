"""Stored snapshots of the indicators (issue 13 §8): the figures of a period as they were computed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel


class Snapshot(PublicModel):
    """The totals of every indicator of the registry on [period_start, period_end] (and a QPV), frozen when taken:
    computing the period again later shows « révisé » where the figure changed since (snapshots.revisions)."""

    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    qpv = models.CharField(_("QPV"), max_length=10, blank=True)
    taken_at = models.DateTimeField(_("pris le"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pris par"),
    )
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    #: {indicator id: {"numerator": n, "denominator": d, "value": v}} — aggregates only, never a name.
    figures = models.JSONField(_("chiffres"), default=dict)

    class Meta:
        verbose_name = _("instantané des indicateurs")
        verbose_name_plural = _("instantanés des indicateurs")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["period_start", "period_end", "qpv"])]

    def __str__(self) -> str:
        return gettext("Instantané du %(start)s au %(end)s") % {
            "start": f"{self.period_start:%d/%m/%Y}",
            "end": f"{self.period_end:%d/%m/%Y}",
        }
