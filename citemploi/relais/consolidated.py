"""The coordinator's view of the network: relais × month, totals by QPV, the yearly summary (COPIL pack), and
their export. A fixed number of queries whatever the number of relais and reports (pinned by the tests)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, StructureKind
from citemploi.core import secrecy
from citemploi.core.errors import PermissionDenied
from citemploi.evaluation.exports import ExportMeta, ExportTable, export_tables
from citemploi.relais import permissions
from citemploi.relais.models import RECEIVED_STATES, ActivityReport, OrientationLine, ReceptionLine, ReportState
from citemploi.relais.months import first_day, months_of_year
from citemploi.territory.models import QPV

MISSING = "manquant"


@dataclass
class Cell:
    month: date
    state: str  # a ReportState, or MISSING (month over, nothing submitted), or '' (month not over)
    received: int | None = None
    public_id: Any = None

    @property
    def is_missing(self) -> bool:
        return self.state in (MISSING, ReportState.DRAFT, ReportState.RETURNED)


@dataclass
class Line:
    relais: Structure
    cells: list[Cell]


@dataclass
class QpvTotal:
    code: str
    name: str
    new: int
    returning: int

    @property
    def total(self) -> int:
        return self.new + self.returning


@dataclass
class Network:
    year: int
    months: list[date]
    lines: list[Line]
    missing_by_month: list[int]
    qpv_totals: list[QpvTotal] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(self.missing_by_month)


def _require(user: Any) -> None:
    if not permissions.can_view_consolidated(user):
        raise PermissionDenied(_("La vue d'ensemble des relais est réservée à la coordination."))


def _relais() -> list[Structure]:
    return list(Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI, is_active=True).order_by("sort_name"))


def _received_sums(year: int) -> dict[int, int]:
    rows = (
        ReceptionLine.objects.filter(report__month__year=year)
        .values("report_id")
        .annotate(n=Sum("new") + Sum("returning"))
        .order_by()
    )
    return {row["report_id"]: row["n"] for row in rows}


def network(user: Any, year: int, *, today: date | None = None) -> Network:
    """The relais × month table of ``year``: each cell the report's state and people received; a month that is
    over without a submitted report is « manquant » (a draft or a returned report counts as missing too)."""
    _require(user)
    today = today or timezone.localdate()
    months = months_of_year(year)
    reports = ActivityReport.objects.filter(month__year=year).values("pk", "relais_id", "month", "state", "public_id")
    by_key = {(r["relais_id"], r["month"]): r for r in reports}
    sums = _received_sums(year)
    lines, missing = [], [0] * len(months)
    for relais in _relais():
        cells = []
        for i, month in enumerate(months):
            found = by_key.get((relais.pk, month))
            over = month < first_day(today)
            if found is None:
                cells.append(Cell(month, MISSING if over else ""))
            else:
                cells.append(Cell(month, found["state"], sums.get(found["pk"], 0), found["public_id"]))
            if over and cells[-1].is_missing:
                missing[i] += 1
        lines.append(Line(relais, cells))
    return Network(year, months, lines, missing, qpv_totals(year))


def qpv_totals(year: int) -> list[QpvTotal]:
    """People received over the year by QPV, from the submitted and validated reports (one query + names)."""
    rows = (
        ReceptionLine.objects.filter(report__month__year=year, report__state__in=sorted(RECEIVED_STATES))
        .values("qpv_code")
        .annotate(new=Sum("new"), returning=Sum("returning"))
        .order_by("qpv_code")
    )
    names = dict(QPV.objects.values_list("code", "name"))
    out = [QpvTotal(r["qpv_code"], names.get(r["qpv_code"], ""), r["new"], r["returning"]) for r in rows]
    out.sort(key=lambda t: (t.code == "", t.name, t.code))
    return out


@dataclass
class Summary:
    relais: str
    validated: int
    missing: int
    new: int
    returning: int
    appointments: int
    workshops: int
    attendance: int
    orientations: int
    events: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def yearly_summary(year: int, *, today: date | None = None) -> list[Summary]:
    """One line per relais for ``year``, from its **validated** reports (what the COPIL may rely on); « missing »
    counts the months over without a submitted report. Four queries whatever the volume."""
    today = today or timezone.localdate()
    over = [m for m in months_of_year(year) if m < first_day(today)]
    validated = Q(activity_reports__month__year=year, activity_reports__state=ReportState.VALIDATED)
    received = Q(activity_reports__month__year=year, activity_reports__state__in=sorted(RECEIVED_STATES))
    rows = (
        Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI, is_active=True)
        .annotate(
            validated=Count("activity_reports", filter=validated),
            received=Count("activity_reports", filter=received & Q(activity_reports__month__lt=first_day(today))),
            appointments=Sum("activity_reports__appointments", filter=validated),
            workshops=Sum("activity_reports__workshops", filter=validated),
            attendance=Sum("activity_reports__workshop_attendance", filter=validated),
            events=Sum("activity_reports__events", filter=validated),
        )
        .order_by("sort_name")
    )
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in (
        ReceptionLine.objects.filter(report__month__year=year, report__state=ReportState.VALIDATED)
        .values("report__relais_id")
        .annotate(new=Sum("new"), back=Sum("returning"))
        .order_by()
    ):
        people[r["report__relais_id"]] = [r["new"], r["back"]]
    oriented = dict(
        OrientationLine.objects.filter(report__month__year=year, report__state=ReportState.VALIDATED)
        .values("report__relais_id")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("report__relais_id", "n")
    )
    return [
        Summary(
            s.name, s.validated, max(len(over) - s.received, 0), people[s.pk][0], people[s.pk][1],
            s.appointments or 0, s.workshops or 0, s.attendance or 0, oriented.get(s.pk, 0), s.events or 0,
        )
        for s in rows
    ]  # fmt: skip


#: Figures about people, masked below the coordinator (the others count reports, sessions, events).
PEOPLE_FIELDS = ("new", "returning", "attendance", "orientations")


def masked_summary(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The summary as the steering reads it: people's figures masked per column with secondary suppression
    (core.secrecy), and the totals line."""
    out = [dict(line) for line in lines]
    totals: dict[str, Any] = {}
    for name in ("validated", "missing", "appointments", "workshops", "events"):
        totals[name] = sum(line[name] for line in lines)
    for name in PEOPLE_FIELDS:
        shown, total = secrecy.mask_series([line[name] for line in lines])
        for line, value in zip(out, shown, strict=True):
            line[name] = value
        totals[name] = total
    return out, totals


def export_network(user: Any, year: int, fmt: str, *, today: date | None = None) -> tuple[bytes, str, str]:
    """The consolidated table, the totals by QPV and the yearly summary as XLSX, ODS or CSV (coordinator only:
    nothing masked, no person named — reports hold counts only)."""
    found = network(user, year, today=today)
    months = [f"{m:%m/%Y}" for m in found.months]
    grid = [[line.relais.name, *[_cell_text(c) for c in line.cells]] for line in found.lines] + [
        [_("Rapports manquants"), *found.missing_by_month]
    ]
    qpv = [[t.code or _("Hors QPV ou inconnu"), t.name, t.new, t.returning, t.total] for t in found.qpv_totals]
    summary = [
        [s.relais, s.validated, s.missing, s.new, s.returning, s.appointments, s.workshops, s.attendance,
         s.orientations, s.events]
        for s in yearly_summary(year, today=today)
    ]  # fmt: skip
    tables = [
        ExportTable(_("Relais par mois"), [_("Relais"), *months], grid),
        ExportTable(
            _("Totaux par QPV"),
            [_("QPV"), _("Nom"), _("Nouvelles personnes"), _("Personnes déjà reçues"), _("Total")],
            qpv,
            ("text", "text", "count", "count", "count"),
        ),
        ExportTable(_("Bilan annuel"), summary_headers(), summary, ("text", *["count"] * 9)),
    ]
    meta = ExportMeta(
        title=_("Activité des relais emploi"), period_from=date(year, 1, 1), period_to=date(year, 12, 31), masked=False
    )
    return export_tables(fmt, tables, definitions=_definitions(), meta=meta)


def summary_headers() -> list[str]:
    return [
        _("Relais"), _("Rapports validés"), _("Rapports manquants"), _("Nouvelles personnes"),
        _("Personnes déjà reçues"), _("Rendez-vous"), _("Ateliers"), _("Participations aux ateliers"),
        _("Orientations"), _("Événements"),
    ]  # fmt: skip


def _cell_text(cell: Cell) -> str:
    if cell.state == MISSING:
        return _("manquant")
    if not cell.state:
        return ""
    label = str(ReportState(cell.state).label)
    return f"{label} ({cell.received})" if cell.received is not None else label


def _definitions() -> list[tuple[str, str, str]]:
    return [
        ("manquant", _("Rapport manquant"), _("Mois terminé sans rapport soumis ni validé (brouillon ou renvoyé).")),
        ("recues", _("Personnes reçues"), _("Nouvelles et déjà reçues, d'après les rapports soumis ou validés.")),
        ("bilan", _("Bilan annuel"), _("Somme des rapports validés de l'année.")),
    ]


def relais_summary(lines: list[dict[str, Any]], *, masked: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The frozen yearly summary of the COPIL pack as its audience reads it (masked for the steering)."""
    if not lines:
        return [], {}
    if masked:
        return masked_summary(lines)
    totals = {name: sum(line[name] for line in lines) for name in lines[0] if name != "relais"}
    return [dict(line) for line in lines], totals
