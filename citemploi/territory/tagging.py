"""Batch QPV tagging of a CSV file, streamed in chunks (memory stays flat for millions of rows).

Input: comma or semicolon separated, UTF-8 (with or without BOM) or Latin-1/Windows-1252, with ``lon`` and ``lat``
columns (optional ``code_insee``), or address columns with ``geocode``. Output: every input column, then
``qpv_status, qpv_code, qpv_name, qpv_generation, distance_m, near_boundary, qpv_message`` (+ ``geo_score,
geo_label, geo_lon, geo_lat`` when geocoded). The output is written to a temporary file renamed at the very end:
a run stopped by a fatal error leaves no file that looks complete.

With ``french`` (the file downloaded from « Vérifier un fichier », ``qpv tag --french``) the output is for French
spreadsheet software: ``;`` as separator whatever the input's, French column names (FRENCH_COLUMNS), statuses in
words (« dans un QPV », « hors QPV », « inconnu », « erreur ») and decimal commas. The default keeps the documented
English column names and values, for scripts.
"""

from __future__ import annotations

import codecs
import csv
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
from django.utils.translation import gettext as _

from citemploi.core.exports import SafeCsvWriter
from citemploi.core.uploads import FileRefused, UploadLimits, csv_cell_limit
from citemploi.territory.geocoding import Geocoder, GeocodeResult, get_geocoder
from citemploi.territory.lookup import ERROR, PerimeterIndex, QPVAnswer, get_index
from citemploi.territory.models import DEMO_PERIMETER_LABEL

QPV_COLUMNS = ["qpv_status", "qpv_code", "qpv_name", "qpv_generation", "distance_m", "near_boundary", "qpv_message"]
GEO_COLUMNS = ["geo_score", "geo_label", "geo_lon", "geo_lat"]
#: The French form of the added columns (same order as QPV_COLUMNS + GEO_COLUMNS).
FRENCH_COLUMNS = {
    "qpv_status": "statut_qpv",
    "qpv_code": "code_qpv",
    "qpv_name": "nom_qpv",
    "qpv_generation": "géographie_qpv",
    "distance_m": "distance_limite_m",
    "near_boundary": "proche_limite",
    "qpv_message": "message",
    "geo_score": "score_géocodage",
    "geo_label": "adresse_trouvée",
    "geo_lon": "longitude_trouvée",
    "geo_lat": "latitude_trouvée",
}
#: The French words of ``qpv_status``.
FRENCH_STATUSES = {"in": "dans un QPV", "out": "hors QPV", "unknown": "inconnu", "error": "erreur"}
#: Positions of the decimal numbers in the added columns (distance_m, then geo_score, geo_lon, geo_lat).
_DECIMAL_COLUMNS = (4, 7, 9, 10)
ALIASES = {
    "lon": ("lon", "longitude", "lng", "long"),
    "lat": ("lat", "latitude"),
    "insee": ("code_insee", "insee", "citycode", "code_commune_insee", "insee_com"),
    "address": ("adresse", "address", "adresse_complete", "adresse_postale"),
    "postcode": ("code_postal", "postcode", "cp", "codepostal"),
    "city": ("commune", "ville", "city", "nom_commune"),
}
SAMPLE_BYTES = 64 * 1024
DEFAULT_CHUNK = 50_000


class TagFileError(Exception):
    """The file cannot be tagged as a whole (French message); no output file is left."""


@dataclass
class TagSummary:
    rows: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    near_boundary: int = 0
    geocode_to_check: int = 0
    fictitious: bool = False  # answered with the demo's fictitious perimeters

    def lines(self) -> list[str]:
        """The summary in French, one line per count."""
        labels = {
            "in": _("dans un QPV"),
            "out": _("hors QPV"),
            "unknown": _("inconnu (périmètres non chargés)"),
            "error": _("en erreur"),
        }
        result = [_("%(rows)s ligne(s) traitée(s)") % {"rows": self.rows}]
        result += [f"  {labels[key]} : {self.statuses[key]}" for key in labels if self.statuses[key]]
        result.append(
            "  "
            + _("à vérifier (à moins de la distance seuil d'une limite) : %(count)s") % {"count": self.near_boundary}
        )
        if self.geocode_to_check:
            result.append(
                "  " + _("géocodage à vérifier (score faible) : %(count)s") % {"count": self.geocode_to_check}
            )
        result += [
            "  " + _("erreur « %(message)s » : %(count)s") % {"message": message, "count": count}
            for message, count in self.errors.most_common()
        ]
        if self.fictitious:
            result.append(_("Résultats donnés avec des périmètres fictifs de démonstration (%(label)s).")
                          % {"label": DEMO_PERIMETER_LABEL})  # fmt: skip
        return result


@dataclass(frozen=True)
class Columns:
    lon: int | None
    lat: int | None
    insee: int | None
    address: int | None
    postcode: int | None
    city: int | None


def tag_file(
    source: Path,
    target: Path,
    *,
    geocode: bool = False,
    strict: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
    geocoder: Geocoder | None = None,
    limits: UploadLimits | None = None,
    french: bool = False,
) -> TagSummary:
    """Tag ``source`` into ``target`` (in the French form with ``french``: see the module docstring). Raises TagFileError for a file that cannot be read as a whole (or is over
    the upload limits: columns, rows, cell length), or for the first bad row with ``strict``; bad rows otherwise
    get ``qpv_status=error`` and a message."""
    encoding = detect_encoding(source)
    limits = limits or UploadLimits.current()
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partiel")
    try:
        with (
            source.open(encoding=encoding, newline="") as handle,
            partial.open("w", encoding="utf-8-sig", newline="") as out,
            csv_cell_limit(limits),
        ):
            summary = _tag_stream(handle, out, geocode, strict, chunk_size, progress, geocoder, limits, french)
        os.replace(partial, target)
    except FileRefused as exc:
        raise TagFileError(exc.message) from exc
    except UnicodeDecodeError as exc:
        raise TagFileError(
            _("Caractères illisibles dans le fichier (encodage %(encoding)s) : %(reason)s.")
            % {"encoding": encoding, "reason": exc.reason}
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _tag_stream(
    handle: IO[str],
    out: IO[str],
    geocode: bool,
    strict: bool,
    chunk_size: int,
    progress: Callable[[int], None] | None,
    geocoder: Geocoder | None,
    limits: UploadLimits,
    french: bool = False,
) -> TagSummary:
    longest = (limits.columns + 1) * (limits.cell_chars + 3)
    first = handle.readline(longest)
    if not first.strip():
        raise TagFileError(_("Le fichier est vide : il faut au moins une ligne d'en-tête."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    limits.check_columns(first.count(delimiter) + 1)  # before the header is split: a million columns stop here
    if len(first) >= longest and not first.endswith("\n"):
        raise FileRefused(limits.cell_message(1))
    header = next(_reader([first], delimiter, limits, keep=0, offset=0))
    columns = resolve_columns(header, geocode=geocode)
    writer = SafeCsvWriter(out, delimiter=";" if french else delimiter)
    added = QPV_COLUMNS + (GEO_COLUMNS if geocode else [])
    writer.writerow(header + ([FRENCH_COLUMNS[name] for name in added] if french else added))
    index = get_index()
    summary = TagSummary(fictitious=index.fictitious)
    coder = (geocoder or get_geocoder()) if geocode else None
    rows = _reader(handle, delimiter, limits, keep=len(header) + 1, offset=1)
    for chunk in iter_chunks(rows, chunk_size):
        tagged = tag_chunk(chunk, columns, len(header), index=index, geocoder=coder, decimal_comma=delimiter == ";")
        for row, extra in tagged:
            summary.rows += 1
            _count(summary, extra)
            if strict and extra[0] == ERROR:
                raise TagFileError(
                    _("Ligne %(line)s : %(message)s (option --strict : arrêt à la première erreur).")
                    % {"line": summary.rows + 1, "message": extra[6]}
                )
            writer.writerow(row + (in_french(extra) if french else extra))
        limits.check_rows(summary.rows)
        if progress:
            progress(summary.rows)  # the job's progress, and its time budget
    return summary


def in_french(extra: list[str]) -> list[str]:
    """The added cells of one row in the French form: the status in words, decimal commas."""
    french = list(extra)
    french[0] = FRENCH_STATUSES.get(french[0], french[0])
    for position in _DECIMAL_COLUMNS:
        if position < len(french):
            french[position] = french[position].replace(".", ",")
    return french


def _reader(
    lines: Iterable[str], delimiter: str, limits: UploadLimits, *, keep: int, offset: int
) -> Iterator[list[str]]:
    """csv rows with a bound on each cell (csv.Error past the limit) and at most ``keep`` cells kept per row
    (one more than the header: enough to say the row is malformed); ``offset`` lines were read before."""
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for row in reader:
            yield row[:keep] if keep else row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileRefused(limits.cell_message(reader.line_num + offset)) from error
        raise TagFileError(
            _("Ligne %(line)s illisible : %(reason)s.") % {"line": reader.line_num + offset, "reason": error}
        ) from error


def _count(summary: TagSummary, extra: list[str]) -> None:
    summary.statuses[extra[0]] += 1
    if extra[0] == ERROR:
        summary.errors[extra[6]] += 1
    elif extra[5] == "oui":
        summary.near_boundary += 1
    if "géocodage à vérifier" in extra[6]:
        summary.geocode_to_check += 1


def iter_chunks(rows: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    """Lists of at most ``size`` rows: the only rows held in memory at a time."""
    chunk: list[list[str]] = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines (often at the end of spreadsheet exports) are not rows
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not) or Windows-1252/Latin-1; a binary, empty or undecodable file is refused."""
    if not path.is_file():
        raise TagFileError(_("Fichier introuvable : %(path)s") % {"path": path})
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise TagFileError(_("Le fichier est vide : il faut au moins une ligne d'en-tête."))
    if sample.startswith(b"PK\x03\x04"):
        raise TagFileError(_("C'est un classeur (XLSX) ou une archive, pas un CSV : enregistrez-le au format CSV."))
    if b"\x00" in sample:
        raise TagFileError(_("Fichier binaire : ce n'est pas un fichier CSV (texte)."))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TagFileError(_("Encodage illisible : enregistrez le fichier en UTF-8.")) from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise TagFileError(_("Fichier binaire : ce n'est pas un fichier CSV (texte)."))
    return "cp1252"


def resolve_columns(header: list[str], *, geocode: bool) -> Columns:
    """Find the useful columns by name (case and spaces ignored); a missing one stops the run."""
    names = [h.strip().lstrip("\ufeff").lower().replace(" ", "_") for h in header]

    def find(key: str) -> int | None:
        return next((names.index(alias) for alias in ALIASES[key] if alias in names), None)

    columns = Columns(*(find(key) for key in ("lon", "lat", "insee", "address", "postcode", "city")))
    found = ", ".join(h for h in header if h) or _("aucune")
    if geocode and columns.address is None:
        raise TagFileError(
            _("Colonne d'adresse introuvable (attendue : adresse ; colonnes lues : %(found)s).") % {"found": found}
        )
    if not geocode and (columns.lon is None or columns.lat is None):
        raise TagFileError(
            _(
                "Colonnes lon et lat introuvables (colonnes lues : %(found)s). Pour un fichier d'adresses, "
                "utilisez l'option --geocode avec une colonne adresse (et code_postal, commune)."
            )
            % {"found": found}
        )
    return columns


def tag_chunk(
    rows: list[list[str]],
    columns: Columns,
    width: int,
    *,
    index: PerimeterIndex,
    geocoder: Geocoder | None,
    decimal_comma: bool,
) -> list[tuple[list[str], list[str]]]:
    """Tag one chunk: every row comes back with its QPV (and geocoding) columns, bad rows with a message."""
    cells = [row[:width] + [""] * (width - len(row)) for row in rows]
    problems = [f"ligne mal formée ({len(r)} colonnes au lieu de {width})" if len(r) > width else "" for r in rows]
    geo: list[GeocodeResult | None] = []
    shortcuts: list[QPVAnswer | None] = [None] * len(cells)
    if geocoder is not None:
        queries = [(_cell(r, columns.address), _cell(r, columns.postcode), _cell(r, columns.city)) for r in cells]
        # A row whose commune has no QPV is certainly out: it is never sent to the geocoder.
        shortcuts = [
            index.commune_answer(a, postcode=p, city=c) if not problems[i] and (a or p or c) else None
            for i, (a, p, c) in enumerate(queries)
        ]
        todo = [i for i, shortcut in enumerate(shortcuts) if shortcut is None]
        geo = [None] * len(cells)
        for i, found in zip(todo, geocoder.geocode_many([queries[i] for i in todo]) if todo else [], strict=True):
            geo[i] = found if found is None or found.level != "municipality" else None  # a commune's centre: no QPV
        lon = np.array([g.lon if g else np.nan for g in geo])
        lat = np.array([g.lat if g else np.nan for g in geo])
        insee = [g.insee_code if g else "" for g in geo]
        problems = [
            p or ("" if g or shortcut else _geocode_problem(r, columns))
            for p, g, r, shortcut in zip(problems, geo, cells, shortcuts, strict=True)
        ]
    else:
        lon, lon_problems = _numbers([_cell(r, columns.lon) for r in cells], decimal_comma)
        lat, lat_problems = _numbers([_cell(r, columns.lat) for r in cells], decimal_comma)
        insee = [_cell(r, columns.insee) for r in cells]
        problems = [p or a or b for p, a, b in zip(problems, lon_problems, lat_problems, strict=True)]
    answers = index.locate_many(lon, lat, insee)
    return [
        (row, _extra(index, answers, i, problems[i], geo[i] if geo else None, geocoder is not None, shortcuts[i]))
        for i, row in enumerate(cells)
    ]


def _extra(
    index: PerimeterIndex,
    answers: object,
    i: int,
    problem: str,
    geo: GeocodeResult | None,
    geocoded: bool,
    shortcut: QPVAnswer | None = None,
) -> list[str]:
    answer = shortcut or index.answer(answers, i)  # type: ignore[arg-type]
    if shortcut is not None:
        values = [answer.status, "", "", "", "", "non", f"{answer.message} ({answer.commune})"]
    elif problem:
        values = [ERROR, "", "", "", "", "non", problem]
    else:
        distance = "" if answer.distance_m is None else f"{answer.distance_m:.1f}"
        message = answer.message
        if geo is not None and geo.needs_check:
            message = (message + " ; " if message else "") + f"géocodage à vérifier (score {geo.score:.2f})"
        if answer.fictitious:  # the demo's perimeters: every answer made with them says so
            message = (message + " ; " if message else "") + str(DEMO_PERIMETER_LABEL)
        values = [
            answer.status,
            answer.qpv_code,
            answer.qpv_name,
            str(answer.generation or ""),
            distance,
            "oui" if answer.near_boundary else "non",
            message,
        ]
    if geocoded:
        values += [f"{geo.score:.2f}", geo.label, f"{geo.lon:.6f}", f"{geo.lat:.6f}"] if geo else ["", "", "", ""]
    return values


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None else ""


def _numbers(values: list[str], decimal_comma: bool) -> tuple[np.ndarray, list[str]]:
    result = np.full(len(values), np.nan)
    problems = [""] * len(values)
    for i, value in enumerate(values):
        if not value:
            problems[i] = "coordonnées manquantes"
            continue
        try:
            result[i] = float(value.replace(",", ".") if decimal_comma else value)
        except ValueError:
            problems[i] = "coordonnées non numériques"
        if not np.isfinite(result[i]) and not problems[i]:
            problems[i] = "coordonnées non numériques"
            result[i] = np.nan
    return result, problems


def _geocode_problem(row: list[str], columns: Columns) -> str:
    return "adresse vide" if not _cell(row, columns.address) else "adresse introuvable (géocodage impossible)"
