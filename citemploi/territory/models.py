"""Communes and QPV (priority neighbourhoods) of the territory."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.core.collation import sort_key
from citemploi.core.models import PublicModel


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    #: French sort key of the name (citemploi.core.collation): lists of communes order by it.
    sort_name = models.CharField(max_length=120, db_index=True, editable=False, default="", db_default="")
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
        ordering = ["sort_name", "insee_code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

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
    # Perimeter (multi)polygon as WKB in WGS84: no GeoDjango/SpatiaLite here, shapely does the geometry.
    geometry = models.BinaryField(_("périmètre (WKB, WGS84)"), null=True, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("périmètre chargé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


#: The source of the fictitious perimeters of the demo (citemploi.territory.demo): every answer made with them says
#: DEMO_PERIMETER_LABEL.
DEMO_PERIMETER_SOURCE = "démonstration : périmètres fictifs"
DEMO_PERIMETER_LABEL = _("périmètre fictif de démonstration")


class PerimeterStamp(models.Model):
    """One row per perimeter import. The newest row's ``version`` is the cache key of the in-memory index:
    every process compares it with the version it built its index from, so an import made by another process
    (or another machine) is seen on the next lookup."""

    class Scope(models.TextChoices):
        EPCI = "epci", _("intercommunalité")
        DEPARTMENT = "department", _("département")
        FRANCE = "france", _("toute la France")
        TEST = "test", _("jeu de test")

    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    version = models.CharField(_("version"), max_length=40)
    generation = models.PositiveSmallIntegerField(_("génération"), choices=QPVGeneration.choices)
    scope = models.CharField(_("périmètre d'import"), max_length=12, choices=Scope.choices)
    count = models.PositiveIntegerField(_("périmètres chargés"))
    repaired = models.PositiveIntegerField(_("géométries réparées"), default=0)
    source = models.CharField(_("fichier source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("import de périmètres QPV")
        verbose_name_plural = _("imports de périmètres QPV")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.count} périmètres ({self.generation})"

    @property
    def is_demo(self) -> bool:
        """The fictitious perimeters of the demo (never official geography)."""
        return self.source == DEMO_PERIMETER_SOURCE


class BanAddress(models.Model):
    """One address of the Base Adresse Nationale, imported by ``citemploi ban import`` for the local geocoder."""

    ban_id = models.CharField(_("identifiant BAN"), max_length=60, unique=True)
    number = models.PositiveIntegerField(_("numéro"), null=True, blank=True)
    rep = models.CharField(_("indice de répétition"), max_length=10, blank=True)
    street = models.CharField(_("voie"), max_length=200)
    street_norm = models.CharField(_("voie normalisée"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    insee_code = models.CharField(_("code INSEE"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    city_norm = models.CharField(_("commune normalisée"), max_length=120)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))

    class Meta:
        verbose_name = _("adresse BAN")
        verbose_name_plural = _("adresses BAN")
        indexes = [
            models.Index(fields=["postcode", "street_norm"], name="ban_postcode_street"),
            models.Index(fields=["insee_code", "street_norm"], name="ban_insee_street"),
            models.Index(fields=["city_norm"], name="ban_city"),
        ]

    def __str__(self) -> str:
        number = " ".join(str(part) for part in (self.number, self.rep) if part)
        return " ".join(part for part in (number, self.street, self.postcode, self.city) if part)


class BanStamp(models.Model):
    """One row per ``ban import``: the newest ``version`` is the cache key of the local geocoder's in-memory index
    (every process compares it with the version its index was built from, like PerimeterStamp for the QPV)."""

    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    version = models.CharField(_("version"), max_length=40)
    count = models.PositiveIntegerField(_("adresses chargées"))
    source = models.CharField(_("fichier source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("import d'adresses BAN")
        verbose_name_plural = _("imports d'adresses BAN")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.count} adresses"


class TagJob(PublicModel):
    """A file uploaded on "Vérifier un fichier", tagged by a background task, deleted after a retention delay."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("déposé par")
    )
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    source = models.FileField(_("fichier déposé"), upload_to="qpv-jobs/in/", max_length=300)
    result = models.FileField(_("fichier vérifié"), upload_to="qpv-jobs/out/", max_length=300, blank=True)
    geocode = models.BooleanField(_("géocoder les adresses"), default=False)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("lignes à traiter"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    summary = models.JSONField(_("bilan"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    expires_at = models.DateTimeField(_("supprimé après le"), db_index=True)

    class Meta:
        verbose_name = _("vérification de fichier")
        verbose_name_plural = _("vérifications de fichiers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "running", "done", "failed"]), name="tagjob_status_valid"
            ),
            # One check waiting or running per user: nobody fills the files queue for the others.
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(status__in=["pending", "running"]),
                name="tagjob_one_live_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def summary_lines(self) -> list[str]:
        return list(self.summary.get("lines", []))

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
