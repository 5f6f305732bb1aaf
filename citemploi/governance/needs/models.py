"""Models of the register of uncovered needs (issue 15 items 3–4). Never a resident's record here: signals are
counts (by source and month), read from pathways' aggregates or reported by a partner.

Imported by ``governance/models.py`` so that Django registers them in the governance app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel, TimeStampedModel
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.governance.needs.states import Coverage, NeedState, ProposalState, SignalSource
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import AgeBand

USER = settings.AUTH_USER_MODEL


class Need(PublicModel):
    """A need nobody covers: one per thématique × public (age band, situation) × QPV — the grouping key of the
    signals (a database constraint, so that two synchronisations racing never create it twice)."""

    #: a data·inclusion thématique (`mobilite--preparer-un-permis`) or a whole category (`mobilite`), as the census
    thematique = models.CharField(_("thématique"), max_length=80)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices, default=AgeBand.ALL)
    #: the data·inclusion public (`demandeurs-emploi`, `tous-publics`…): the census' actions declare the same list
    situation = models.CharField(_("situation"), max_length=48, choices=ref.PUBLIC_CHOICES, default="tous-publics")
    #: empty: the whole territory
    qpv_code = models.CharField(_("code du QPV"), max_length=10, blank=True)
    estimated_volume = models.PositiveIntegerField(_("volume estimé (personnes)"), null=True, blank=True)
    evidence = models.TextField(_("éléments probants"), blank=True, max_length=TEXT_MAX_LENGTH)
    state = models.CharField(_("état"), max_length=20, choices=NeedState.choices, default=NeedState.REPORTED)
    state_changed_at = models.DateTimeField(_("état depuis le"), null=True, blank=True)
    #: the census' answer as seen when the need was last qualified or synchronised; pages, export and pack compute
    #: it again at read time (governance.needs.coverage), so that a new action of the census changes it at once
    coverage = models.CharField(_("couverture"), max_length=12, choices=Coverage.choices, default=Coverage.UNKNOWN)
    coverage_checked_at = models.DateTimeField(_("couverture vérifiée le"), null=True, blank=True)
    qualified_at = models.DateTimeField(_("qualifié le"), null=True, blank=True)
    qualified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("qualifié par")
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("créé par")
    )

    class Meta:
        verbose_name = _("besoin non couvert")
        verbose_name_plural = _("besoins non couverts")
        ordering = ["thematique", "qpv_code", "age_band", "situation"]
        indexes = [models.Index(fields=["state", "qpv_code"])]
        constraints = [
            models.UniqueConstraint(fields=["thematique", "age_band", "situation", "qpv_code"], name="need_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.thematique} · {self.age_band} · {self.situation} · {self.qpv_code or '*'}"


class NeedSignal(TimeStampedModel):
    """A count of signals of one source for one need and one month. Automatic sources hold one row per need and
    month (their count is the pathways aggregate, governance.needs.sync); each manual report is its own row."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="signals", verbose_name=_("besoin"))
    source = models.CharField(_("origine"), max_length=20, choices=SignalSource.choices)
    #: the first day of the month counted
    month = models.DateField(_("mois"))
    count = models.PositiveIntegerField(_("nombre"), default=1)
    #: manual reports: who reported (an account of a partner or relais, never a resident)
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure"),
    )
    reported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("signalé par")
    )
    note = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("signal d'un besoin")
        verbose_name_plural = _("signaux des besoins")
        ordering = ["month", "source", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "source", "month"],
                condition=~Q(source=SignalSource.MANUAL),
                name="need_signal_automatic_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} {self.source} {self.month:%m/%Y}: {self.count}"


class Proposal(PublicModel):
    """A solution proposed for a need (issue 15 item 4): services and screens in governance.needs (h33)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("besoin"))
    text = models.TextField(_("proposition"), max_length=TEXT_MAX_LENGTH)
    partners = models.ManyToManyField(
        "accounts.Structure", blank=True, related_name="+", verbose_name=_("partenaires associés")
    )
    cost = models.DecimalField(_("coût estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    census_action = models.ForeignKey(
        "partners.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action du recensement"),
    )
    roadmap_action = models.ForeignKey(
        "governance.RoadmapAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action de la feuille de route (axe 3)"),
    )
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("décision qui l'a adoptée"),
    )
    state = models.CharField(_("état"), max_length=12, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("proposée par")
    )

    class Meta:
        verbose_name = _("proposition de solution")
        verbose_name_plural = _("propositions de solution")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
