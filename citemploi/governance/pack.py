"""The COPIL pack (issue 14 §5): its content as data, for the HTML page and the PDF alike (pack_render.py).

- **Period** of a meeting's pack: from the day after the previous (not cancelled) meeting of the same instance,
  or 12 months before when there is none, to the day of the meeting, both included; the previous period is the
  same number of days just before it. Without a meeting (CLI ``--from/--to``) the period is the one given.
- **Frozen figures**: the indicators come from a stored ``evaluation.Snapshot`` of the period (one is taken when
  none exists) and of the previous period; the funnel per QPV, the monthly series, the roadmap progress and the
  census highlights are frozen in a ``Pack`` record (one per meeting) when the pack is first built. Producing the
  pack again gives the same figures; the page says « révisé » next to a figure that changed since (snapshots
  .revisions). While the period is not over (its last day is today or later) the pack is provisional and is
  rebuilt with a fresh snapshot, at most once a day.
- **Audiences**: ``coordinator`` (everything) or ``steering`` (DESIGN.md §4): no person's name anywhere (agenda
  owners, decision owners and case-review names are left out), every count of 1 to 5 masked with secondary
  suppression (evaluation.outputs / core.secrecy), no drill-down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import PermissionDenied
from citemploi.core.formats import fr_number
from citemploi.evaluation import funnel as funnels
from citemploi.evaluation import outputs, registry
from citemploi.evaluation.charts import Chart, funnel_chart, line_chart
from citemploi.evaluation.models import Snapshot
from citemploi.evaluation.periods import Period
from citemploi.evaluation.snapshots import revisions, snapshot_take
from citemploi.governance.models import Decision, DecisionState, Meeting, Pack, RoadmapTarget, RoadmapVersion
from citemploi.governance.needs.pack import needs_frozen, needs_section
from citemploi.governance.services_decisions import is_late
from citemploi.pathways.exits import add_months
from citemploi.relais.consolidated import relais_summary, yearly_summary

COORDINATOR, STEERING = "coordinator", "steering"
AUDIENCES = (COORDINATOR, STEERING)
SERIES_IDS = ("spotted", "entered")
FROZEN_VERSION = 1


def meeting_period(meeting: Meeting) -> Period:
    """(previous meeting of the instance + 1 day, or 12 months before) → the meeting's day."""
    end = timezone.localtime(meeting.starts_at).date()
    before = (
        Meeting.objects.filter(instance_id=meeting.instance_id, cancelled=False, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    start = timezone.localtime(before).date() if before else add_months(end, -12)
    start += dt.timedelta(days=1)
    return Period(min(start, end), end)


def audience_for(user: Any, asked: str | None) -> str:
    """A non-coordinator always gets the steering (masked) pack; the coordinator may preview it."""
    if is_coordinator(user) and asked != STEERING:
        return COORDINATOR
    return STEERING


# --- building (and freezing) ----------------------------------------------------------------------------------------


def _cell_json(cell: registry.Cell) -> dict[str, Any]:
    return cell.as_json()


def _funnel_json(found: funnels.Funnel) -> list[dict[str, Any]]:
    return [
        {
            "key": line.key,
            "label": line.label,
            "steps": line.steps,
            "delays": [{"n": d.numerator, "v": d.value, "m": d.masked} for d in line.delays],
            "total": line.is_total,
        }
        for line in found.lines
    ]


def _current_targets() -> list[RoadmapTarget]:
    version = RoadmapVersion.objects.filter(adopted_on__isnull=False).order_by("-number").first()
    if version is None:
        return []
    return list(
        RoadmapTarget.objects.filter(action__objective__axis__version=version).select_related("action__objective__axis")
    )


def _progress_json(targets: list[RoadmapTarget]) -> list[dict[str, Any]]:
    out = []
    cache: dict[tuple[Any, ...], registry.Cell] = {}
    for t in targets:
        if t.indicator not in {i.id for i in registry.indicators()}:
            continue
        key = (t.indicator, t.qpv_code, t.period_from, t.period_to)
        if key not in cache:
            scope = registry.Scope(qpv=t.qpv_code or None)
            cache[key] = registry.compute(
                registry.get(t.indicator), Period(t.period_from, t.period_to), scope=scope
            ).total
        a = t.action
        out.append(
            {
                "ref": a.ref,
                "action": a.title,
                "indicator": t.indicator,
                "qpv": t.qpv_code,
                "from": t.period_from.isoformat(),
                "to": t.period_to.isoformat(),
                "target": t.value,
                "cell": _cell_json(cache[key]),
            }
        )
    return out


def _census_json(period: Period) -> dict[str, list[dict[str, str]]]:
    from citemploi.partners.models import Action, StructureProfile

    day_range = (period.start, period.end)
    actions = (
        Action.objects.filter(is_published=True, created_at__date__range=day_range)
        .select_related("carrier")
        .order_by("starts_on", "title")[:30]
    )
    partners = (
        StructureProfile.objects.filter(is_published=True, created_at__date__range=day_range)
        .select_related("structure")
        .order_by("structure__name")[:30]
    )
    return {
        "actions": [
            {"title": a.title, "carrier": a.carrier.name, "starts_on": a.starts_on.isoformat()} for a in actions
        ],
        "partners": [{"name": p.structure.name} for p in partners],
    }


def freeze(period: Period) -> dict[str, Any]:
    """Everything the pack shows besides the snapshot's totals, raw and masked where the masking is the funnel's."""
    months = period.months()
    series = {}
    for id in SERIES_IDS:
        series[id] = [n for _m, n in registry.series(registry.get(id), period)]
    return {
        "version": FROZEN_VERSION,
        "funnel": {
            COORDINATOR: _funnel_json(funnels.funnel(period, by="qpv")),
            STEERING: _funnel_json(funnels.funnel(period, by="qpv", masked=True)),
        },
        "months": [m.start.isoformat() for m in months],
        "series": series,
        "progress": _progress_json(_current_targets()),
        "census": _census_json(period),
        "needs": needs_frozen(),
        "relais": [line.as_json() for line in yearly_summary(period.end.year)],
    }


def _snapshot(period: Period, label: str) -> Snapshot:
    found = Snapshot.objects.filter(period_start=period.start, period_end=period.end, qpv="").first()
    return found or snapshot_take(by=None, period=period, label=label)


def is_over(period: Period) -> bool:
    return period.end < timezone.localdate()


def _still_good(pack: Pack, period: Period) -> bool:
    """Frozen once the period is over; a provisional pack is refreshed at most once a day."""
    return is_over(period) or timezone.localtime(pack.snapshot.taken_at).date() == timezone.localdate()


@transaction.atomic
def pack_build(*, by: User | None, period: Period, meeting: Meeting | None = None) -> Pack:
    """The frozen figures of the pack (``by`` None: the operator's command). Frozen once the period is over; a
    provisional pack (period not over) is rebuilt with a fresh snapshot, at most once a day."""
    if by is not None and meeting is None and not is_coordinator(by):
        raise PermissionDenied(_("Seule la coordination produit un dossier sur une période libre."))
    if by is not None and meeting is not None and not Meeting.objects.visible_to(by).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("Le dossier d'une réunion est réservé à ceux qui voient la réunion."))
    if meeting is not None:  # one build at a time per meeting (the Pack row may not exist yet)
        Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).first()
    packs = Pack.objects.select_for_update(of=("self",))
    found = packs.filter(meeting=meeting) if meeting else packs.filter(meeting=None)
    found = found.filter(period_start=period.start, period_end=period.end)
    pack = found.first()
    if pack is not None and pack.frozen.get("version") == FROZEN_VERSION and _still_good(pack, period):
        return pack
    label = _("Dossier du COPIL — %(name)s") % {"name": meeting.title if meeting else period.label()}
    if is_over(period):
        snapshot = _snapshot(period, label)
        previous = _snapshot(period.previous(), label)
    else:
        snapshot = snapshot_take(by=None, period=period, label=label)
        previous = _snapshot(period.previous(), label)
    frozen = freeze(period)
    if pack is None:
        return Pack.objects.create(
            meeting=meeting,
            period_start=period.start,
            period_end=period.end,
            snapshot=snapshot,
            previous_snapshot=previous,
            frozen=frozen,
        )
    pack.snapshot, pack.previous_snapshot, pack.frozen = snapshot, previous, frozen
    pack.save(update_fields=["snapshot", "previous_snapshot", "frozen", "updated_at"])
    return pack


# --- the content, as the pages show it ----------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    id: str
    label: str
    now: str
    before: str
    target: str
    revised: str = ""


@dataclass
class FunnelRow:
    label: str
    cells: list[str]
    conversions: list[str]
    is_total: bool


@dataclass
class ProgressLine:
    ref: str
    action: str
    indicator: str
    where: str
    period: str
    target: str
    value: str
    percent: int | None

    @property
    def percent_text(self) -> str:
        return "—" if self.percent is None else f"{fr_number(self.percent)}\u202f%"


@dataclass
class DecisionLine:
    text: str
    owner: str
    deadline: dt.date | None
    state: str
    late: bool
    meeting: str


@dataclass
class PackContent:
    audience: str
    title: str
    subtitle: str
    period: Period
    previous: Period
    pack: Pack
    provisional: bool
    meeting: Meeting | None = None
    agenda: list[tuple[str, str]] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    funnel_steps: list[str] = field(default_factory=list)
    funnel: list[FunnelRow] = field(default_factory=list)
    map: Any = None
    charts: list[Chart] = field(default_factory=list)
    roadmap: list[ProgressLine] = field(default_factory=list)
    decisions: list[DecisionLine] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    partners: list[dict[str, str]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    #: The yearly summary of the relais' activity reports (relais.consolidated), masked for the steering.
    relais: list[dict[str, Any]] = field(default_factory=list)
    relais_totals: dict[str, Any] = field(default_factory=dict)

    @property
    def masked(self) -> bool:
        return self.audience == STEERING


def shown_cell(indicator_id: str, figures: dict[str, Any] | None, *, masked: bool) -> registry.Cell | None:
    """A stored total as the audience may read it (statistical secrecy through evaluation.outputs.mask)."""
    if figures is None:
        return None
    indicator = registry.get(indicator_id)
    cell = registry.Cell(figures.get("numerator"), figures.get("denominator"), figures.get("value"))
    if not masked:
        return cell
    return outputs.mask(registry.Result(indicator, Period(dt.date.min, dt.date.min), cell)).total


def _text(indicator_id: str, figures: dict[str, Any] | None, masked: bool) -> str:
    return outputs.text(shown_cell(indicator_id, figures, masked=masked), registry.get(indicator_id).kind)


def target_text(value: float, kind: str) -> str:
    """A target as it reads: « 120 » (a whole target without « ,0 »), « 60,0 % », « 15 j »."""
    whole = int(value) if float(value).is_integer() else value
    return outputs.text(registry.Cell(None, None, whole), kind)


def _targets_by_indicator(progress: list[dict[str, Any]], period: Period) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in progress:
        if p["qpv"] or p["indicator"] in out:
            continue
        if dt.date.fromisoformat(p["from"]) <= period.end and dt.date.fromisoformat(p["to"]) >= period.start:
            kind = registry.get(p["indicator"]).kind
            out[p["indicator"]] = target_text(p["target"], kind)
    return out


def _indicators(content: PackContent, check_revisions: bool) -> None:
    pack, masked = content.pack, content.masked
    targets = _targets_by_indicator(pack.frozen.get("progress", []), content.period)
    revised = {}
    if check_revisions:
        revised = revisions(pack.snapshot, registry.compute_all(content.period, ids=registry.contract_ids()))
    for id in registry.contract_ids():
        indicator = registry.get(id)
        line = IndicatorLine(
            id,
            str(indicator.label),
            _text(id, pack.snapshot.figures.get(id), masked),
            _text(id, pack.previous_snapshot.figures.get(id), masked),
            targets.get(id, "—"),
        )
        if id in revised:
            now = registry.compute(indicator, content.period).total.as_json()
            line.revised = _text(id, now, masked)
        content.indicators.append(line)


def _rate_text(value: float | None) -> str:  # noqa: D103
    return outputs.text(registry.Cell(None, None, value), registry.RATE)


def _conversion(before: int | None, after: int | None) -> str:
    """step ÷ previous step as published: secret when either count is masked, « — » over 0."""
    if before is None or after is None:
        return outputs.text(registry.Cell(None, None, None, masked=True), registry.RATE)
    return _rate_text(registry.rate(after, before))


def _funnel(content: PackContent) -> None:
    rows = content.pack.frozen["funnel"][content.audience]
    content.funnel_steps = [str(s.label) for s in funnels.STEPS]
    for row in rows:
        steps = row["steps"]
        conversions = [_conversion(a, b) for a, b in zip(steps, steps[1:], strict=False)]
        content.funnel.append(
            FunnelRow(row["label"], [outputs.count_text(s) for s in steps], conversions, row["total"])
        )
    total = next((r for r in rows if r["total"]), None)
    if total is not None:
        delays = [None if d["m"] else d["v"] for d in total["delays"]]
        chart_delays = [None, delays[0], None, delays[1], delays[2], None]
        content.charts.append(
            funnel_chart(_("Entonnoir du territoire"), content.funnel_steps, list(total["steps"]), delays=chart_delays)
        )
    from citemploi.governance.pack_map import funnel_map

    content.map = funnel_map(rows, masked=content.masked)


def _series(content: PackContent) -> None:
    frozen = content.pack.frozen
    months = [dt.date.fromisoformat(m) for m in frozen.get("months", [])]
    if not months:
        return
    named: dict[str, list[int | None]] = {}
    for id in SERIES_IDS:
        values = list(frozen["series"].get(id, []))
        shown = outputs.mask_values(values)[0] if content.masked else list(values)
        named[str(registry.get(id).label)] = shown
    content.charts.append(line_chart(_("Repérages et entrées par mois"), months, named, unit="count"))


def _roadmap(content: PackContent) -> None:
    for p in content.pack.frozen.get("progress", []):
        kind = registry.get(p["indicator"]).kind
        cell = shown_cell(p["indicator"], p["cell"], masked=content.masked)
        value = None if cell is None or cell.masked else cell.value
        ratio = None if value is None or not p["target"] else float(value) / p["target"]
        content.roadmap.append(
            ProgressLine(
                p["ref"],
                p["action"],
                str(registry.get(p["indicator"]).label),
                p["qpv"] or _("territoire"),
                f"{dt.date.fromisoformat(p['from']):%d/%m/%Y} – {dt.date.fromisoformat(p['to']):%d/%m/%Y}",
                target_text(p["target"], kind),
                outputs.text(cell, kind),
                None if ratio is None else round(ratio * 100),
            )
        )


def _owner(decision: Decision, masked: bool) -> str:
    structure = decision.owner_structure.name if decision.owner_structure else ""
    person = "" if masked or decision.owner is None else decision.owner.get_full_name()
    return " — ".join(x for x in (structure, person) if x) or "—"


def _decisions(content: PackContent) -> None:
    today = timezone.localdate()
    if content.meeting is not None:
        from citemploi.governance.selectors import previous_decisions

        chosen = list(previous_decisions(content.meeting))
    else:
        open_or_recent = Q(state__in=[DecisionState.TODO, DecisionState.DOING]) | Q(
            closed_at__date__range=(content.period.start, content.period.end)
        )
        chosen = sorted(
            Decision.objects.filter(open_or_recent).select_related("meeting", "owner", "owner_structure"),
            key=lambda d: (not is_late(d, today), d.deadline or dt.date.max, d.pk),
        )
    for d in chosen:
        content.decisions.append(
            DecisionLine(
                d.text, _owner(d, content.masked), d.deadline, d.get_state_display(), is_late(d, today), d.meeting.title
            )
        )


def _agenda(content: PackContent) -> None:
    if content.meeting is None:
        return
    for item in content.meeting.items.select_related("owner").order_by("position", "pk"):
        owner = "" if content.masked or item.owner is None else item.owner.get_full_name()
        content.agenda.append((item.title, owner))


def pack_content(pack: Pack, *, audience: str, check_revisions: bool = True) -> PackContent:
    """The pack as its audience reads it (no write: the figures come from ``pack``)."""
    period = Period(pack.period_start, pack.period_end)
    meeting = pack.meeting
    title = _("Dossier du COPIL")
    if meeting is not None:
        subtitle = f"{meeting.instance.name} — {meeting.title}"
    else:
        subtitle = _("Période du %(label)s (sans réunion)") % {"label": period.label()}
    content = PackContent(
        audience, title, subtitle, period, period.previous(), pack, not is_over(period), meeting=meeting
    )
    _agenda(content)
    _indicators(content, check_revisions)
    _funnel(content)
    _series(content)
    _roadmap(content)
    _decisions(content)
    census = pack.frozen.get("census", {})
    content.actions, content.partners = census.get("actions", []), census.get("partners", [])
    content.needs = needs_section(pack.frozen, audience)

    content.relais, content.relais_totals = relais_summary(pack.frozen.get("relais", []), masked=content.masked)
    return content
