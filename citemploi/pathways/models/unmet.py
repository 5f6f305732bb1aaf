"""An orientation that could not be made because no action answers (« aucune solution », issue 15 item 3).

The record holds what the register of uncovered needs aggregates (thématique, QPV, public, month, structure) and a
link to the person only so that the referent finds it again: retention unlinks it (``retention._strip``) and the
aggregate survives. Governance reads these rows through ``pathways.unmet.unmet_aggregates`` (never the person).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import AgeBand, UnmetSource
from citemploi.pathways.models.person import Person


class UnmetOrientation(PublicModel):
    source = models.CharField(_("origine"), max_length=12, choices=UnmetSource.choices)
    #: a data·inclusion thématique (`mobilite--preparer-un-permis`) or a whole category (`mobilite`)
    thematique = models.CharField(_("thématique"), max_length=80)
    qpv_code = models.CharField(_("code du QPV"), max_length=10, blank=True)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices, default=AgeBand.ALL)
    situation = models.CharField(_("situation"), max_length=48, choices=ref.PUBLIC_CHOICES, default="tous-publics")
    on = models.DateField(_("le"), default=timezone.localdate)
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unmet_orientations",
        verbose_name=_("personne"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    class Meta:
        verbose_name = _("orientation impossible (aucune solution)")
        verbose_name_plural = _("orientations impossibles (aucune solution)")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["thematique", "qpv_code"])]

    def __str__(self) -> str:
        return f"{self.thematique} {self.qpv_code or '-'} {self.on:%m/%Y}"
