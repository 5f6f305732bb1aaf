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
import gc
import os
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, islice
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.utils.translation import gettext as _

from citemploi.core.exports import SafeCsvWriter, safe_cell, safe_row
from citemploi.core.uploads import FileRefused, UploadLimits, csv_cell_limit
from citemploi.territory.geocoding import Geocoder, GeocodeResult, get_geocoder
from citemploi.territory.lookup import ERROR, IN, OUT, UNKNOWN, Answers, PerimeterIndex, QPVAnswer, get_index
from citemploi.territory.models import DEMO_PERIMETER_LABEL

QPV_COLUMNS = ["qpv_status", "qpv_code", "qpv_name", "qpv_generation", "distance_m", "near_boundary", "qpv_message"]
GEO_COLUMNS = ["geo_score", "geo_label", "geo_lon", "geo_lat", "geo_level", "geo_check"]
#: The geocoding columns added by issue 16 (after the four older ones).
NEW_GEO_COLUMNS = ("geo_level", "geo_check")
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
    "geo_level": "précision_géocodage",
    "geo_check": "géocodage_à_vérifier",
}
#: The French words of ``qpv_status``.
FRENCH_STATUSES = {"in": "dans un QPV", "out": "hors QPV", "unknown": "inconnu", "error": "erreur"}
#: The French words of ``geo_level`` (the level of the answer, as the BAN API names it).
FRENCH_LEVELS = {"housenumber": "numéro", "street": "voie", "municipality": "commune"}
#: The statuses by their code in a TaggedChunk.
STATUSES = (IN, OUT, UNKNOWN, ERROR)
_OUT, _ERROR = STATUSES.index(OUT), STATUSES.index(ERROR)
#: The problems of a row by their code (0: none; 1: malformed, whose text says how many cells).
_FINE, _MALFORMED, _MISSING, _NOT_NUMBERS, _EMPTY_ADDRESS, _NOT_FOUND = range(6)
_PROBLEMS = (
    "",
    "",
    "coordonnées manquantes",
    "coordonnées non numériques",
    "adresse vide",
    "adresse introuvable (géocodage impossible)",
)
_DECIMAL_POINT = methodcaller("replace", ",", ".")
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
            partial.open("w", encoding="utf-8", newline="") as out,
            csv_cell_limit(limits),
            _collector_paused(),
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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the run. A chunk is tens of thousands of lists of strings held
    at once, which the collector would otherwise scan again and again (a third of the time) though they hold no
    reference cycle: reference counting frees each chunk as usual, so memory stays flat."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    out.write("\ufeff")  # the BOM, so spreadsheets open accents correctly (not encoded row by row: utf-8-sig)
    writer = SafeCsvWriter(out, delimiter=";" if french else delimiter)
    added = QPV_COLUMNS + (GEO_COLUMNS if geocode else [])
    writer.writerow(header + ([FRENCH_COLUMNS[name] for name in added] if french else added))
    index = get_index()
    summary = TagSummary(fictitious=index.fictitious)
    coder = (geocoder or get_geocoder()) if geocode else None
    tables = _Tables(index, french)
    for chunk in _read_chunks(handle, delimiter, limits, chunk_size):
        tagged = tag_chunk(chunk, columns, len(header), index=index, geocoder=coder, decimal_comma=delimiter == ";")
        if strict and (errors := np.flatnonzero(tagged.status == _ERROR)).size:
            first_error = int(errors[0])
            raise TagFileError(
                _("Ligne %(line)s : %(message)s (option --strict : arrêt à la première erreur).")
                % {"line": summary.rows + first_error + 2, "message": tagged.message[first_error]}
            )
        _count(summary, tagged)
        writer.writerows(_output_rows(tagged, tables), width=len(header))
        limits.check_rows(summary.rows)
        if progress:
            progress(summary.rows)  # the job's progress, and its time budget
    return summary


def _reader(
    lines: Iterable[str], delimiter: str, limits: UploadLimits, *, keep: int, offset: int
) -> Iterator[list[str]]:
    """csv rows with a bound on each cell (csv.Error past the limit) and at most ``keep`` cells kept per row
    (one more than the header: enough to say the row is malformed); ``offset`` lines were read before."""
    reader = csv.reader(lines, delimiter=delimiter)
    with _read_errors(reader, limits, offset):
        for row in reader:
            yield row[:keep] if keep else row


def _read_chunks(handle: IO[str], delimiter: str, limits: UploadLimits, size: int) -> Iterator[list[list[str]]]:
    """The data rows (after the header line) by chunks of ``size``, read by the csv module a chunk at a time."""
    reader = csv.reader(handle, delimiter=delimiter)
    with _read_errors(reader, limits, offset=1):
        yield from iter_chunks(reader, size)


@contextmanager
def _read_errors(reader: Any, limits: UploadLimits, offset: int) -> Iterator[None]:
    """A csv error as the file's fault, in French, with its line number."""
    try:
        yield
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileRefused(limits.cell_message(reader.line_num + offset)) from error
        raise TagFileError(
            _("Ligne %(line)s illisible : %(reason)s.") % {"line": reader.line_num + offset, "reason": error}
        ) from error


def iter_chunks(rows: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    """Lists of ``size`` rows (fewer at the end): the only rows held in memory at a time. Blank lines (often at
    the end of spreadsheet exports) are not rows."""
    while True:
        chunk: list[list[str]] = []
        while len(chunk) < size:
            block = list(islice(rows, size - len(chunk)))
            if not block:
                break
            filled = np.fromiter(map(len, map(str.strip, map("".join, block))), dtype=np.int64, count=len(block))
            chunk += block if filled.all() else list(compress(block, filled))
        if not chunk:
            return
        yield chunk


def _count(summary: TagSummary, tagged: TaggedChunk) -> None:
    summary.rows += len(tagged.status)
    codes, first = np.unique(tagged.status, return_index=True)
    counts = np.bincount(tagged.status, minlength=len(STATUSES))
    for code in codes[np.argsort(first)].tolist():  # in the order the rows show them, as a row-by-row count
        summary.statuses[STATUSES[code]] += int(counts[code])
    errors = np.flatnonzero(tagged.status == _ERROR)
    if errors.size:
        summary.errors.update(tagged.message[i] for i in errors.tolist())
    summary.near_boundary += int((tagged.near & (tagged.status != _ERROR)).sum())
    summary.geocode_to_check += int(tagged.geo_flagged.sum())


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


@dataclass
class TaggedChunk:
    """One tagged chunk, by columns: the input rows (``width`` cells each) and the added values as arrays."""

    rows: list[list[str]]
    status: np.ndarray  # int8 code, index in STATUSES
    qpv: np.ndarray  # int64 row of the index's QPV list, -1 when none
    distance: np.ndarray  # float64, NaN when none
    near: np.ndarray  # bool
    message: list[str]
    geo_flagged: np.ndarray  # bool: « géocodage à vérifier » in the message
    geo: list[GeocodeResult | None] | None = None  # per row when geocoded


def tag_chunk(
    rows: list[list[str]],
    columns: Columns,
    width: int,
    *,
    index: PerimeterIndex,
    geocoder: Geocoder | None,
    decimal_comma: bool,
) -> TaggedChunk:
    """Tag one chunk: every row comes back with its QPV (and geocoding) values, bad rows with a message. The rows
    are cut or padded to ``width`` cells in place."""
    n = len(rows)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n)
    problem = np.where(lengths > width, _MALFORMED, _FINE).astype(np.int8)
    for i in np.flatnonzero(lengths != width).tolist():
        row = rows[i]
        if len(row) > width:
            del row[width:]
        else:
            row.extend([""] * (width - len(row)))
    geo: list[GeocodeResult | None] | None = None
    shortcuts: list[QPVAnswer | None] = []
    if geocoder is not None:
        geo, shortcuts = _geocode(rows, columns, index, geocoder, problem)
        lon = np.array([g.lon if g else np.nan for g in geo])
        lat = np.array([g.lat if g else np.nan for g in geo])
        insee: list[str] | None = [g.insee_code if g else "" for g in geo]
    else:
        lon, lon_problem = _numbers(_column(rows, columns.lon, strip=False), decimal_comma)
        lat, lat_problem = _numbers(_column(rows, columns.lat, strip=False), decimal_comma)
        insee = _column(rows, columns.insee) if columns.insee is not None else None
        problem = np.where(problem != _FINE, problem, np.where(lon_problem != _FINE, lon_problem, lat_problem))
    answers = index.locate_many(lon, lat, insee)
    return _assemble(index, answers, problem, np.minimum(lengths, width + 1), width, rows, geo, shortcuts)


def tag_rows(
    rows: list[list[str]],
    columns: Columns,
    width: int,
    *,
    index: PerimeterIndex,
    geocoder: Geocoder | None,
    decimal_comma: bool,
) -> list[tuple[list[str], list[str]]]:
    """``tag_chunk`` for callers that want each row's added values as text (the intake cross-check): pairs of
    (the input cells, the added columns), exactly what ``qpv tag`` writes."""
    tagged = tag_chunk(rows, columns, width, index=index, geocoder=geocoder, decimal_comma=decimal_comma)
    out = _output_rows(tagged, _Tables(index, french=False))
    return [(row[:width], row[width:]) for row in out]


def _geocode(
    rows: list[list[str]], columns: Columns, index: PerimeterIndex, geocoder: Geocoder, problem: np.ndarray
) -> tuple[list[GeocodeResult | None], list[QPVAnswer | None]]:
    """Geocode the rows that need it (``problem`` gets « adresse vide / introuvable » for the others)."""
    addresses, postcodes, cities = (_column(rows, c) for c in (columns.address, columns.postcode, columns.city))
    queries = list(zip(addresses, postcodes, cities, strict=True))
    # A row whose commune has no QPV is certainly out: it is never sent to the geocoder.
    shortcuts = [
        index.commune_answer(a, postcode=p, city=c) if not problem[i] and (a or p or c) else None
        for i, (a, p, c) in enumerate(queries)
    ]
    todo = [i for i, shortcut in enumerate(shortcuts) if shortcut is None]
    geo: list[GeocodeResult | None] = [None] * len(rows)
    for i, found in zip(todo, geocoder.geocode_many([queries[i] for i in todo]) if todo else [], strict=True):
        if found is not None and found.level == "municipality":
            found = None  # a commune's centre says nothing of the QPV: the address is not found (as for one address)
        geo[i] = found
        if found is None and not problem[i]:
            problem[i] = _NOT_FOUND if queries[i][0] else _EMPTY_ADDRESS
    return geo, shortcuts


def _assemble(
    index: PerimeterIndex,
    answers: Answers,
    problem: np.ndarray,
    cell_counts: np.ndarray,
    width: int,
    rows: list[list[str]],
    geo: list[GeocodeResult | None] | None,
    shortcuts: list[QPVAnswer | None],
) -> TaggedChunk:
    """The final values: the point's answer, or the problem (status error), or the commune's answer."""
    n = len(rows)
    status = np.full(n, _OUT, dtype=np.int8)
    for code, name in enumerate(STATUSES):
        if name != OUT:
            status[answers.status == name] = code
    qpv, distance, near = answers.qpv.copy(), answers.distance_m.copy(), answers.near_boundary.copy()
    message: list[str] = answers.message.tolist()
    plain = problem == _FINE
    if shortcuts:
        cut = np.fromiter((s is not None for s in shortcuts), dtype=bool, count=n)
        plain &= ~cut
        for i in np.flatnonzero(cut).tolist():
            answer = shortcuts[i]
            assert answer is not None
            status[i] = STATUSES.index(answer.status)
            message[i] = f"{answer.message} ({answer.commune})"
    else:
        cut = np.zeros(n, dtype=bool)
    bad = ~plain & ~cut
    for i in np.flatnonzero(bad).tolist():
        message[i] = _problem_text(int(problem[i]), int(cell_counts[i]), width)
    status[bad] = _ERROR
    qpv[~plain], distance[~plain], near[~plain] = -1, np.nan, False
    flagged = np.zeros(n, dtype=bool)
    if geo is not None:
        flagged = plain & np.fromiter((g is not None and g.needs_check for g in geo), dtype=bool, count=n)
        for i in np.flatnonzero(flagged).tolist():
            text = f"géocodage à vérifier (score {geo[i].score:.2f})"  # type: ignore[union-attr]
            message[i] = f"{message[i]} ; {text}" if message[i] else text
    if index.fictitious:  # the demo's perimeters: every answer made with them says so
        label = str(DEMO_PERIMETER_LABEL)
        for i in np.flatnonzero(plain & (status != _ERROR)).tolist():
            message[i] = f"{message[i]} ; {label}" if message[i] else label
    return TaggedChunk(rows, status, qpv, distance, near, message, flagged, geo)


def _problem_text(code: int, cells: int, width: int) -> str:
    if code == _MALFORMED:
        return f"ligne mal formée ({cells} colonnes au lieu de {width})"
    return _PROBLEMS[code]


class _Tables:
    """The text of the coded values, computed once per file (English, or the French form)."""

    def __init__(self, index: PerimeterIndex, french: bool):
        self.french = french
        self.status = _safe_table([FRENCH_STATUSES[s] if french else s for s in STATUSES])
        self.code = _safe_table([*index.codes, ""])  # -1 → the last one: ""
        self.name = _safe_table([*index.names, ""])
        self.generation = _safe_table([*(str(g or "") for g in index.generations), ""])
        self.yes_no = _safe_table(["non", "oui"])
        self.level = FRENCH_LEVELS if french else {}

    def decimal(self, values: np.ndarray, spec: str) -> list[str]:
        """Numbers as text with ``spec`` (NaN → ""), with a decimal comma in the French form."""
        text = np.full(len(values), "", dtype=object)
        known = ~np.isnan(values)
        if known.any():  # each distinct value formatted once (distances are rounded to the decimetre)
            distinct, inverse = np.unique(values[known], return_inverse=True)
            formatted = [format(value, spec) for value in distinct.tolist()]
            words = [t.replace(".", ",") for t in formatted] if self.french else formatted
            text[known] = np.array(words, dtype=object)[inverse]
        return text.tolist()


def _output_rows(tagged: TaggedChunk, tables: _Tables) -> list[list[str]]:
    """The input rows extended, in place, with the added columns (the text of the codes, mapped here)."""
    columns = [
        tables.status[tagged.status].tolist(),
        tables.code[tagged.qpv].tolist(),
        tables.name[tagged.qpv].tolist(),
        tables.generation[tagged.qpv].tolist(),
        tables.decimal(tagged.distance, ".1f"),
        tables.yes_no[tagged.near.astype(np.int8)].tolist(),
        _safe_values(tagged.message),
    ]
    if tagged.geo is not None:
        columns += _geo_columns(tagged.geo, tables)
    deque(map(list.extend, tagged.rows, zip(*columns, strict=True)), maxlen=0)
    return tagged.rows


def _geo_columns(geo: list[GeocodeResult | None], tables: _Tables) -> list[list[str]]:
    def number(attribute: str) -> np.ndarray:
        return np.array([getattr(g, attribute) if g else np.nan for g in geo], dtype=np.float64)

    columns = [
        tables.decimal(number("score"), ".2f"),
        [g.label if g else "" for g in geo],
        tables.decimal(number("lon"), ".6f"),
        tables.decimal(number("lat"), ".6f"),
        [tables.level.get(g.level, g.level) if g else "" for g in geo],
        [("oui" if g.needs_check else "non") if g else "" for g in geo],
    ]
    return [_safe_values(column) for column in columns]


def _safe_table(values: list[str]) -> np.ndarray:
    """The text of some codes, neutralised once (``safe_cell``), as an array to index with the codes."""
    return np.array(safe_row(values), dtype=object)


def _safe_values(values: list[str]) -> list[str]:
    """``safe_cell`` on a column, once per distinct value (a column of messages holds a handful)."""
    safe = {value: safe_cell(value) for value in set(values)}
    return list(map(safe.__getitem__, values))


def _column(rows: list[list[str]], column: int | None, *, strip: bool = True) -> list[str]:
    """One column of the chunk, stripped (the rows all have the header's width)."""
    if column is None:
        return [""] * len(rows)
    cells = map(itemgetter(column), rows)
    return list(map(str.strip, cells) if strip else cells)


def _float_or_nan(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return np.nan


def _numbers(values: list[str], decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates as floats (NaN when bad) and the problem code of each (missing, not a finite number). The
    cells are not stripped first: ``float`` ignores the same surrounding whitespace as ``str.strip``."""
    text = list(map(_DECIMAL_POINT, values)) if decimal_comma else values
    try:
        result = np.fromiter(map(float, text), dtype=np.float64, count=len(values))
    except ValueError:
        result = np.fromiter(map(_float_or_nan, text), dtype=np.float64, count=len(values))
    problems = np.zeros(len(values), dtype=np.int8)
    bad = ~np.isfinite(result)
    if bad.any():
        result[bad] = np.nan
        problems[bad] = _NOT_NUMBERS
        problems[np.fromiter(map(len, map(str.strip, values)), dtype=np.int64, count=len(values)) == 0] = _MISSING
    return result, problems
