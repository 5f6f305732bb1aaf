"""Writes of the monthly activity reports (docs/relais.md): typed, atomic, the actor checked here.

Every write takes the ``version`` the writer read: a report changed meanwhile is refused (``Conflict``) and nothing
is written. The first save of a month creates the report; two agents creating it at the same moment hit the
database constraint (one per relais and month): the second gets a French conflict.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, StructureKind, User
from citemploi.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.pathways.notifications import notify_structure
from citemploi.relais import permissions
from citemploi.relais.imports import read_report
from citemploi.relais.models import (
    EDITABLE_STATES,
    TRANSITIONS,
    ActivityReport,
    OrientationLine,
    ReceptionLine,
    ReportSource,
    ReportState,
)
from citemploi.relais.months import first_day
from citemploi.relais.values import ReportChanges
from citemploi.territory.models import QPV

MAX_COUNT = 100_000
_COUNTS = ("appointments", "workshops", "workshop_attendance", "events")


def _check_counts(changes: ReportChanges) -> None:
    values = [getattr(changes, name) for name in _COUNTS]
    values += [n for r in changes.receptions for n in (r.new, r.returning)] + [n for _k, n in changes.orientations]
    if any(not isinstance(v, int) or v < 0 or v > MAX_COUNT for v in values):
        raise ValidationFailed(_("Chaque nombre doit être un entier entre 0 et %(max)s.") % {"max": MAX_COUNT})


def _check_lines(changes: ReportChanges) -> None:
    keys = [(r.qpv_code, r.sex) for r in changes.receptions]
    if len(keys) != len(set(keys)):
        raise ValidationFailed(_("Un même quartier et un même sexe figurent deux fois."), field="receptions")
    if any(sex not in ("F", "M", "") for _q, sex in keys):
        raise ValidationFailed(_("Le sexe s'écrit F, M ou reste vide."), field="receptions")
    codes = {qpv for qpv, _s in keys if qpv}
    known = set(QPV.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    if codes - known:
        raise ValidationFailed(
            _("Quartier inconnu : %(codes)s.") % {"codes": ", ".join(sorted(codes - known))}, field="receptions"
        )
    kinds = [kind for kind, _n in changes.orientations]
    if len(kinds) != len(set(kinds)) or any(kind not in StructureKind.values for kind in kinds):
        raise ValidationFailed(_("Type de destination inconnu ou en double."), field="orientations")


def check_changes(changes: ReportChanges) -> None:
    """Refuse impossible content (French message, nothing written)."""
    _check_counts(changes)
    _check_lines(changes)
    if changes.workshops == 0 and changes.workshop_attendance > 0:
        raise ValidationFailed(_("Des participants sans atelier : indiquez le nombre d'ateliers."), field="workshops")


def _write_lines(report: ActivityReport, changes: ReportChanges) -> None:
    report.receptions.all().delete()
    report.orientations.all().delete()
    ReceptionLine.objects.bulk_create(
        ReceptionLine(report=report, qpv_code=r.qpv_code, sex=r.sex, new=r.new, returning=r.returning)
        for r in changes.receptions
        if r.new or r.returning
    )
    OrientationLine.objects.bulk_create(
        OrientationLine(report=report, destination=kind, count=n) for kind, n in changes.orientations if n
    )


def _check_relais(by: User, relais: Structure, month: date) -> None:
    if relais.kind != StructureKind.RELAIS_EMPLOI:
        raise ValidationFailed(_("Cette structure n'est pas un relais emploi."))
    if not permissions.agent_of(by, relais):
        raise PermissionDenied(_("Seuls les agents du relais rédigent son rapport d'activité."))
    if first_day(month) >= first_day(timezone.localdate()):
        raise ValidationFailed(_("Le rapport d'un mois se rédige une fois ce mois terminé."), field="month")


def _create(by: User, relais: Structure, month: date, changes: ReportChanges, source: str) -> ActivityReport:
    fields = {name: getattr(changes, name) for name in _COUNTS}
    try:
        with transaction.atomic():
            report = ActivityReport.objects.create(
                relais=relais,
                month=first_day(month),
                source=source,
                created_by=by,
                prefilled_at=timezone.now(),
                highlights=changes.highlights,
                difficulties=changes.difficulties,
                **fields,
            )
    except IntegrityError as error:
        raise Conflict(
            _("Le rapport de ce mois vient d'être créé par une autre personne : rechargez la page.")
        ) from error
    _write_lines(report, changes)
    return report


def _locked(report: ActivityReport, version: int) -> ActivityReport:
    locked = ActivityReport.objects.select_for_update(of=("self",)).select_related("relais").get(pk=report.pk)
    if locked.version != version:
        raise Conflict(_("Ce rapport a été modifié entre-temps par une autre personne : rechargez la page."))
    return locked


@transaction.atomic
def report_save(
    *,
    by: User,
    relais: Structure,
    month: date,
    version: int,
    changes: ReportChanges,
    source: str = ReportSource.FORM,
) -> ActivityReport:
    """Write the report of ``relais`` for ``month`` (``version`` 0: the report does not exist yet and is created).
    A relais agent, while the report is a draft or returned."""
    _check_relais(by, relais, month)
    check_changes(changes)
    if version == 0:
        return _create(by, relais, month, changes, source)
    found = ActivityReport.objects.filter(relais=relais, month=first_day(month)).first()
    if found is None:
        raise Conflict(_("Ce rapport n'existe plus : rechargez la page."))
    report = _locked(found, version)
    if report.state not in EDITABLE_STATES:
        raise InvalidTransition(_("Un rapport soumis ou validé ne se modifie plus."))
    for name in _COUNTS:
        setattr(report, name, getattr(changes, name))
    report.highlights, report.difficulties = changes.highlights, changes.difficulties
    report.source, report.version = source, report.version + 1
    report.save(update_fields=[*_COUNTS, "highlights", "difficulties", "source", "version", "updated_at"])
    _write_lines(report, changes)
    return report


def _move(report: ActivityReport, version: int, target: str) -> ActivityReport:
    locked = _locked(report, version)
    if target not in TRANSITIONS[locked.state]:
        raise InvalidTransition(
            _("Un rapport « %(state)s » ne peut pas passer à « %(target)s ».")
            % {"state": locked.get_state_display(), "target": ReportState(target).label}
        )
    locked.state, locked.version = target, locked.version + 1
    return locked


@transaction.atomic
def report_submit(*, by: User, report: ActivityReport, version: int) -> ActivityReport:
    """The relais sends its report to the coordination (brouillon or renvoyé → soumis)."""
    if not permissions.can_write_report(by, report):
        raise PermissionDenied(_("Seuls les agents du relais soumettent son rapport d'activité."))
    locked = _move(report, version, ReportState.SUBMITTED)
    locked.submitted_at, locked.submitted_by = timezone.now(), by
    locked.save(update_fields=["state", "version", "submitted_at", "submitted_by", "updated_at"])
    return locked


@transaction.atomic
def report_validate(*, by: User, report: ActivityReport, version: int) -> ActivityReport:
    """The coordination accepts a submitted report (soumis → validé)."""
    if not permissions.can_review(by):
        raise PermissionDenied(_("Seule la coordination valide un rapport d'activité."))
    locked = _move(report, version, ReportState.VALIDATED)
    locked.reviewed_at, locked.reviewed_by = timezone.now(), by
    locked.save(update_fields=["state", "version", "reviewed_at", "reviewed_by", "updated_at"])
    return locked


@transaction.atomic
def report_return(*, by: User, report: ActivityReport, version: int, comment: str) -> ActivityReport:
    """The coordination sends a submitted report back to the relais with a comment (soumis → renvoyé); the
    relais' agents are told, as each chose (mail or daily digest)."""
    if not permissions.can_review(by):
        raise PermissionDenied(_("Seule la coordination renvoie un rapport d'activité."))
    comment = comment.strip()
    if not comment:
        raise ValidationFailed(_("Dites au relais ce qu'il doit revoir."), field="comment")
    locked = _move(report, version, ReportState.RETURNED)
    locked.reviewed_at, locked.reviewed_by, locked.return_comment = timezone.now(), by, comment
    locked.save(update_fields=["state", "version", "reviewed_at", "reviewed_by", "return_comment", "updated_at"])
    link = settings.SITE_URL + reverse("relais:report", args=[locked.relais.public_id, f"{locked.month:%Y-%m}"])
    subject = _("Votre rapport d'activité de %(month)s est à revoir") % {"month": f"{locked.month:%m/%Y}"}
    body = _("La coordination vous a renvoyé le rapport avec un commentaire. Le consulter : %(link)s") % {"link": link}
    notify_structure(locked.relais_id, subject=subject, body=body)
    return locked


@transaction.atomic
def report_import(*, by: User, relais: Structure, month: date, path: Path, filename: str) -> ActivityReport:
    """The report of the month read from the relais' spreadsheet (``relais.imports``), written as a form would
    write it (same checks, same stale-edit rule against the report as it is now). A file that cannot be read
    raises ``ValidationFailed`` with French messages and changes nothing."""
    _check_relais(by, relais, month)
    changes = read_report(path, filename=filename)
    found = ActivityReport.objects.filter(relais=relais, month=first_day(month)).first()
    version = found.version if found is not None else 0
    return report_save(by=by, relais=relais, month=month, version=version, changes=changes, source=ReportSource.IMPORT)
