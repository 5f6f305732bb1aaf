"""Imports of partners' files (issue 12 §1): the import, its rows, what it created or changed, column mappings.

An import is a first-class object: who, when, the file (name, size, SHA-256; the file itself deleted after
INTAKE_FILE_RETENTION_DAYS), its kind, the mapping used, counts, state and a per-row report. States:

    en analyse → analysé → confirmé → importé | échoué → annulé

« en analyse » is the background reading of the file (progress bar). « confirmé »: the user confirmed the
preview; for a people list the rows are geocoded, QPV-tagged and linked to the cohort (nothing is created yet),
then « Repérer ces personnes » writes the people in one transaction (« importé »). « annulé »: undone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.intake.querysets import ImportQuerySet


class Kind(models.TextChoices):
    PEOPLE = "people", _("Liste de personnes (repérage par croisement)")
    HISTORY = "history", _("Reprise de l'historique")


class State(models.TextChoices):
    PENDING = "pending", _("en analyse")
    ANALYSED = "analysed", _("analysé")
    CONFIRMED = "confirmed", _("confirmé")
    IMPORTED = "imported", _("importé")
    FAILED = "failed", _("échoué")
    CANCELLED = "cancelled", _("annulé")


class Category(models.TextChoices):
    """Where a row of a people list lands on the result page (§4a)."""

    IN_QPV_NEW = "in_qpv_new", _("Dans un QPV, non suivie")
    FOLLOWED = "followed", _("Déjà suivie")
    OUT = "out", _("Hors QPV")
    CHECK = "check", _("À vérifier")
    ERROR = "error", _("En erreur")


class ColumnMapping(PublicModel):
    """Which column of the file feeds which field, saved per structure, kind and source (« Export I-Milo »…)
    and offered again the next time the structure imports a file of that source."""

    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    kind = models.CharField(_("type d'import"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=80)
    columns = models.JSONField(_("correspondances"), default=dict)  # {field: header or ""}
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("correspondance de colonnes")
        verbose_name_plural = _("correspondances de colonnes")
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "kind", "source"], name="intake_mapping_unique"),
        ]

    def __str__(self) -> str:
        return self.source


class Import(PublicModel):
    kind = models.CharField(_("type d'import"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    # None: an operator's command without --by.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("importé par"),
    )
    via_command = models.BooleanField(_("par la ligne de commande"), default=False)
    source = models.CharField(_("source"), max_length=80, blank=True)
    mapping = models.JSONField(_("correspondances utilisées"), default=dict, blank=True)
    headers = models.JSONField(_("colonnes du fichier"), default=list, blank=True)
    # The file: name, size and SHA-256 stay; the content is deleted after the retention delay.
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    file = models.FileField(_("fichier"), upload_to="intake/", max_length=300, blank=True)
    file_expires_at = models.DateTimeField(_("fichier supprimé après le"), db_index=True)
    file_deleted_at = models.DateTimeField(_("fichier supprimé le"), null=True, blank=True)
    # Progress of the background work (analysis, then processing after confirmation).
    total_rows = models.PositiveIntegerField(_("lignes à traiter"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    counts = models.JSONField(_("décomptes"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Records edited since the import, kept by the undo: [{"label", "reason"}].
    undo_kept = models.JSONField(_("fiches conservées à l'annulation"), default=list, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=State.values), name="intake_import_state_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="intake_import_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state not in (State.PENDING, State.CONFIRMED) or not self.total_rows:
            return 100 if self.state != State.PENDING else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def working(self) -> bool:
        """The background task is reading or processing the file."""
        return self.state == State.PENDING or (self.state == State.CONFIRMED and not self.counts.get("processed"))


class ImportRow(models.Model):
    """One line of the file: its values as read (mapped fields, text), its errors by column, and for a people
    list its outcome (category, QPV answer, linked person). Deleted with the import."""

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import"))
    line = models.PositiveIntegerField(_("ligne"))  # as the user sees it in the file (header = 1)
    sheet = models.CharField(_("feuille"), max_length=60, blank=True)
    values = models.JSONField(_("valeurs"), default=dict)
    errors = models.JSONField(_("erreurs"), default=list)  # [{"column": header, "message": French}]
    excluded = models.BooleanField(_("exclue"), default=False)
    category = models.CharField(_("résultat"), max_length=12, choices=Category.choices, blank=True)
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    qpv_code = models.CharField(_("QPV"), max_length=20, blank=True)
    geo = models.JSONField(_("géocodage"), default=dict, blank=True)
    # SAME link to a record the importer may see (shown with its referent structure).
    linked = models.ForeignKey("pathways.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Pairs between the thresholds, or a SAME link the importer may not see: [{"id", "score", "reasons"}],
    # queued for review when the row is spotted. Never shown to the importer.
    review = models.JSONField(_("à vérifier avec"), default=list, blank=True)
    created = models.ForeignKey("pathways.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("ligne importée")
        verbose_name_plural = _("lignes importées")
        ordering = ["batch", "sheet", "line"]
        indexes = [models.Index(fields=["batch", "category"])]
        constraints = [models.UniqueConstraint(fields=["batch", "sheet", "line"], name="intake_row_unique")]

    def __str__(self) -> str:
        return f"{self.sheet} {self.line}".strip()


class ImportedObject(models.Model):
    """An object an import created (undo deletes them in reverse order) with what it looked like then
    (``fingerprint``: its version and the number of its timeline lines, to tell an edit made since)."""

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="objects_created")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class ImportedChange(models.Model):
    """A field an import changed on an existing object: undo writes ``before`` back (unless changed since)."""

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=80)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}.{self.field}"
