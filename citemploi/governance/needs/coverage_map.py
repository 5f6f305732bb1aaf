"""The coverage map of the register (issue 15 §5): needs × QPV as a table and a choropleth, and the evidence
behind a cell (signal counts by source and month).

What is counted: the **signals** of the needs (people who met no solution, freins nobody can lift, partners'
reports) — counts of people, so that below the coordinator the table is published through the statistical
secrecy once (``core.secrecy.mask_table``: cells, row and column totals, grand total, with secondary suppression).
The map shows each QPV's row total *as published in the table* — the same masked figures, so that the map and the
table cannot be combined to recompute a hidden cell. The number of needs per QPV is a count of needs, not of people:
it is shown to everyone who reads the register.

Rows are the territory's QPV (all of them, zeros included: a QPV with no signal reads 0, not « absent »), then
« tout le territoire » for the needs that name no QPV (not on the map). Columns are the thématique categories of
data·inclusion that have a need in the selection, in the referential's order. Three queries, whatever the data.
The evidence of a cell (``evidence``) is the coordinator's only — no drill-down for masked audiences, as in the
evaluation; it is two queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from citemploi.core import secrecy
from citemploi.core.errors import PermissionDenied
from citemploi.governance.models import Need, NeedSignal
from citemploi.governance.needs.states import OPEN_NEED_STATES, NeedState, SignalSource
from citemploi.partners import referentials as ref
from citemploi.territory.models import QPV

TERRITORY = ""  # the row of the needs that name no QPV
#: The states a selection may ask for: « ouverts » (default), one state, or « tous ».
OPEN, ALL = "ouverts", "tous"


def states_for(choice: str) -> frozenset[str]:
    if choice == ALL:
        return frozenset(NeedState.values)
    if choice in NeedState.values:
        return frozenset({choice})
    return frozenset(OPEN_NEED_STATES)


def state_choices() -> list[tuple[str, str]]:
    return [(OPEN, _("Besoins ouverts")), *((s.value, str(s.label)) for s in NeedState), (ALL, _("Tous les besoins"))]


@dataclass(frozen=True)
class Figure:
    """A published count (None when masked) and how it reads (« < 6 » when masked, « 1 234 »)."""

    value: int | None
    text: str
    categorie: str = ""

    @classmethod
    def of(cls, value: int | None, categorie: str = "") -> Figure:
        return cls(value, secrecy.display(value), categorie)


@dataclass(frozen=True)
class Row:
    code: str  # QPV code, or TERRITORY
    label: str
    needs: int
    cells: list[Figure]  # signals per category, as published
    total: Figure


@dataclass(frozen=True)
class CoverageTable:
    categories: list[tuple[str, str]]  # (slug, label), columns
    rows: list[Row]
    col_totals: list[Figure]
    total: Figure
    needs: int
    masked: bool

    def map_values(self) -> tuple[dict[str, float | None], set[str]]:
        """Each QPV's published row total for the choropleth, and the QPV whose figure is masked."""
        values: dict[str, float | None] = {r.code: r.total.value for r in self.rows if r.code != TERRITORY}
        return values, {code for code, value in values.items() if value is None}


def _aggregates(states: Iterable[str]) -> list[dict[str, Any]]:
    """(QPV, thématique) → needs and signals, one query (signals summed on the need's rows, never per person)."""
    return list(
        Need.objects.filter(state__in=sorted(states))
        .values("qpv_code", "thematique")
        .annotate(
            n_needs=Count("pk", distinct=True),
            n_signals=Coalesce(Sum("signals__count"), Value(0), output_field=IntegerField()),
        )
        .order_by()
    )


def coverage_table(*, masked: bool, state: str = OPEN) -> CoverageTable:
    """The needs × QPV table for a reader (``masked`` below the coordinator)."""
    rows_data = _aggregates(states_for(state))
    qpvs = list(QPV.objects.filter(in_territory=True).order_by("name", "code").values_list("code", "name"))
    names = dict(qpvs)
    extra = sorted({r["qpv_code"] for r in rows_data} - set(names) - {TERRITORY})
    names.update(dict(QPV.objects.filter(code__in=extra).values_list("code", "name")))
    keys = [code for code, _name in qpvs] + extra + [TERRITORY]
    present = {ref.categorie_of(r["thematique"]) for r in rows_data}
    categories = [(c, str(label)) for c, label in ref.CATEGORIE_CHOICES if c in present]
    categories += [(c, c) for c in sorted(present - {c for c, _label in categories})]
    signals: dict[tuple[str, str], int] = defaultdict(int)
    needs: dict[str, int] = defaultdict(int)
    for r in rows_data:
        signals[(r["qpv_code"], ref.categorie_of(r["thematique"]))] += r["n_signals"]
        needs[r["qpv_code"]] += r["n_needs"]
    raw = [[signals[(key, c)] for c, _label in categories] for key in keys]
    published = secrecy.mask_table(raw) if masked and categories else _unmasked(raw, len(categories))
    slugs = [c for c, _label in categories]
    rows = [
        Row(
            key,
            _label(key, names),
            needs[key],
            [Figure.of(v, c) for c, v in zip(slugs, cells, strict=True)],
            Figure.of(total),
        )
        for key, cells, total in zip(keys, published.cells, published.row_totals, strict=True)
    ]
    col_totals = [Figure.of(v, c) for c, v in zip(slugs, published.col_totals, strict=True)]
    return CoverageTable(
        categories, rows, col_totals, Figure.of(published.total), sum(needs.values()), masked and bool(categories)
    )


def _unmasked(raw: list[list[int]], columns: int) -> secrecy.MaskedTable:
    cells: list[list[int | None]] = [list(row) for row in raw]
    col_totals: list[int | None] = [sum(row[c] for row in raw) for c in range(columns)]
    return secrecy.MaskedTable(cells, [sum(row) for row in raw], col_totals, sum(sum(row) for row in raw))


def _label(code: str, names: dict[str, str]) -> str:
    if code == TERRITORY:
        return _("Tout le territoire (sans QPV précis)")
    return f"{names.get(code, code)} ({code})"


def qpv_label(code: str) -> str:
    """« Montreynaud (QN04201M) », or « tout le territoire » for the needs that name no QPV (one query)."""
    names = dict(QPV.objects.filter(code=code).values_list("code", "name")) if code else {}
    return _label(code, names)


# --- Evidence behind a cell (coordinator) ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceNeed:
    need: Need
    thematique: str  # its French label
    months: list[tuple[dt.date, list[int], int]]  # (month, count per source, month total)
    totals: list[int]
    total: int


def evidence(viewer: Any, *, qpv_code: str, categorie: str, state: str = OPEN) -> list[EvidenceNeed]:
    """The needs of one cell (QPV × category) with their signal counts by source and month, unmasked: the
    coordinator's only (below, the counts are masked and there is no drill-down). Two queries."""
    from citemploi.governance.permissions import can_drill_down_needs

    if not can_drill_down_needs(viewer):
        raise PermissionDenied(_("Le détail des signaux est réservé à la coordination."))
    thematique = Q(thematique=categorie) | Q(thematique__startswith=f"{categorie}--")
    needs = list(Need.objects.filter(thematique, qpv_code=qpv_code, state__in=sorted(states_for(state))))
    counts: dict[int, dict[dt.date, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    rows = (
        NeedSignal.objects.filter(need__in=needs)
        .values("need_id", "month", "source")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        counts[row["need_id"]][row["month"]][row["source"]] += row["n"]
    sources = list(SignalSource.values)
    found = []
    for need in needs:
        months = [
            (month, [by_source[s] for s in sources], sum(by_source.values()))
            for month, by_source in sorted(counts[need.pk].items())
        ]
        totals = [sum(m[1][i] for m in months) for i in range(len(sources))]
        found.append(EvidenceNeed(need, thematique_label(need.thematique), months, totals, sum(totals)))
    return found


def thematique_label(thematique: str) -> str:
    """The French label of a thématique, or of a whole category."""
    return str(ref.THEMATIQUE_LABELS.get(thematique) or ref.CATEGORIE_LABELS.get(thematique) or thematique)


def source_labels() -> list[str]:
    return [str(s.label) for s in SignalSource]
