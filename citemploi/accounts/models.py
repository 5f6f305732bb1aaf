"""Users (e-mail login), structures (organisations) and memberships (user × structure × role)."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.core.collation import sort_key
from citemploi.core.models import PublicModel, TimeStampedModel


class Role(models.TextChoices):
    """The roles of DOMAIN.md §3."""

    COORDINATOR = "coordinator", _("Coordination de la Cité de l'emploi")
    STATE_COPILOT = "state_copilot", _("Co-pilotage État")
    RELAIS_AGENT = "relais_agent", _("Agent de relais emploi")
    PARTNER_REFERENT = "partner_referent", _("Référent partenaire")
    STEERING_MEMBER = "steering_member", _("Membre des instances de pilotage")
    ADMIN = "admin", _("Administration technique")


#: Roles that follow people in pathways (they see the people of their structure).
CASEWORK_ROLES = frozenset({Role.RELAIS_AGENT, Role.PARTNER_REFERENT})

#: Roles that open the personal records of every structure: granted only by a coordinator, never to oneself, only
#: in a coordination structure, after a confirmation that says what the role opens (accounts.services). A future
#: role with the same reach is added here and to PERSONAL_DATA_ROLE_SCOPE.
PERSONAL_DATA_ROLES = frozenset({Role.COORDINATOR})
PERSONAL_DATA_ROLE_SCOPE = {
    Role.COORDINATOR: _(
        "Ce rôle ouvre toutes les fiches personnelles de toutes les structures (identité, coordonnées, freins, "
        "parcours, notes de suivi), l'historique des modifications, les fusions de doublons et la gestion des "
        "comptes. Les autres membres de la coordination en seront informés par e-mail."
    ),
}


class StructureKind(models.TextChoices):
    """Organisation types of DOMAIN.md §3."""

    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    MISSION_LOCALE = "mission_locale", _("Mission Locale")
    CAP_EMPLOI = "cap_emploi", _("Cap emploi")
    PLIE = "plie", _("PLIE")
    RELAIS_EMPLOI = "relais_emploi", _("Relais emploi")
    DEPARTEMENT = "departement", _("Département (service social)")
    CCAS = "ccas", _("CCAS")
    CENTRE_SOCIAL = "centre_social", _("Centre social")
    ASSOCIATION = "association", _("Association")
    SIAE_AI = "siae_ai", _("SIAE — association intermédiaire (AI)")
    SIAE_ACI = "siae_aci", _("SIAE — atelier et chantier d'insertion (ACI)")
    SIAE_EI = "siae_ei", _("SIAE — entreprise d'insertion (EI)")
    SIAE_ETTI = "siae_etti", _("SIAE — entreprise de travail temporaire d'insertion (ETTI)")
    SIAE_EITI = "siae_eiti", _("SIAE — entreprise d'insertion par le travail indépendant (EITI)")
    GEIQ = "geiq", _("GEIQ")
    E2C = "e2c", _("École de la 2e chance (E2C)")
    EPIDE = "epide", _("EPIDE")
    TRAINING_BODY = "training_body", _("Organisme de formation")
    EMPLOYER = "employer", _("Employeur")
    SOCIAL_LANDLORD = "social_landlord", _("Bailleur social")
    SEM_SERVICE = "sem_service", _("Service de la Métropole")
    STATE_SERVICE = "state_service", _("Service de l'État")
    COMMUNE = "commune", _("Commune")
    OTHER = "other", _("Autre")


#: The structure types of the Métropole's Cité de l'emploi coordination: the only ones where a role of
#: PERSONAL_DATA_ROLES may be held.
COORDINATION_STRUCTURE_KINDS = frozenset({StructureKind.SEM_SERVICE})


siret_validator = RegexValidator(r"^\d{14}$", _("Le SIRET compte 14 chiffres, sans espace."))


class Structure(PublicModel):
    name = models.CharField(_("nom"), max_length=200)
    #: French sort key of the name (citemploi.core.collation): lists of structures order by it.
    sort_name = models.CharField(max_length=200, db_index=True, editable=False, default="", db_default="")
    kind = models.CharField(_("type"), max_length=32, choices=StructureKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    bound_by_secret = models.BooleanField(_("soumise au secret professionnel"), default=False)
    charter_signed_on = models.DateField(_("charte de confidentialité signée le"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~models.Q(siret=""), name="structure_siret_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, PublicModel):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration Django"), default=False)
    is_demo_account = models.BooleanField(_("compte de démonstration"), default=False)
    #: French sort key of « nom prénom » (citemploi.core.collation): lists of people's names sort as in French.
    sort_name = models.CharField(max_length=310, db_index=True, editable=False, default="", db_default="")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["sort_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_key(f"{self.last_name} {self.first_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(self.memberships.filter(is_active=True, structure__is_active=True).select_related("structure"))

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    @cached_property
    def structure_ids(self) -> frozenset[int]:
        return frozenset(m.structure_id for m in self.active_memberships)

    @property
    def primary_structure(self) -> Structure | None:
        memberships = self.active_memberships
        return memberships[0].structure if memberships else None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class Membership(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("utilisateur"))
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("attribué par"),
        help_text=_("Vide pour les rôles créés par une commande (démonstration, import)."),
    )

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["-is_active", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "structure", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.structure} ({self.get_role_display()})"


class RecoveryCode(models.Model):
    """A single-use code for a lost phone, generated at the first two-factor enrolment and shown once. Only the
    SHA-256 digest of the code (80 random bits) is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("utilisateur")
    )
    digest = models.CharField(_("empreinte"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self) -> str:
        return f"{self.user_id} ({'utilisé' if self.used_at else 'disponible'})"


class SecondFactorReset(models.Model):
    """The log of the admin's resets of a user's two-factor authentication (lost phone): who reset whose, when."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="second_factor_resets", verbose_name=_("compte réinitialisé")
    )
    reset_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("réinitialisé par"))
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réinitialisation de la double authentification")
        verbose_name_plural = _("réinitialisations de la double authentification")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reset_by_id} → {self.user_id}"
