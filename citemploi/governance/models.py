"""Steering: instances (COPIL, COTECH…), their members, meetings, decisions and their follow-up (issue 14).

The roadmap (axes → objectives → actions → targets, versioned) comes after the meetings, so that a version can be
adopted at a meeting and linked to the decision that adopted it. Reads are scoped by ``querysets.visible_to``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel, TimeStampedModel
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.governance.querysets import DecisionQuerySet, InstanceQuerySet, MeetingQuerySet


class InstanceKind(models.TextChoices):
    COPIL = "copil", _("Comité de pilotage (COPIL)")
    COTECH = "cotech", _("Comité technique (COTECH)")
    PARTNERS = "partenaires", _("Réunion des partenaires")
    CASE_REVIEW = "commission", _("Commission de situations")
    WORKING_GROUP = "groupe", _("Groupe de travail thématique")


class Visibility(models.TextChoices):
    MEMBERS = "membres", _("Réservé aux membres")
    PUBLIC = "public", _("Public (agenda public)")


class MemberRole(models.TextChoices):
    CO_CHAIR = "copresident", _("Coprésidence")
    MEMBER = "membre", _("Membre")
    GUEST = "invite", _("Invité")


class Instance(PublicModel):
    kind = models.CharField(_("type d'instance"), max_length=16, choices=InstanceKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("objet"), blank=True, max_length=TEXT_MAX_LENGTH)
    default_visibility = models.CharField(
        _("visibilité par défaut des réunions"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("créée par")
    )

    objects = InstanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class InstanceMember(TimeStampedModel):
    """A person (account) or a whole structure in an instance; a structure member makes its active accounts members."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instance_memberships",
        verbose_name=_("personne"),
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instance_memberships",
        verbose_name=_("structure"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("membre d'une instance")
        verbose_name_plural = _("membres des instances")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, structure__isnull=True) | Q(user__isnull=True, structure__isnull=False),
                name="instance_member_user_xor_structure",
            ),
            models.UniqueConstraint(fields=["instance", "user"], name="instance_member_user_once"),
            models.UniqueConstraint(fields=["instance", "structure"], name="instance_member_structure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}: {self.user_id or self.structure_id} ({self.role})"


class Meeting(PublicModel):
    instance = models.ForeignKey(Instance, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=250, blank=True)
    visio_url = models.URLField(_("lien de visioconférence"), blank=True)
    visibility = models.CharField(_("visibilité"), max_length=8, choices=Visibility.choices)
    minutes = models.TextField(_("compte rendu (Markdown)"), blank=True, max_length=50_000)
    minutes_updated_at = models.DateTimeField(_("compte rendu modifié le"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(_("invitations envoyées le"), null=True, blank=True)
    cancelled = models.BooleanField(_("annulée"), default=False)
    sequence = models.PositiveIntegerField(_("version de l'invitation"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("créée par")
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["instance", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("point"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("porteur"),
    )
    indicators = models.JSONField(_("indicateurs liés"), default=list, blank=True)
    action = models.ForeignKey(
        "partners.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action du recensement"),
    )
    #: A commission de situations' item examines one person of the cohort: their public id (a soft link, so that
    #: retention and merges of people never depend on this app); the name is shown only to members who may see them.
    person_ref = models.UUIDField(
        _("situation examinée"),
        null=True,
        blank=True,
        help_text=_("Commission de situations : visible des seuls membres qui peuvent voir la personne."),
    )

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Reply(models.TextChoices):
    PENDING = "attente", _("Sans réponse")
    PRESENT = "present", _("Présent")
    EXCUSED = "excuse", _("Excusé")
    REPRESENTED = "represente", _("Représenté")


class Invitation(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations", verbose_name=_("invité")
    )
    reply = models.CharField(_("réponse"), max_length=12, choices=Reply.choices, default=Reply.PENDING)
    represented_by = models.CharField(_("représenté par"), max_length=150, blank=True)
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    attended = models.BooleanField(_("présent le jour même"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.user_id}"


class MeetingDocument(PublicModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fichier"), upload_to="reunions/%Y/")
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("déposé par")
    )

    class Meta:
        verbose_name = _("document de réunion")
        verbose_name_plural = _("documents de réunion")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DecisionState(models.TextChoices):
    TODO = "a_faire", _("À faire")
    DOING = "en_cours", _("En cours")
    DONE = "fait", _("Fait")
    DROPPED = "abandonne", _("Abandonné")


class Decision(PublicModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("décision"), max_length=TEXT_MAX_LENGTH)
    owner_structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure responsable"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("personne responsable"),
    )
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    roadmap_action = models.ForeignKey(
        "governance.RoadmapAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("action de la feuille de route"),
    )
    state = models.CharField(_("suivi"), max_length=10, choices=DecisionState.choices, default=DecisionState.TODO)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("saisie par")
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.text[:80]


class DecisionComment(TimeStampedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("auteur")
    )
    text = models.TextField(_("commentaire"), max_length=TEXT_MAX_LENGTH)
    state_change = models.CharField(_("changement de suivi"), max_length=10, choices=DecisionState.choices, blank=True)

    class Meta:
        verbose_name = _("commentaire de suivi")
        verbose_name_plural = _("commentaires de suivi")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MeetingFeedKey(TimeStampedModel):
    """The version of a user's personal meetings feed address (signed token); regenerating it revokes the old one.
    No row means version 0: showing the address never writes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("utilisateur")
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("clé du flux des réunions")
        verbose_name_plural = _("clés des flux des réunions")

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version}"


# --- Roadmap (feuille de route) -----------------------------------------------------------------------------------


class RoadmapVersion(PublicModel):
    """One version of the roadmap. The first is drafted by the coordinator; each adaptation copies the last one into
    a new draft, adopted at a meeting (and the decision that adopted it). Adopted versions never change."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    note = models.TextField(_("ce qui change"), blank=True, max_length=TEXT_MAX_LENGTH)
    adopted_on = models.DateField(_("adoptée le"), null=True, blank=True)
    adopted_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("adoptée en réunion")
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("décision")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("créée par")
    )

    class Meta:
        verbose_name = _("version de la feuille de route")
        verbose_name_plural = _("versions de la feuille de route")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} — {self.title}"


class RoadmapNode(models.Model):
    """Axes, objectives and actions share the ``ref``: the same ref in two versions is the same element (diff)."""

    ref = models.CharField(_("repère"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=250)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "ref"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class RoadmapAxis(RoadmapNode):
    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="axes")

    class Meta(RoadmapNode.Meta):
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        constraints = [models.UniqueConstraint(fields=["version", "ref"], name="roadmap_axis_ref")]


class RoadmapObjective(RoadmapNode):
    axis = models.ForeignKey(RoadmapAxis, on_delete=models.CASCADE, related_name="objectives")

    class Meta(RoadmapNode.Meta):
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        constraints = [models.UniqueConstraint(fields=["axis", "ref"], name="roadmap_objective_ref")]


class RoadmapAction(RoadmapNode):
    objective = models.ForeignKey(RoadmapObjective, on_delete=models.CASCADE, related_name="actions")
    census_action = models.ForeignKey(
        "partners.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action du recensement"),
    )

    class Meta(RoadmapNode.Meta):
        verbose_name = _("action de la feuille de route")
        verbose_name_plural = _("actions de la feuille de route")
        constraints = [models.UniqueConstraint(fields=["objective", "ref"], name="roadmap_action_ref")]


class RoadmapTarget(models.Model):
    """A target on an indicator of the registry, for a QPV or the territory (empty code), over a period."""

    action = models.ForeignKey(RoadmapAction, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicateur"), max_length=64)
    qpv_code = models.CharField(_("QPV (vide : tout le territoire)"), max_length=10, blank=True)
    period_from = models.DateField(_("du"))
    period_to = models.DateField(_("au"))
    value = models.FloatField(_("cible"))

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["indicator", "qpv_code", "period_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")), name="roadmap_target_period_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.qpv_code or '*'} {self.period_from}–{self.period_to}: {self.value}"


# --- COPIL pack (h24) ---------------------------------------------------------------------------------------------


class Pack(TimeStampedModel):
    """The frozen figures of a COPIL pack (issue 14 §5): the snapshot of the indicators on the pack's period (and
    the previous period), plus the funnel, series and roadmap progress as computed when the pack was first built,
    so that producing the pack again for a past meeting gives identical figures (governance/pack.py)."""

    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="pack", verbose_name=_("réunion")
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    snapshot = models.ForeignKey(
        "evaluation.Snapshot", on_delete=models.PROTECT, related_name="+", verbose_name=_("instantané")
    )
    previous_snapshot = models.ForeignKey(
        "evaluation.Snapshot", on_delete=models.PROTECT, related_name="+", verbose_name=_("instantané précédent")
    )
    #: aggregates only (funnel per QPV, monthly series, roadmap progress), raw and masked — never a name
    frozen = models.JSONField(_("chiffres figés"), default=dict)

    class Meta:
        verbose_name = _("dossier du COPIL")
        verbose_name_plural = _("dossiers du COPIL")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"


# --- Uncovered needs (h32): defined in governance/needs/models.py, registered here --------------------------------

from citemploi.governance.needs.models import Need as Need  # noqa: E402
from citemploi.governance.needs.models import NeedSignal as NeedSignal  # noqa: E402
from citemploi.governance.needs.models import Proposal as Proposal  # noqa: E402
