"""The person (DOMAIN.md §4): identity, contact, address and QPV, situation. No NIR, ever."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.models import PublicModel
from citemploi.core.validators import validate_name
from citemploi.pathways.choices import RSA, BoeTitle, Channel, EducationLevel, FTCategory, Housing, QPVStatus, Sex
from citemploi.pathways.querysets import PersonQuerySet


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


class Person(PublicModel):
    # Identity
    first_name = models.CharField(_("prénom"), max_length=100, validators=[validate_name])
    last_name = models.CharField(_("nom"), max_length=100, validators=[validate_name])
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    # Kept after anonymisation for statistics (age bands), with sex, QPV and dates.
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True, editable=False)
    # Normalised "last first" without accents nor punctuation: accent-insensitive search on every database.
    search_name = models.CharField(max_length=210, db_index=True, editable=False, default="")
    # Contact
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Address and QPV (decided from the geocoded address, never from the postcode)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    qpv = models.ForeignKey(
        "territory.QPV", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("QPV")
    )
    qpv_status = models.CharField(
        _("résultat QPV"), max_length=10, choices=QPVStatus.choices, default=QPVStatus.UNKNOWN
    )
    qpv_generation = models.PositiveSmallIntegerField(_("géographie QPV"), null=True, blank=True)
    qpv_checked_on = models.DateField(_("QPV vérifié le"), null=True, blank=True)
    # « pending »: the geocoder did not answer; a background task tries again (pathways.locating).
    qpv_locate_attempts = models.PositiveSmallIntegerField(_("essais de localisation"), default=0, editable=False)
    qpv_locate_next_at = models.DateTimeField(
        _("prochain essai de localisation"), null=True, blank=True, editable=False, db_index=True
    )
    # QPV at the entry into the pathway (first contact, repéré → contacté), with the geography in force that day:
    # recorded once, never overwritten when the address changes (the fields above are the current answer).
    qpv_entry_status = models.CharField(
        _("résultat QPV à l'entrée"), max_length=10, choices=QPVStatus.choices, blank=True, editable=False
    )
    qpv_entry = models.ForeignKey(
        "territory.QPV",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("QPV à l'entrée"),
    )
    qpv_entry_generation = models.PositiveSmallIntegerField(
        _("géographie QPV à l'entrée"), null=True, blank=True, editable=False
    )
    qpv_entry_on = models.DateField(_("date d'entrée (QPV)"), null=True, blank=True, editable=False)
    # Milestones derived from the records, for the evaluation (citemploi.pathways.milestones): never typed, kept up
    # to date by the services (`PersonQuerySet.refresh_milestones`) and read as columns by the indicators.
    first_spotted_on = models.DateField(_("premier repérage le"), null=True, blank=True, editable=False)
    first_channel = models.CharField(
        _("canal du premier repérage"), max_length=20, choices=Channel.choices, blank=True, editable=False
    )
    first_referent_at = models.DateTimeField(_("premier référent le"), null=True, blank=True, editable=False)
    first_oriented_on = models.DateField(_("première orientation le"), null=True, blank=True, editable=False)
    first_scheme_on = models.DateField(_("première entrée en dispositif le"), null=True, blank=True, editable=False)
    first_dynamic_exit_on = models.DateField(_("première sortie dynamique le"), null=True, blank=True, editable=False)
    # Situation. Every fact the eligibility engine reads is three-valued: oui / non / non renseigné (NULL), and
    # « non renseigné » is the default — unknown is never "no" (issue 11; docs/eligibility.md).
    education_level = models.CharField(
        _("niveau de formation"), max_length=2, choices=EducationLevel.choices, blank=True
    )
    ft_registered = models.BooleanField(_("inscrit à France Travail"), null=True, blank=True, default=None)
    ft_registered_since = models.DateField(_("inscrit à France Travail depuis"), null=True, blank=True)
    ft_category = models.CharField(
        _("catégorie France Travail"), max_length=1, choices=FTCategory.choices, null=True, blank=True, default=None
    )
    rsa = models.CharField(_("RSA"), max_length=12, choices=RSA.choices, null=True, blank=True, default=None)
    ass = models.BooleanField(_("ASS"), null=True, blank=True, default=None)
    aah = models.BooleanField(_("AAH"), null=True, blank=True, default=None)
    single_parent = models.BooleanField(_("parent isolé"), null=True, blank=True, default=None)
    french_below_a1 = models.BooleanField(_("niveau de français inférieur à A1"), null=True, blank=True, default=None)
    student = models.BooleanField(_("étudiant"), null=True, blank=True, default=None)
    in_training = models.BooleanField(_("en formation"), null=True, blank=True, default=None)
    housing = models.CharField(
        _("logement"), max_length=12, choices=Housing.choices, null=True, blank=True, default=None
    )
    former_cui = models.BooleanField(
        _("a bénéficié d'un contrat unique d'insertion (CUI)"), null=True, blank=True, default=None
    )
    # Sensitive facts (DESIGN.md §4): the referent's structure and the coordinator only.
    rqth = models.BooleanField(_("RQTH"), null=True, blank=True, default=None)
    boe_title = models.CharField(
        _("autre titre de l'obligation d'emploi (BOE)"),
        max_length=12,
        choices=BoeTitle.choices,
        null=True,
        blank=True,
        default=None,
    )
    justice = models.BooleanField(
        _("sous main de justice ou sortant de détention"), null=True, blank=True, default=None
    )
    # Partner-system identifiers
    ft_id = models.CharField(_("identifiant France Travail"), max_length=20, blank=True)
    imilo_id = models.CharField(_("identifiant I-Milo"), max_length=20, blank=True)
    # Retention clock: creation, then every contact initiated by the person (CNIL framework, DOMAIN.md §8).
    retention_from = models.DateTimeField(_("point de départ de la conservation"), default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    # Optimistic concurrency: +1 on every edit (person_update, merge). A form or API client that sends back the
    # version it read is refused (Conflict) when someone else saved meanwhile, instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["search_name", "id"]  # the French sort key (citemploi.core.collation), not the raw names
        indexes = [
            models.Index(fields=["birth_date"]),
            models.Index(fields=["retention_from"]),
            # The cohort list's order (issue 16 §5): a page is read from this index, no sort of the cohort.
            models.Index(fields=["search_name", "id"], name="person_sort_idx"),
            # The evaluation's cohorts: people spotted in a period, people entered in a period.
            models.Index(fields=["first_spotted_on"], name="person_first_spotted_idx"),
            models.Index(fields=["qpv_entry_on"], name="person_entry_idx"),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return gettext("Personne anonymisée")
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def qpv_can_relocate(self) -> bool:
        """« Relancer la localisation » makes sense: an address not located yet, not found, or unknown."""
        located = self.qpv_status in (QPVStatus.PENDING, QPVStatus.ERROR, QPVStatus.UNKNOWN)
        return located and bool(self.address or self.postcode or self.city)

    @property
    def registered_months(self) -> int | None:
        if self.ft_registered_since is None or self.ft_registered is False:
            return None
        return _months_between(self.ft_registered_since, timezone.localdate())

    def _job_seeker_at_least(self, months: int) -> bool | None:
        """Three-valued: registered in category A, B or C for ``months`` or more (the current registration as one
        period; the engine also reads the stored history of periods)."""
        from citemploi.schemes.engine import facts
        from citemploi.schemes.engine.profile import Profile

        profile = Profile(
            ft_registered=self.ft_registered,
            ft_registered_since=self.ft_registered_since or (False if self.ft_registered is False else None),
            ft_category=self.ft_category,
        )
        return facts.at_least(facts.job_seeker_months(profile, timezone.localdate()), months)

    @property
    def is_deld(self) -> bool | None:
        """Demandeur d'emploi de longue durée: registered in A, B or C for 12 months or more (computed, never
        typed); None when it cannot be told."""
        return self._job_seeker_at_least(12)

    @property
    def is_detld(self) -> bool | None:
        """Demandeur d'emploi de très longue durée: registered in A, B or C for 24 months or more."""
        return self._job_seeker_at_least(24)

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        return _months_between(self.birth_date, timezone.localdate()) // 12


class MergedRecord(models.Model):
    """A record absorbed by a merge (the row is deleted): its public identifier leads to the kept record, so an
    edit of the absorbed record started before the merge is refused with a link instead of recreating it."""

    absorbed_id = models.UUIDField(_("identifiant de la fiche absorbée"), unique=True)
    into = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="absorbed_records", verbose_name=_("fusionnée dans")
    )
    merged_at = models.DateTimeField(_("fusionnée le"), default=timezone.now)

    class Meta:
        verbose_name = _("fiche fusionnée")
        verbose_name_plural = _("fiches fusionnées")

    def __str__(self) -> str:
        return gettext("Fiche %(absorbed)s fusionnée") % {"absorbed": self.absorbed_id}


class InformationNotice(PublicModel):
    """The person was informed (GDPR art. 6-1-e): when, by whom, which notice; they may object."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices", verbose_name=_("personne"))
    informed_on = models.DateField(_("informée le"))
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("informée par")
    )
    notice_version = models.CharField(_("version de la notice"), max_length=40)
    objected_on = models.DateField(_("opposition le"), null=True, blank=True)
    objection_reason = models.CharField(_("motif de l'opposition"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("information de la personne")
        verbose_name_plural = _("informations des personnes")
        ordering = ["-informed_on", "-id"]


class Consent(PublicModel):
    """Consent to share with one partner not bound by professional secrecy; revocable, with a printable receipt."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("personne"))
    partner = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("partenaire")
    )
    given_on = models.DateField(_("donné le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recueilli par")
    )
    revoked_on = models.DateField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partner"], condition=models.Q(revoked_on__isnull=True), name="consent_one_active"
            )
        ]


class Reperage(PublicModel):
    """How the person was spotted: channel, by whom, where, when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reperages", verbose_name=_("personne"))
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    spotted_on = models.DateField(_("repérée le"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    spotted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("repérée par")
    )
    structure = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )

    class Meta:
        verbose_name = _("repérage")
        verbose_name_plural = _("repérages")
        ordering = ["-spotted_on", "-id"]


class RegistrationPeriod(PublicModel):
    """One period of registration with France Travail (start, end — open while current —, category): DELD and
    DETLD are computed from the periods in categories A, B or C (docs/eligibility.md). The record's current
    registration date and category count as one more open period."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="registration_periods", verbose_name=_("personne")
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    category = models.CharField(
        _("catégorie"), max_length=1, choices=FTCategory.choices, null=True, blank=True, default=None
    )

    class Meta:
        verbose_name = _("période d'inscription à France Travail")
        verbose_name_plural = _("périodes d'inscription à France Travail")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="registration_period_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}" if self.end else f"{self.start:%d/%m/%Y} –"
