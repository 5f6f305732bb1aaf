"""The person (DOMAIN.md §4): identity, contact, address and QPV, situation. No NIR, ever."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.core.validators import validate_name
from citemploi.pathways.choices import RSA, Channel, EducationLevel, FTCategory, Housing, QPVStatus, Sex
from citemploi.pathways.querysets import PersonQuerySet


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


class Person(PublicModel):
    # Identity
    first_name = models.CharField(_("prénom"), max_length=100, validators=[validate_name])
    last_name = models.CharField(_("nom"), max_length=100, validators=[validate_name])
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    # Kept after anonymisation for statistics (age bands), with sex, QPV and dates.
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True, editable=False)
    # Normalised "last first" without accents nor punctuation: accent-insensitive search on every database.
    search_name = models.CharField(max_length=210, db_index=True, editable=False, default="")
    # Contact
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Address and QPV (decided from the geocoded address, never from the postcode)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    qpv = models.ForeignKey(
        "territory.QPV", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("QPV")
    )
    qpv_status = models.CharField(
        _("résultat QPV"), max_length=10, choices=QPVStatus.choices, default=QPVStatus.UNKNOWN
    )
    qpv_generation = models.PositiveSmallIntegerField(_("géographie QPV"), null=True, blank=True)
    qpv_checked_on = models.DateField(_("QPV vérifié le"), null=True, blank=True)
    # Situation
    education_level = models.CharField(
        _("niveau de formation"), max_length=2, choices=EducationLevel.choices, blank=True
    )
    ft_registered_since = models.DateField(_("inscrit à France Travail depuis"), null=True, blank=True)
    ft_category = models.CharField(_("catégorie France Travail"), max_length=1, choices=FTCategory.choices, blank=True)
    rsa = models.CharField(_("RSA"), max_length=12, choices=RSA.choices, default=RSA.NO)
    ass = models.BooleanField(_("ASS"), default=False)
    aah = models.BooleanField(_("AAH"), default=False)
    single_parent = models.BooleanField(_("parent isolé"), default=False)
    french_below_a1 = models.BooleanField(_("niveau de français inférieur à A1"), default=False)
    student = models.BooleanField(_("étudiant ou en formation"), default=False)
    housing = models.CharField(_("logement"), max_length=12, choices=Housing.choices, blank=True)
    # Sensitive facts (DESIGN.md §4): the referent's structure and the coordinator only.
    rqth = models.BooleanField(_("RQTH / BOE"), default=False)
    justice = models.BooleanField(_("sous main de justice ou sortant de détention"), default=False)
    # Partner-system identifiers
    ft_id = models.CharField(_("identifiant France Travail"), max_length=20, blank=True)
    imilo_id = models.CharField(_("identifiant I-Milo"), max_length=20, blank=True)
    # Retention clock: creation, then every contact initiated by the person (CNIL framework, DOMAIN.md §8).
    retention_from = models.DateTimeField(_("point de départ de la conservation"), default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["birth_date"]), models.Index(fields=["retention_from"])]

    def __str__(self) -> str:
        if self.anonymised_at:
            return gettext("Personne anonymisée")
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def registered_months(self) -> int | None:
        if self.ft_registered_since is None:
            return None
        return _months_between(self.ft_registered_since, timezone.localdate())

    @property
    def is_deld(self) -> bool:
        """Demandeur d'emploi de longue durée: registered for 12 months or more (computed, never typed)."""
        months = self.registered_months
        return months is not None and months >= 12

    @property
    def is_detld(self) -> bool:
        """Demandeur d'emploi de très longue durée: registered for 24 months or more."""
        months = self.registered_months
        return months is not None and months >= 24

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        return _months_between(self.birth_date, timezone.localdate()) // 12


class InformationNotice(PublicModel):
    """The person was informed (GDPR art. 6-1-e): when, by whom, which notice; they may object."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices", verbose_name=_("personne"))
    informed_on = models.DateField(_("informée le"))
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("informée par")
    )
    notice_version = models.CharField(_("version de la notice"), max_length=40)
    objected_on = models.DateField(_("opposition le"), null=True, blank=True)
    objection_reason = models.CharField(_("motif de l'opposition"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("information de la personne")
        verbose_name_plural = _("informations des personnes")
        ordering = ["-informed_on", "-id"]


class Consent(PublicModel):
    """Consent to share with one partner not bound by professional secrecy; revocable, with a printable receipt."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("personne"))
    partner = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("partenaire")
    )
    given_on = models.DateField(_("donné le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recueilli par")
    )
    revoked_on = models.DateField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partner"], condition=models.Q(revoked_on__isnull=True), name="consent_one_active"
            )
        ]


class Reperage(PublicModel):
    """How the person was spotted: channel, by whom, where, when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reperages", verbose_name=_("personne"))
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    spotted_on = models.DateField(_("repérée le"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    spotted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("repérée par")
    )
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )

    class Meta:
        verbose_name = _("repérage")
        verbose_name_plural = _("repérages")
        ordering = ["-spotted_on", "-id"]
