"""Communes and QPV (priority neighbourhoods) of the territory."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    department = models.CharField(_("département"), max_length=3)
    postcodes = models.CharField(
        _("codes postaux"), max_length=120, blank=True, help_text=_("séparés par des virgules")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True)
    in_territory = models.BooleanField(_("dans le territoire de la Cité"), default=False, db_index=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"

    @property
    def postcode_list(self) -> list[str]:
        return [p for p in self.postcodes.split(",") if p]


class QPVGeneration(models.IntegerChoices):
    G2015 = 2015, _("Géographie 2015")
    G2024 = 2024, _("Géographie 2024")


class QPV(models.Model):
    """A quartier prioritaire de la politique de la ville. Perimeters are imported by `citemploi qpv import`."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    generation = models.PositiveSmallIntegerField(
        _("génération"), choices=QPVGeneration.choices, default=QPVGeneration.G2024
    )
    communes = models.ManyToManyField(Commune, related_name="qpvs", verbose_name=_("communes"))
    in_territory = models.BooleanField(_("dans le territoire de la Cité"), default=False, db_index=True)

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
