"""Exits, follow-ups, target jobs (ROME), the timeline, notifications and the retention log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.pathways.choices import DigestMode, ExitCategory, ExitSituation
from citemploi.pathways.models.person import Person
from citemploi.pathways.querysets import FollowUpQuerySet

USER = settings.AUTH_USER_MODEL


class Exit(PublicModel):
    """The end of the pathway; the category is computed from the situation and the contract's duration."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exits", verbose_name=_("personne"))
    exited_on = models.DateField(_("date de sortie"))
    situation = models.CharField(_("situation à la sortie"), max_length=16, choices=ExitSituation.choices)
    # For CDD and temporary work, the category depends on the duration: from the contract's start (the exit date
    # when not given) to its end, both included, in calendar months (pathways.exits.exit_category).
    contract_start_on = models.DateField(_("début du contrat"), null=True, blank=True)
    contract_end_on = models.DateField(_("fin prévue du contrat"), null=True, blank=True)
    weekly_hours = models.DecimalField(_("heures par semaine"), max_digits=4, decimal_places=1, null=True, blank=True)
    category = models.CharField(_("catégorie de sortie"), max_length=20, choices=ExitCategory.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("enregistrée par"))

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        ordering = ["-exited_on", "-id"]

    def __str__(self) -> str:
        return gettext("Sortie du %(date)s") % {"date": f"{self.exited_on:%d/%m/%Y}"}


class FollowUp(PublicModel):
    """Outcome follow-up 3, 6 or 12 months after the exit."""

    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="followups", verbose_name=_("sortie"))
    months = models.PositiveSmallIntegerField(_("mois après la sortie"))
    due_on = models.DateField(_("à faire le"), db_index=True)
    done_on = models.DateField(_("fait le"), null=True, blank=True)
    situation = models.CharField(_("situation"), max_length=16, choices=ExitSituation.choices, blank=True)
    # Still in employment at the follow-up (« en emploi durable à 6 mois » is derived from it): oui / non / unknown.
    still_employed = models.BooleanField(_("toujours en emploi"), null=True, blank=True, default=None)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("suivi après la sortie")
        verbose_name_plural = _("suivis après la sortie")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["exit", "months"], name="followup_unique_month")]

    def __str__(self) -> str:
        return gettext("Suivi à %(months)s mois") % {"months": self.months}

    @property
    def durable_employment(self) -> bool | None:
        """In durable employment at this follow-up: the exit was « emploi durable » and the person is still in
        employment (None while not recorded)."""
        if self.still_employed is None:
            return None
        return self.still_employed and self.exit.category == ExitCategory.DURABLE


class RomeCode(models.Model):
    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    label = models.CharField(_("libellé"), max_length=250)

    class Meta:
        verbose_name = _("métier ROME")
        verbose_name_plural = _("métiers ROME")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class RomeAppellation(models.Model):
    ogr = models.PositiveIntegerField(_("code OGR"), unique=True)
    label = models.CharField(_("appellation"), max_length=250)
    rome = models.ForeignKey(
        RomeCode, on_delete=models.CASCADE, related_name="appellations", verbose_name=_("code ROME")
    )

    class Meta:
        verbose_name = _("appellation ROME")
        verbose_name_plural = _("appellations ROME")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class TargetJob(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="target_jobs", verbose_name=_("personne"))
    rome = models.ForeignKey(RomeCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("métier"))
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("métier recherché")
        verbose_name_plural = _("métiers recherchés")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "rome"], name="target_job_unique")]

    def __str__(self) -> str:
        return str(self.rome_id)


class TimelineEvent(models.Model):
    """One line of the person's timeline, written by every service: what, when, who, from which structure."""

    class Visibility(models.TextChoices):
        SHARED = "shared", _("partagé")  # hand-off partners see it
        STRUCTURE = "structure", _("interne à la structure")  # a note: only the author's structure
        SENSITIVE = "sensitive", _("sensible")  # referent's structure and coordinator

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("personne"))
    at = models.DateTimeField(_("date"), default=timezone.now)
    kind = models.CharField(_("type"), max_length=40)
    label = models.CharField(_("événement"), max_length=300)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("par")
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure"),
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.SHARED)

    class Meta:
        verbose_name = _("événement du parcours")
        verbose_name_plural = _("chronologie")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.label


class NotificationPreference(models.Model):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="notification_preference")
    mode = models.CharField(
        _("fréquence des courriels"), max_length=10, choices=DigestMode.choices, default=DigestMode.IMMEDIATE
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return self.mode


class PendingNotification(models.Model):
    """A notification waiting for the user's daily digest."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.subject


class RetentionRun(models.Model):
    """Log of each retention purge: when, whether it was a dry run, how many records."""

    ran_at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField(default=False)
    anonymised = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return gettext("Purge du %(date)s") % {"date": f"{self.ran_at:%d/%m/%Y}"}
