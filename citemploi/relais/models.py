"""The monthly activity report of a relais emploi (issue 15 item 2) and the reminders sent about it.

A report holds counts only (never a person): people received by QPV and sex (new and returning), appointments,
collective workshops and their attendance, orientations by destination type, events, and two free texts. Its
states and their transitions are declared once, in ``TRANSITIONS``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import StructureKind
from citemploi.core.models import PublicModel
from citemploi.core.validators import TEXT_MAX_LENGTH

USER = settings.AUTH_USER_MODEL


class ReportState(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "soumis", _("Soumis")
    VALIDATED = "valide", _("Validé")
    RETURNED = "renvoye", _("Renvoyé au relais")


#: The state machine of a report: the one place that says which change is allowed.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportState.DRAFT: frozenset({ReportState.SUBMITTED}),
    ReportState.RETURNED: frozenset({ReportState.SUBMITTED}),
    ReportState.SUBMITTED: frozenset({ReportState.VALIDATED, ReportState.RETURNED}),
    ReportState.VALIDATED: frozenset(),
}
#: The relais edits its report only in these states.
EDITABLE_STATES = frozenset({ReportState.DRAFT, ReportState.RETURNED})
#: A report in these states counts as received by the coordination (no reminder, not « manquant »).
RECEIVED_STATES = frozenset({ReportState.SUBMITTED, ReportState.VALIDATED})


class ReportSource(models.TextChoices):
    FORM = "saisie", _("Saisie")
    IMPORT = "import", _("Import du tableur")
    DEMO = "demo", _("Démonstration")


class ActivityReport(PublicModel):
    relais = models.ForeignKey(
        "accounts.Structure", on_delete=models.PROTECT, related_name="activity_reports", verbose_name=_("relais")
    )
    #: The first day of the month reported on.
    month = models.DateField(_("mois"))
    state = models.CharField(_("état"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    #: Raised by every write: a form sent with an older version is refused (stale edit).
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("origine"), max_length=8, choices=ReportSource.choices, default=ReportSource.FORM)
    appointments = models.PositiveIntegerField(_("rendez-vous individuels"), default=0)
    workshops = models.PositiveIntegerField(_("ateliers collectifs"), default=0)
    workshop_attendance = models.PositiveIntegerField(_("participations aux ateliers"), default=0)
    events = models.PositiveIntegerField(_("événements auxquels le relais a participé"), default=0)
    highlights = models.TextField(_("faits marquants"), blank=True, max_length=TEXT_MAX_LENGTH)
    difficulties = models.TextField(_("difficultés"), blank=True, max_length=TEXT_MAX_LENGTH)
    prefilled_at = models.DateTimeField(_("prérempli le"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_comment = models.TextField(_("commentaire de la coordination"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("rapport d'activité mensuel")
        verbose_name_plural = _("rapports d'activité mensuels")
        ordering = ["-month", "relais__sort_name"]
        constraints = [
            # One report per relais and month, even when two agents open it at the same moment.
            models.UniqueConstraint(fields=["relais", "month"], name="relais_report_one_per_month"),
            models.CheckConstraint(
                condition=~models.Q(state=ReportState.RETURNED) | ~models.Q(return_comment=""),
                name="relais_report_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Rapport de %(relais)s — %(month)s") % {"relais": self.relais, "month": f"{self.month:%m/%Y}"}

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class ReceptionLine(models.Model):
    """People received in the month, for one QPV (``''``: outside the QPV or unknown) and one sex (``''``:
    not given)."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="receptions")
    qpv_code = models.CharField(_("QPV"), max_length=10, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, blank=True)
    new = models.PositiveIntegerField(_("nouvelles personnes"), default=0)
    returning = models.PositiveIntegerField(_("personnes déjà reçues"), default=0)

    class Meta:
        verbose_name = _("personnes reçues")
        verbose_name_plural = _("personnes reçues")
        ordering = ["qpv_code", "sex"]
        constraints = [models.UniqueConstraint(fields=["report", "qpv_code", "sex"], name="relais_reception_unique")]

    def __str__(self) -> str:
        return f"{self.qpv_code or '—'} {self.sex or '—'} : {self.new} + {self.returning}"


class OrientationLine(models.Model):
    """Orientations made in the month towards one type of structure."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="orientations")
    destination = models.CharField(_("type de destination"), max_length=32, choices=StructureKind.choices)
    count = models.PositiveIntegerField(_("orientations"), default=0)

    class Meta:
        verbose_name = _("orientations")
        verbose_name_plural = _("orientations")
        ordering = ["destination"]
        constraints = [
            models.UniqueConstraint(fields=["report", "destination"], name="relais_orientation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.destination} : {self.count}"


class ReminderSent(models.Model):
    """One reminder (rank 1: first working day; rank 2: N working days later) sent to a relais about a month:
    what makes ``citemploi relais remind`` idempotent."""

    relais = models.ForeignKey("accounts.Structure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    rank = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("relance envoyée")
        verbose_name_plural = _("relances envoyées")
        constraints = [models.UniqueConstraint(fields=["relais", "month", "rank"], name="relais_reminder_once")]

    def __str__(self) -> str:
        return f"{self.relais_id} {self.month:%m/%Y} #{self.rank}"
