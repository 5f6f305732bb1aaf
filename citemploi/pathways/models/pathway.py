"""The pathway and its referent, freins, scheme mobilisations, hand-offs and contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.pathways.choices import ContactKind, FreinTheme
from citemploi.pathways.models.person import Person
from citemploi.pathways.querysets import ContactQuerySet, HandoffQuerySet, MobilisationQuerySet
from citemploi.pathways.states import LIVE_HANDOFF_STATES, FreinState, HandoffState, MobilisationState, PathwayState

USER = settings.AUTH_USER_MODEL


class Pathway(PublicModel):
    """One pathway per person. The referent's structure owns the record (DOMAIN.md §3)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="pathway", verbose_name=_("personne"))
    state = models.CharField(_("état"), max_length=14, choices=PathwayState.choices, default=PathwayState.SPOTTED)
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure référente")
    )
    referent = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("référent unique")
    )
    state_changed_at = models.DateTimeField(_("état depuis le"), default=timezone.now)
    entered_on = models.DateField(_("entrée en parcours le"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("dernier contact le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        indexes = [models.Index(fields=["structure", "state"])]

    def __str__(self) -> str:
        return gettext("Parcours de %(person)s") % {"person": self.person}


class ReferentAssignment(models.Model):
    """History of referents: one open row (ended_at empty) per person at most."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="referent_history", verbose_name=_("personne")
    )
    referent = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("référent"))
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    started_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("désigné par"))

    class Meta:
        verbose_name = _("désignation de référent")
        verbose_name_plural = _("historique des référents")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_at__isnull=True), name="one_open_referent"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(referent)s depuis le %(date)s") % {
            "referent": self.referent_id,
            "date": f"{self.started_at:%d/%m/%Y}",
        }


class Frein(PublicModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="freins", verbose_name=_("personne"))
    theme = models.CharField(_("thème"), max_length=16, choices=FreinTheme.choices)
    state = models.CharField(_("état"), max_length=12, choices=FreinState.choices, default=FreinState.IDENTIFIED)
    # A narrative comment is a note: it stays inside the structure that wrote it.
    comment = models.TextField(_("commentaire"), blank=True, max_length=TEXT_MAX_LENGTH)
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    identified_on = models.DateField(_("identifié le"), default=timezone.localdate)
    closed_on = models.DateField(_("clos le"), null=True, blank=True)

    class Meta:
        verbose_name = _("frein")
        verbose_name_plural = _("freins")
        ordering = ["identified_on", "id"]


class Mobilisation(PublicModel):
    """A person × scheme of the catalogue, with the structure in charge (raccrocher au droit commun)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mobilisations", verbose_name=_("personne")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure en charge")
    )
    state = models.CharField(
        _("état"), max_length=10, choices=MobilisationState.choices, default=MobilisationState.PROPOSED
    )
    proposed_on = models.DateField(_("proposée le"), default=timezone.localdate)
    state_changed_on = models.DateField(_("état depuis le"), default=timezone.localdate)
    entered_on = models.DateField(_("entrée le"), null=True, blank=True)
    ended_on = models.DateField(_("fin le"), null=True, blank=True)

    objects = MobilisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mobilisation d'un dispositif")
        verbose_name_plural = _("mobilisations de dispositifs")
        ordering = ["proposed_on", "id"]


class Handoff(PublicModel):
    """An orientation from one structure to another, with what the sender chose to share."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="handoffs", verbose_name=_("personne"))
    from_structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure émettrice")
    )
    to_structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure destinataire")
    )
    mobilisation = models.ForeignKey(
        Mobilisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handoffs",
        verbose_name=_("dispositif"),
    )
    state = models.CharField(_("état"), max_length=12, choices=HandoffState.choices, default=HandoffState.SENT)
    reason = models.TextField(_("motif de l'orientation"), max_length=TEXT_MAX_LENGTH)
    shared = models.JSONField(_("informations partagées"), default=list, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("envoyée par"))
    acknowledged_at = models.DateTimeField(_("accusée le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    first_meeting_on = models.DateField(_("premier rendez-vous le"), null=True, blank=True)
    first_meeting_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refused_at = models.DateTimeField(_("refusée le"), null=True, blank=True)
    refused_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refusal_reason = models.TextField(_("motif du refus"), blank=True, max_length=TEXT_MAX_LENGTH)
    expired_at = models.DateTimeField(_("expirée le"), null=True, blank=True)
    expiry_warned_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["to_structure", "state"]), models.Index(fields=["from_structure", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_structure=models.F("to_structure")), name="handoff_not_to_self"
            ),
            models.CheckConstraint(
                condition=~models.Q(state=HandoffState.REFUSED) | ~models.Q(refusal_reason=""),
                name="handoff_refusal_has_reason",
            ),
            # One live hand-off per person and destination, even when two sends race (issue 9 item 11).
            models.UniqueConstraint(
                fields=["person", "to_structure"],
                condition=models.Q(state__in=sorted(LIVE_HANDOFF_STATES)),
                name="handoff_one_live_per_destination",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Orientation vers %(structure)s") % {"structure": self.to_structure}


class Contact(PublicModel):
    """A meeting, call, workshop… "Initiated by the person" resets the retention clock."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("personne"))
    kind = models.CharField(_("type"), max_length=10, choices=ContactKind.choices)
    happened_at = models.DateTimeField(_("date"))
    initiated_by_person = models.BooleanField(_("à l'initiative de la personne"), default=False)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    # A note stays inside the structure that wrote it (DESIGN.md §4).
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX_LENGTH)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_at", "-id"]
