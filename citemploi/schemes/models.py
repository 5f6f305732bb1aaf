"""Catalogue of droit commun schemes (DOMAIN.md §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel, TimeStampedModel
from citemploi.core.validators import TEXT_MAX_LENGTH


class Scheme(PublicModel):
    """A mainstream scheme (dispositif de droit commun) a resident can be directed to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    # StructureKind values of the structures that run the scheme; a list because most schemes have several.
    operators = models.JSONField(_("opérateurs"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    official_url = models.URLField(_("lien officiel"), max_length=500, blank=True)
    valid_from = models.DateField(_("en vigueur depuis"), null=True, blank=True)
    valid_to = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    # A local protocol (the PLIE) is defined by the territory: the coordinator sets its parameters.
    is_local_protocol = models.BooleanField(_("protocole local"), default=False)

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="schemes_scheme_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeParameter(TimeStampedModel):
    """One dated value of a rule parameter (an age, a duration, a threshold…): the engine reads the value in
    force on the reference date. A change closes the previous value (``valid_to``) and adds a new row, so that the
    history stays and a past date is evaluated as the rules then stood."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="parameters", verbose_name=_("dispositif")
    )
    key = models.SlugField(_("paramètre"), max_length=80)
    value = models.JSONField(_("valeur"))
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_to = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, max_length=TEXT_MAX_LENGTH)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    class Meta:
        verbose_name = _("paramètre de règle")
        verbose_name_plural = _("paramètres de règles")
        ordering = ["scheme", "key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key", "valid_from"], name="schemes_parameter_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="schemes_parameter_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}.{self.key} = {self.value} (depuis le {self.valid_from:%d/%m/%Y})"


class VeilleStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class VeilleQuerySet(models.QuerySet["VeilleEntry"]):
    def published(self) -> VeilleQuerySet:
        return self.filter(status=VeilleStatus.PUBLISHED)


class VeilleEntry(PublicModel):
    """A watch note on the employment measures (veille): written by the coordination, read by the partners once
    published. A change of a rule parameter drafts one automatically."""

    date = models.DateField(_("date"))
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=TEXT_MAX_LENGTH)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="veille_entries", verbose_name=_("dispositifs"))
    tags = models.JSONField(_("mots-clés"), default=list, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=VeilleStatus.choices, default=VeilleStatus.DRAFT)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )

    objects = VeilleQuerySet.as_manager()

    class Meta:
        verbose_name = _("note de veille")
        verbose_name_plural = _("notes de veille")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="schemes_veille_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VeilleFeedKey(TimeStampedModel):
    """The version of a user's personal veille feed address. The address carries a token signed with this version
    (``selectors.veille_feed_token``); regenerating it increments the version, so the old address stops working.
    No row means version 0: reading the veille page never writes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("utilisateur")
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("clé du flux de veille")
        verbose_name_plural = _("clés des flux de veille")

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version}"


class GoodPractice(PublicModel):
    """A good practice shared between territories: what was done, where, with what results, whom to contact."""

    title = models.CharField(_("titre"), max_length=200)
    territory = models.CharField(_("territoire"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    results = models.TextField(_("résultats"), blank=True, max_length=TEXT_MAX_LENGTH)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    # data·inclusion thématique slugs (data_inclusion.schema.v1.Thematique), so that practices and services share
    # one vocabulary.
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )

    class Meta:
        verbose_name = _("bonne pratique")
        verbose_name_plural = _("bonnes pratiques")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class GoodPracticeAttachment(PublicModel):
    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("bonne pratique")
    )
    file = models.FileField(_("fichier"), upload_to="bonnes-pratiques/%Y/")
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
