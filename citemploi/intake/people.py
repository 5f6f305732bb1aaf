"""People list → repérage by cross-check (§4a), the domain half: no HTTP, no user-facing writes.

- ``check_mapping``: the mapping names the required fields, each header once (else one French message);
- ``analyse_rows``: every row read as text and typed by the mapping; errors by row and column;
- ``process_rows``: geocode (the configured geocoder) and QPV-tag with the territory app's batch path
  (``territory.tagging.tag_rows``), link to the cohort (a ``intake.linkage.Linker``: the cohort prepared and
  blocked once for the whole import), sort each row into a category.
Chunks keep memory flat: only ``CHUNK`` rows are held at a time, plus the cohort's prepared link records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from citemploi.intake import linkage
from citemploi.intake.cells import CellError
from citemploi.intake.errors import RowError
from citemploi.intake.mappings import FIELDS_BY_NAME, PEOPLE_FIELDS
from citemploi.intake.models import Category
from citemploi.intake.readers import Table
from citemploi.territory.geocoding import Geocoder
from citemploi.territory.lookup import ERROR, PerimeterIndex
from citemploi.territory.tagging import Columns, tag_rows

CHUNK = 2000
_GEO_COLUMNS = Columns(lon=None, lat=None, insee=None, address=0, postcode=1, city=2)


class MappingError(ValueError):
    """The mapping cannot be used (French message)."""


def check_mapping(mapping: dict[str, str], headers: Sequence[str]) -> None:
    """Required fields mapped, every header known and used once."""
    missing = [str(f.label) for f in PEOPLE_FIELDS if f.required and not mapping.get(f.name)]
    if missing:
        raise MappingError(_("Colonne obligatoire non associée : %(fields)s.") % {"fields": ", ".join(missing)})
    used = [h for h in mapping.values() if h]
    unknown = [h for h in used if h not in headers]
    if unknown:
        raise MappingError(_("Colonne absente du fichier : %(cols)s.") % {"cols": ", ".join(unknown)})
    twice = sorted({h for h in used if used.count(h) > 1})
    if twice:
        raise MappingError(_("La colonne « %(col)s » est associée à plusieurs champs.") % {"col": twice[0]})


@dataclass
class AnalysedRow:
    line: int
    values: dict[str, Any]  # JSON-ready: dates as ISO text
    errors: list[dict[str, str]] = field(default_factory=list)


def _json(value: object) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def analyse_rows(table: Table, mapping: dict[str, str]) -> Iterator[AnalysedRow]:
    """Each non-blank row of the table, typed by the mapping (row numbers as the user sees them: header = 1)."""
    positions = {name: table.headers.index(h) for name, h in mapping.items() if h}
    for offset, cells in enumerate(table.rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = AnalysedRow(line=offset, values={})
        for name, position in positions.items():
            text = cells[position] if position < len(cells) else ""
            try:
                row.values[name] = _json(FIELDS_BY_NAME[name].parse(text))
            except CellError as error:
                row.errors.append({"column": mapping[name], "message": str(error)})
                row.values[name] = None
        for f in PEOPLE_FIELDS:
            if (
                f.required
                and not row.values.get(f.name)
                and not any(e["column"] == mapping[f.name] for e in row.errors)
            ):
                row.errors.append({"column": mapping[f.name], "message": _("Valeur obligatoire manquante.")})
        yield row


def row_errors(rows: Iterable[tuple[int, list[dict[str, str]]]], sheet: str = "") -> list[RowError]:
    return [
        RowError(row=line, column=e["column"], message=e["message"], sheet=sheet) for line, errs in rows for e in errs
    ]


@dataclass(frozen=True)
class Outcome:
    """Where one row lands, with what the importer may be shown."""

    category: str
    detail: str = ""
    qpv_code: str = ""
    geo: dict[str, Any] = field(default_factory=dict)
    linked: int | None = None  # a record the importer may see
    review: list[dict[str, Any]] = field(default_factory=list)  # never shown to the importer


def link_record(key: str, values: dict[str, Any]) -> linkage.LinkRecord:
    birth = values.get("birth_date")
    return linkage.LinkRecord(
        id=key,
        last_name=values.get("last_name") or "",
        first_name=values.get("first_name") or "",
        birth_date=date.fromisoformat(birth) if birth else None,
        sex=values.get("sex") or "",
        email=values.get("email") or "",
        phone=values.get("phone") or "",
        address=values.get("address") or "",
        postcode=values.get("postcode") or "",
        commune=values.get("city") or "",
    )


def process_rows(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    linker: linkage.Linker,
    visible: Callable[[int], bool],
    index: PerimeterIndex,
    geocoder: Geocoder,
) -> list[Outcome]:
    """Geocode, QPV-tag and link one chunk of ``(row key, values)``; one outcome per row, in order."""
    queries = [[v.get("address") or "", v.get("postcode") or "", v.get("city") or ""] for _key, v in rows]
    tagged = tag_rows(queries, _GEO_COLUMNS, 3, index=index, geocoder=geocoder, decimal_comma=False)
    records = [link_record(str(key), values) for key, values in rows]
    links = linker.link(records)
    return [
        _outcome(extra, links.get(str(key), []), visible) for (key, _v), (_row, extra) in zip(rows, tagged, strict=True)
    ]


def _outcome(extra: list[str], candidates: list[linkage.Candidate], visible: Callable[[int], bool]) -> Outcome:
    status, code, name, generation, _distance, near, message = extra[:7]
    geo = {
        "status": status,
        "generation": generation,
        "score": extra[7],
        "label": extra[8],
        "lon": extra[9],
        "lat": extra[10],
    }
    same = [c for c in candidates if linkage.decide(c.score) == linkage.Decision.SAME]
    review = [
        {"id": int(c.id), "score": round(c.score, 2), "reasons": list(c.reasons)}
        for c in candidates
        if linkage.decide(c.score) == linkage.Decision.REVIEW
    ]
    if status == ERROR:
        return Outcome(Category.ERROR, message, geo=geo)
    if same and visible(int(same[0].id)):
        return Outcome(Category.FOLLOWED, "", code, geo, linked=int(same[0].id))
    if same:  # a record the importer may not see: never revealed; the coordination checks it (review queue)
        review = [{"id": int(same[0].id), "score": round(same[0].score, 2), "reasons": list(same[0].reasons)}]
    if near == "oui" or "géocodage à vérifier" in message or status == "unknown":
        return Outcome(Category.CHECK, message, code, geo, review=review)
    if status == "in":
        return Outcome(Category.IN_QPV_NEW, name, code, geo, review=review)
    return Outcome(Category.OUT, message, "", geo)
