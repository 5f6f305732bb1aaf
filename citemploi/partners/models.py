"""The territory's offer: structures' public profile, standing services (data·inclusion) and time-bound actions.

Publication: services and actions written by a partner are not public until the coordinator validates them
(see `Revision`); the coordinator's own edits are published at once. Registrations hold personal data (names,
contacts) and are only shown to the carrier structure and the coordinator.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel, TimeStampedModel
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.partners import referentials as ref
from citemploi.partners.fields import SlugListField


class QPVStatus(models.TextChoices):
    """The `QPVAnswer.status` values of the territory interface, plus "not located yet"."""

    NONE = "", _("Non localisé")
    IN = "in", _("Dans un QPV")
    OUT = "out", _("Hors QPV")
    UNKNOWN = "unknown", _("Inconnu")
    ERROR = "error", _("Adresse non trouvée")


class LocatedModel(models.Model):
    """A place: postal address, coordinates and the QPV answer of the territory module (DOMAIN.md §2)."""

    address = models.CharField(_("adresse"), max_length=250, blank=True)
    complement_adresse = models.CharField(_("complément d'adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, db_index=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    geocode_label = models.CharField(_("adresse géocodée"), max_length=250, blank=True)
    geocode_score = models.FloatField(_("score du géocodage"), null=True, blank=True)
    qpv_status = models.CharField(_("résultat QPV"), max_length=8, choices=QPVStatus.choices, blank=True, default="")
    qpv_code = models.CharField(_("code du QPV"), max_length=10, blank=True, db_index=True)
    qpv_name = models.CharField(_("nom du QPV"), max_length=200, blank=True)
    qpv_generation = models.PositiveSmallIntegerField(_("géographie QPV"), null=True, blank=True)
    qpv_distance_m = models.FloatField(_("distance à la limite (m)"), null=True, blank=True)
    qpv_near_boundary = models.BooleanField(_("à vérifier (près d'une limite)"), default=False)
    located_at = models.DateTimeField(_("localisé le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postcode} {self.city}".strip()] if p)

    @property
    def has_point(self) -> bool:
        return self.longitude is not None and self.latitude is not None


class StructureProfile(LocatedModel, TimeStampedModel):
    """What the public and the partners see of a structure (accounts.Structure stays the organisation)."""

    structure = models.OneToOneField(
        "accounts.Structure", on_delete=models.CASCADE, related_name="profile", verbose_name=_("structure")
    )
    reseaux_porteurs = SlugListField(_("réseaux porteurs"), choices_list=ref.RESEAU_PORTEUR_CHOICES)
    description = models.TextField(_("présentation"), blank=True, max_length=TEXT_MAX_LENGTH)
    website = models.URLField(_("site web"), blank=True)
    accessibility_url = models.URLField(_("fiche accessibilité (Acceslibre)"), blank=True)
    contact_name = models.CharField(_("contact (nom et prénom)"), max_length=150, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    opening_hours = models.CharField(
        _("horaires (format OpenStreetMap)"),
        max_length=250,
        blank=True,
        help_text=_("Par exemple « Mo-Fr 08:30-12:00,13:30-17:00 » ; recalculé depuis les créneaux."),
    )
    hours_note = models.CharField(_("précisions sur les horaires"), max_length=250, blank=True)
    qpvs_served = models.ManyToManyField(
        "territory.QPV", blank=True, related_name="structure_profiles", verbose_name=_("QPV desservis")
    )
    source = models.CharField(_("source data·inclusion"), max_length=80, blank=True)
    lien_source = models.URLField(_("lien à la source"), blank=True)
    date_maj = models.DateField(_("date de mise à jour (data·inclusion)"), null=True, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        verbose_name = _("profil public de structure")
        verbose_name_plural = _("profils publics de structures")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="profile_source_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.structure)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningSlot(models.Model):
    """One opening period on a weekday: queryable, so "open now" is a database filter."""

    profile = models.ForeignKey(StructureProfile, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("créneau d'ouverture")
        verbose_name_plural = _("créneaux d'ouverture")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="slot_closes_after_opens"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OfferQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def published(self) -> OfferQuerySet:
        return self.filter(is_published=True)


class Service(LocatedModel, PublicModel):
    """A standing service of a structure, with the data·inclusion service fields."""

    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.CASCADE, related_name="services", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    type = models.CharField(_("type de service"), max_length=32, choices=ref.TYPE_SERVICE_CHOICES, blank=True)
    thematiques = SlugListField(_("thématiques"), choices_list=ref.THEMATIQUE_CHOICES)
    publics = SlugListField(_("publics"), choices_list=ref.PUBLIC_CHOICES)
    publics_precisions = models.TextField(_("précisions sur les publics"), blank=True, max_length=TEXT_MAX_LENGTH)
    conditions_acces = models.TextField(_("conditions d'accès"), blank=True, max_length=TEXT_MAX_LENGTH)
    frais = models.CharField(_("frais"), max_length=16, choices=ref.FRAIS_CHOICES, blank=True)
    frais_precisions = models.TextField(_("précisions sur les frais"), blank=True, max_length=TEXT_MAX_LENGTH)
    modes_accueil = SlugListField(_("modes d'accueil"), choices_list=ref.MODE_ACCUEIL_CHOICES)
    modes_mobilisation = SlugListField(_("modes de mobilisation"), choices_list=ref.MODE_MOBILISATION_CHOICES)
    mobilisable_par = SlugListField(_("mobilisable par"), choices_list=ref.MOBILISABLE_PAR_CHOICES)
    mobilisation_precisions = models.TextField(
        _("précisions sur la mobilisation"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    lien_mobilisation = models.URLField(_("lien de mobilisation"), blank=True)
    zone_eligibilite = SlugListField(
        _("zone d'éligibilité"),
        help_text=_("Codes INSEE de communes, SIREN d'EPCI, codes de départements ou « france »."),
    )
    contact_nom_prenom = models.CharField(_("contact (nom et prénom)"), max_length=150, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    courriel = models.EmailField(_("courriel"), blank=True)
    horaires_accueil = models.CharField(_("horaires (format OpenStreetMap)"), max_length=250, blank=True)
    volume_horaire_hebdomadaire = models.FloatField(_("volume horaire hebdomadaire"), null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(_("nombre de semaines"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=80, blank=True)
    lien_source = models.URLField(_("lien à la source"), blank=True)
    date_maj = models.DateField(_("date de mise à jour (data·inclusion)"), null=True, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    is_published = models.BooleanField(_("publié"), default=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="service_source_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionKind(models.TextChoices):
    JOB_DATING = "job_dating", _("Job dating")
    FORUM = "forum", _("Forum")
    WORKSHOP = "workshop", _("Atelier")
    INFO_SESSION = "info_session", _("Information collective")
    TRAINING = "training", _("Session de formation")
    VISIT = "visit", _("Visite d'entreprise")
    OTHER = "other", _("Autre action")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")


class RoadmapAxis(models.IntegerChoices):
    RECENSER = 1, _("Axe 1 — recenser et fédérer")
    RACCROCHER = 2, _("Axe 2 — aller-vers et raccrocher au droit commun")
    INNOVER = 3, _("Axe 3 — innover pour les besoins non couverts")


class Action(LocatedModel, PublicModel):
    """A time-bound action (workshop, job dating, training session…) with its funding, capacity and results."""

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type d'action"), max_length=16, choices=ActionKind.choices, default=ActionKind.WORKSHOP)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    carrier = models.ForeignKey(
        "accounts.Structure",
        on_delete=models.PROTECT,
        related_name="carried_actions",
        verbose_name=_("structure porteuse"),
    )
    partners = models.ManyToManyField(
        "accounts.Structure", blank=True, related_name="partner_actions", verbose_name=_("structures partenaires")
    )
    axis = models.PositiveSmallIntegerField(_("axe de la feuille de route"), choices=RoadmapAxis.choices)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    qpvs_served = models.ManyToManyField(
        "territory.QPV", blank=True, related_name="actions", verbose_name=_("QPV visés")
    )
    publics = SlugListField(_("publics"), choices_list=ref.PUBLIC_CHOICES)
    thematiques = SlugListField(_("thématiques"), choices_list=ref.THEMATIQUE_CHOICES)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    is_public = models.BooleanField(_("dans l'agenda public"), default=False)
    is_published = models.BooleanField(_("publiée"), default=False)
    people_reached = models.PositiveIntegerField(_("personnes touchées"), null=True, blank=True)
    people_from_qpv = models.PositiveIntegerField(_("dont habitants des QPV"), null=True, blank=True)
    outcomes = models.TextField(_("résultats (sorties, suites)"), blank=True, max_length=TEXT_MAX_LENGTH)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["starts_on", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="action_ends_after_start"),
            models.CheckConstraint(condition=Q(axis__in=[1, 2, 3]), name="action_axis_valid"),
            models.CheckConstraint(
                condition=Q(people_from_qpv__isnull=True)
                | Q(people_reached__isnull=True)
                | Q(people_from_qpv__lte=models.F("people_reached")),
                name="action_qpv_people_within_reached",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionFunder(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("financeur"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) | Q(amount__isnull=True), name="funder_amount_positive")
        ]

    def __str__(self) -> str:
        return self.name


class ActionSession(PublicModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.starts_at:%d/%m/%Y %H:%M}"


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Non renseignée")
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")
    EXCUSED = "excused", _("Excusé·e")


class Registration(PublicModel):
    """A person registered to an action. Personal data: carrier structure and coordinator only.

    A registrant who is in the cohort is linked to the person followed in a pathway on the pathways side
    (``pathways.PersonRegistration``, reverse ``person_link``): partners never depends on pathways.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(
        ActionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    lives_in_qpv = models.BooleanField(_("habite un QPV"), null=True, blank=True)
    attendance = models.CharField(_("présence"), max_length=8, choices=Attendance.choices, blank=True, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validée")
    REJECTED = "rejected", _("Refusée")


class Revision(PublicModel):
    """A change proposed by a partner to a service or an action; the coordinator approves or rejects it.

    ``data`` holds the proposed values (JSON-ready); ``before`` the published values when the proposal was made,
    so the coordinator sees a diff even if nothing else changed since.
    """

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(
        _("statut"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    data = models.JSONField(_("valeurs proposées"), default=dict)
    before = models.JSONField(_("valeurs publiées"), default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    comment = models.TextField(_("commentaire de la coordination"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("proposition de modification")
        verbose_name_plural = _("propositions de modification")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(service__isnull=False) & Q(action__isnull=True))
                | (Q(service__isnull=True) & Q(action__isnull=False)),
                name="revision_one_target",
            ),
            models.UniqueConstraint(
                fields=["service"], condition=Q(status="pending"), name="revision_one_pending_service"
            ),
            models.UniqueConstraint(
                fields=["action"], condition=Q(status="pending"), name="revision_one_pending_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} ({self.get_status_display()})"

    @property
    def target(self) -> Any:
        return self.service or self.action

    @property
    def structure_id(self) -> int:
        return self.service.structure_id if self.service else self.action.carrier_id  # type: ignore[union-attr]
