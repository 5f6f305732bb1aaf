"""Reads of the register of uncovered needs: the list (with filters), a need's signals by source and month, the
rows of the export and of the COPIL pack. Fixed query counts whatever the number of needs; counts masked with
``core.secrecy`` below the coordinator (one table: rows = needs, columns = sources, with their totals); never a
name (signals hold counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from citemploi.core import secrecy
from citemploi.governance.needs.coverage import Census, read_census
from citemploi.governance.needs.models import Need, NeedSignal, Proposal
from citemploi.governance.needs.states import Coverage, SignalSource
from citemploi.governance.permissions import can_manage_needs
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import AgeBand
from citemploi.territory.models import QPV

SOURCES = list(SignalSource.values)
COVERAGE_LABELS = dict(Coverage.choices)


@dataclass(frozen=True)
class NeedFilters:
    state: str = ""
    thematique: str = ""
    qpv: str = ""
    source: str = ""


@dataclass(frozen=True)
class NeedRow:
    need: Need
    thematique_label: str
    public_label: str
    qpv_label: str
    coverage: str
    #: per source (SOURCES order), ``None`` when masked
    counts: list[int | None]
    total: int | None
    proposals: int

    @property
    def counts_text(self) -> list[str]:
        """The counts as a page shows them (« < 6 » when masked)."""
        return [secrecy.display(n) for n in self.counts]

    @property
    def total_text(self) -> str:
        return secrecy.display(self.total)

    @property
    def coverage_label(self) -> str:
        return str(COVERAGE_LABELS[self.coverage])


def thematique_label(value: str) -> str:
    return str(ref.THEMATIQUE_LABELS.get(value) or ref.CATEGORIE_LABELS.get(value, value))


def public_label(need: Need) -> str:
    return f"{AgeBand(need.age_band).label} · {ref.PUBLIC_LABELS.get(need.situation, need.situation)}"


def _sum(source: str) -> Coalesce:
    signals = NeedSignal.objects.filter(need=OuterRef("pk"), source=source).order_by().values("need")
    return Coalesce(Subquery(signals.annotate(n=Sum("count")).values("n"), output_field=IntegerField()), 0)


def filtered_needs(filters: NeedFilters) -> QuerySet[Need]:
    """The needs matching the filters, with their signal count per source and their proposals (one query)."""
    qs = Need.objects.all()
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.thematique:
        qs = qs.filter(thematique__startswith=filters.thematique)
    if filters.qpv:
        qs = qs.filter(qpv_code=filters.qpv)
    if filters.source:
        qs = qs.filter(pk__in=NeedSignal.objects.filter(source=filters.source).values("need"))
    proposals = Proposal.objects.filter(need=OuterRef("pk")).order_by().values("need").annotate(n=Count("pk"))
    return qs.annotate(
        **{f"n_{s}": _sum(s) for s in SOURCES},
        n_proposals=Coalesce(Subquery(proposals.values("n"), output_field=IntegerField()), 0),
    ).order_by("thematique", "qpv_code", "age_band", "situation", "id")


def masked_for(viewer: Any) -> bool:
    """Counts are masked for everyone below the coordinator."""
    return not can_manage_needs(viewer)


def register_rows(*, masked: bool, filters: NeedFilters | None = None, census: Census | None = None) -> list[NeedRow]:
    """The register: raw counts for the coordinator, masked (``masked``) below. Eight queries."""
    needs = list(filtered_needs(filters or NeedFilters()))
    census = census or read_census()
    names = dict(QPV.objects.filter(code__in={n.qpv_code for n in needs}).values_list("code", "name"))
    raw = [[getattr(n, f"n_{s}") for s in SOURCES] for n in needs]
    if not masked:
        counts: list[list[int | None]] = [list(r) for r in raw]
        totals: list[int | None] = [sum(r) for r in raw]
    else:
        table = secrecy.mask_table(raw) if raw else None
        counts = table.cells if table else []
        totals = table.row_totals if table else []
    return [
        NeedRow(
            need=n,
            thematique_label=thematique_label(n.thematique),
            public_label=public_label(n),
            qpv_label=names.get(n.qpv_code, n.qpv_code) if n.qpv_code else gettext("Tout le territoire"),
            coverage=census.coverage(n),
            counts=counts[i],
            total=totals[i],
            proposals=n.n_proposals,  # type: ignore[attr-defined]
        )
        for i, n in enumerate(needs)
    ]


@dataclass(frozen=True)
class SignalTable:
    months: list[date]
    #: months × sources, ``None`` when masked
    cells: list[list[int | None]]
    month_totals: list[int | None]
    source_totals: list[int | None]
    total: int | None

    @property
    def lines(self) -> list[tuple[date, list[str], str]]:
        """(month, counts by source, month total) as a page shows them."""
        return [
            (m, [secrecy.display(n) for n in row], secrecy.display(t))
            for m, row, t in zip(self.months, self.cells, self.month_totals, strict=True)
        ]

    @property
    def totals_text(self) -> list[str]:
        return [secrecy.display(n) for n in self.source_totals]

    @property
    def total_text(self) -> str:
        return secrecy.display(self.total)


def signal_table(need: Need, *, masked: bool) -> SignalTable:
    """A need's signals by month (rows) and source (columns), masked below the coordinator. One query."""
    sums: dict[tuple[date, str], int] = {}
    for month, source, n in (
        NeedSignal.objects.filter(need=need)
        .values("month", "source")
        .annotate(n=Sum("count"))
        .values_list("month", "source", "n")
    ):
        sums[(month, source)] = n
    months = sorted({m for m, _s in sums})
    cells = [[sums.get((m, s), 0) for s in SOURCES] for m in months]
    if not masked:
        return SignalTable(
            months,
            [list(r) for r in cells],
            [sum(r) for r in cells],
            [sum(col) for col in zip(*cells, strict=False)] if cells else [0] * len(SOURCES),
            sum(map(sum, cells)),
        )
    table = secrecy.mask_table(cells) if cells else secrecy.MaskedTable([], [], [0] * len(SOURCES), 0)
    return SignalTable(months, table.cells, table.row_totals, table.col_totals, table.total)


def manual_reports(need: Need) -> QuerySet[NeedSignal]:
    """The partners' reports of a need, with their structure (the coordinator reads their descriptions)."""
    return need.signals.filter(source=SignalSource.MANUAL).select_related("structure").order_by("-month", "-id")
