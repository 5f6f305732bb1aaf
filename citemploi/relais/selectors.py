"""Reads of the relais network (docs/relais.md): which relais a user sees, a relais' page, its reports.

``visible_relais(user)``: every relais for the coordinator, their own relais for an agent, nothing for the others
(the pages answer 403 to a role that has no network, 404 for another relais — the same answer as a missing one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Membership, Role, Structure, StructureKind
from citemploi.accounts.permissions import is_coordinator
from citemploi.core import secrecy
from citemploi.core.errors import NotFound, PermissionDenied, ValidationFailed
from citemploi.evaluation import outputs
from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import Scope, compute, indicators
from citemploi.partners.models import OpeningSlot, Service, StructureProfile
from citemploi.pathways import alerts
from citemploi.pathways.exits import add_months
from citemploi.pathways.models import Person
from citemploi.relais import permissions
from citemploi.relais.models import RECEIVED_STATES, ActivityReport, ReportState
from citemploi.relais.months import first_day, last_day, previous_month
from citemploi.relais.prefill import prefill
from citemploi.relais.values import Reception, ReportChanges
from citemploi.territory.models import QPV

_DENIED = _("Le réseau des relais est réservé à la coordination et aux agents des relais.")


def require_network(user: Any) -> None:
    if not permissions.can_view_network(user):
        raise PermissionDenied(_DENIED)


def visible_relais(user: Any) -> QuerySet[Structure]:
    """The relais emploi ``user`` may open (the coordinator: all; an agent: their own)."""
    relais = Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI)
    if is_coordinator(user):
        return relais
    if permissions.is_relais_agent(user):
        mine = [m.structure_id for m in user.active_memberships if m.role == Role.RELAIS_AGENT]
        return relais.filter(pk__in=mine)
    return relais.none()


def relais_for_viewer(user: Any, public_id: Any) -> Structure:
    require_network(user)
    found = visible_relais(user).select_related("profile").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(_("Relais introuvable."))
    return found


def parse_month(value: str) -> date:
    """« AAAA-MM » → the first day of that month; a French message otherwise."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise ValidationFailed(_("Mois attendu au format AAAA-MM."), field="month") from error


@dataclass
class RelaisPage:
    relais: Structure
    profile: StructureProfile | None
    slots: list[OpeningSlot]
    permanences: list[Service]
    team: list[Membership]
    reports: list[ActivityReport]
    missing_months: list[date]
    indicators: list[tuple[str, str]]
    period: Period
    masked: bool
    alert_count: int
    caseload: str = ""
    alerts: list[alerts.Alert] = field(default_factory=list)


def _indicators(relais: Structure, masked: bool, period: Period) -> list[tuple[str, str]]:
    """(label, value as text) of every person-based indicator of the registry on the relais' caseload."""
    scope = Scope.caseload([relais.pk])
    out = []
    for indicator in indicators():
        if indicator.person is None:
            continue
        result = compute(indicator, period, scope=scope)
        shown = outputs.mask(result) if masked else result
        out.append((str(indicator.label), outputs.text(shown.total, indicator.kind)))
    return out


def relais_page(user: Any, relais: Structure, *, today: date | None = None) -> RelaisPage:
    """Everything the relais' page shows: census (QPV, hours, permanences), team, indicators of its caseload over
    the last twelve months (masked below the coordinator), its reports and its open alerts."""
    today = today or timezone.localdate()
    profile = StructureProfile.objects.filter(structure=relais).prefetch_related("qpvs_served").first()
    slots = list(OpeningSlot.objects.filter(profile=profile).order_by("weekday", "opens")) if profile else []
    permanences = list(Service.objects.filter(structure=relais).order_by("name"))
    team = list(
        Membership.objects.filter(structure=relais, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__sort_name")
    )
    reports = list(ActivityReport.objects.filter(relais=relais).order_by("-month")[:24])
    last = previous_month(today)
    known = {r.month for r in reports}
    missing = [m for m in _last_months(last, 12) if m not in known]
    masked = not permissions.sees_figures_unmasked(user)
    period = Period(add_months(last, -11), last_day(last), "range")
    rows = alerts.alert_rows(user, filters=alerts.Filters(relais=relais))
    count = rows.count() if rows is not None else 0
    found = alerts.materialise(rows[:10]) if rows is not None else []
    caseload = Person.objects.caseload_of([relais.pk]).filter(anonymised_at__isnull=True).count()
    return RelaisPage(
        relais, profile, slots, permanences, team, reports, missing, _indicators(relais, masked, period),
        period, masked, count, secrecy.display(secrecy.mask_count(caseload) if masked else caseload), found,
    )  # fmt: skip


def _last_months(last: date, count: int) -> list[date]:
    months, current = [], last
    for _i in range(count):
        months.append(current)
        current = previous_month(current)
    return months


def report_of(user: Any, relais: Structure, month: date) -> ActivityReport | None:
    """The report of ``relais`` for ``month`` (None when not written yet), ``relais`` already visible to ``user``."""
    return (
        ActivityReport.objects.filter(relais=relais, month=first_day(month))
        .select_related("relais", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("receptions"), Prefetch("orientations"))
        .first()
    )


def report_content(report: ActivityReport) -> ReportChanges:
    """The report's content in the typed shape the services and the form use."""
    return ReportChanges(
        receptions=tuple(Reception(r.qpv_code, r.sex, r.new, r.returning) for r in report.receptions.all()),
        orientations=tuple((o.destination, o.count) for o in report.orientations.all()),
        appointments=report.appointments,
        workshops=report.workshops,
        workshop_attendance=report.workshop_attendance,
        events=report.events,
        highlights=report.highlights,
        difficulties=report.difficulties,
    )


def report_qpvs(relais: Structure, content: ReportChanges) -> list[tuple[str, str]]:
    """The QPV rows of the report's grid: those the relais serves (census) and those already in the report."""
    codes = {r.qpv_code for r in content.receptions if r.qpv_code}
    profile = StructureProfile.objects.filter(structure=relais).first()
    if profile is not None:
        codes |= set(profile.qpvs_served.values_list("code", flat=True))
    return sorted(QPV.objects.filter(code__in=codes).values_list("code", "name"), key=lambda q: (q[1], q[0]))


def report_draft(relais: Structure, month: date) -> ReportChanges:
    """What a new report starts from: citemploi's figures for the month (``relais.prefill``)."""
    return prefill(relais, first_day(month))


def state_label(state: str) -> str:
    return str(ReportState(state).label)


def reports_to_send(user: Any, *, today: date | None = None) -> list[Structure]:
    """The agent's relais that have not submitted last month's report (one query; the home page's to-do)."""
    if not permissions.is_relais_agent(user):
        return []
    month = previous_month(today or timezone.localdate())
    received = ActivityReport.objects.filter(month=month, state__in=sorted(RECEIVED_STATES)).values("relais_id")
    return list(visible_relais(user).filter(is_active=True).exclude(pk__in=received))


def reports_to_review(user: Any) -> int:
    """Submitted reports waiting for the coordinator (one query; the home page's to-do)."""
    if not permissions.can_review(user):
        return 0
    return ActivityReport.objects.filter(state=ReportState.SUBMITTED).count()
