"""The first meeting planned by the receiver of a hand-off, and the receiver's short replies (issue 10, item 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.pathways.models.pathway import Contact, Handoff
from citemploi.pathways.models.person import Person

USER = settings.AUTH_USER_MODEL

#: The longest reply to a hand-off (a short message, like a text message).
REPLY_MAX_LENGTH = 280


class AppointmentState(models.TextChoices):
    PLANNED = "prevu", _("rendez-vous prévu")
    HELD = "tenu", _("rendez-vous tenu")
    CANCELLED = "annule", _("rendez-vous annulé")


class Appointment(PublicModel):
    """A meeting planned with the person by the receiving structure of a hand-off. Held, it becomes a contact."""

    handoff = models.ForeignKey(
        Handoff, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("orientation")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("personne")
    )
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure qui reçoit")
    )
    starts_at = models.DateTimeField(_("date et heure"), db_index=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    state = models.CharField(
        _("état"), max_length=8, choices=AppointmentState.choices, default=AppointmentState.PLANNED
    )
    planned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("prévu par"))
    contact = models.OneToOneField(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
        verbose_name=_("contact enregistré"),
    )

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["structure", "state", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["handoff"],
                condition=models.Q(state=AppointmentState.PLANNED),
                name="one_planned_appointment_per_handoff",
            )
        ]

    def __str__(self) -> str:
        return gettext("Rendez-vous du %(date)s") % {"date": f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"}


class HandoffReply(PublicModel):
    """A short message from the receiving structure to the sender, shown on the hand-off to both structures.
    It is shared: it never carries sensitive facts (the form says so)."""

    handoff = models.ForeignKey(
        Handoff, on_delete=models.CASCADE, related_name="replies", verbose_name=_("orientation")
    )
    message = models.CharField(_("message"), max_length=REPLY_MAX_LENGTH)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse à une orientation")
        verbose_name_plural = _("réponses aux orientations")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.message[:50]
