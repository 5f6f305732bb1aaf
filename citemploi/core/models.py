"""Shared building blocks: base models and the access log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A model reachable from a URL: its public identifier is a UUID, the integer key stays internal."""

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """One read of a personal record: who, from which structure, which record, when, why."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("utilisateur")
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure"),
    )
    record_type = models.CharField(_("type de fiche"), max_length=80, db_index=True)
    record_id = models.CharField(_("identifiant de la fiche"), max_length=64, db_index=True)
    record_label = models.CharField(_("fiche"), max_length=200, blank=True)
    reason = models.CharField(_("motif"), max_length=200, blank=True)
    path = models.CharField(_("adresse consultée"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("accès à une fiche")
        verbose_name_plural = _("journal des accès")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "at"]),
            models.Index(fields=["-at", "-id"], name="accesslog_recent_idx"),  # the audit list's order
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} → {self.record_type}:{self.record_id}"


class ThrottleCounter(models.Model):
    """Hits of one throttled key in one fixed time window (citemploi.core.throttle). The key is a SHA-256 digest:
    no e-mail address or IP address is stored in the clear. Shared by every process through the database."""

    digest = models.CharField(_("clé (empreinte)"), max_length=64)
    bucket = models.BigIntegerField(_("fenêtre"))
    count = models.PositiveIntegerField(_("nombre"), default=0)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)

    class Meta:
        verbose_name = _("compteur de limitation")
        verbose_name_plural = _("compteurs de limitation")
        constraints = [models.UniqueConstraint(fields=["digest", "bucket"], name="throttle_digest_bucket_unique")]

    def __str__(self) -> str:
        return f"{self.digest[:12]}… {self.bucket}: {self.count}"


class OutboundMail(models.Model):
    """One e-mail to one address, written in the transaction of the change it reports (core.mail.mail_later),
    sent by a background task once that transaction commits, retried with a growing delay while the SMTP server
    refuses it (`citemploi mail retry`, cron). The body is emptied once sent: only who, what and when remain."""

    recipient = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=250)
    body = models.TextField(_("message"), blank=True)
    #: [{"name": …, "content": base64, "mimetype": …}]
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    #: Empty once sent, or after the last attempt (given up: see last_error).
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["next_attempt_at"]), models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} → {self.recipient} : {self.subject}"


class DataChange(models.Model):
    """The data version that computed figures are checked against (core.freshness): on PostgreSQL one row per
    transaction that wrote a watched table, counting its writing statements; on SQLite a single row counting the
    written rows. Written by database triggers only."""

    id = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField(unique=True)
    writes = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("changement des données")
        verbose_name_plural = _("changements des données")

    def __str__(self) -> str:
        return f"{self.txid}"
