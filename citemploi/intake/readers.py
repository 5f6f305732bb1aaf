"""Reading an intake file into tables of text: CSV, XLSX, ODS, or a ZIP of CSV files (docs/intake.md, « Formats
acceptés »).

The kind of file is found from its content (magic bytes, members of the zip), not from its name: a CSV renamed
``.xlsx`` is read as a CSV, a password-protected XLSX (an encrypted OLE container, not a zip) is named as such.
Everything that makes the whole file unusable raises ``FileRefused`` with a French message before any row is
handed out — size, kind, zip bomb (judged on the central directory, before decompressing), encoding, header —
and the few problems that only show while streaming (a damaged member, a late undecodable byte, too many rows)
raise it during the iteration: the caller writes nothing before the last row is read.

A ``Table``'s rows are streamed (an iterator: memory stays flat in the number of rows). Each row is a list of
text cells, padded with ``''`` to the header's width; trailing empty cells past the header are dropped, non-empty
ones are kept (such a row is longer than ``headers``: the caller reports it). Blank rows are yielded too (all
cells ``''``), so that the row number the user sees is the position in the iteration: header = 1, first row = 2.
A cell is never refused here for its length or characters: the cell parsers (``cells.py``) reject it for its row.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from citemploi.core.uploads import UploadLimits
from citemploi.intake import readers_csv, readers_ods, readers_xlsx
from citemploi.intake.errors import FileRefused
from citemploi.intake.headers import normalise_header
from citemploi.intake.readers_limits import check_archive, counted, human_size

__all__ = ["FileRefused", "Table", "detect_kind", "intake_limits", "read_table", "read_workbook"]

CSV, XLSX, ODS, ZIP = "csv", "xlsx", "ods", "zip"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
#: Other files people send by mistake, recognised by their first bytes, to name them in the message.
_OTHER_KINDS = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "GZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"{\\rtf", "RTF"),
)
_LETTER = re.compile(r"[^\W\d_]")
#: The shared strings of an XLSX may take this fraction of UPLOAD_MAX_UNCOMPRESSED_MB (held in memory by openpyxl).
SHARED_STRINGS_SHARE = 4
#: Rows looked at after a one-column header to tell a title from a one-column table.
TITLE_LOOKAHEAD = 20


@dataclass
class Table:
    headers: list[str]  # as in the file, stripped
    rows: Iterator[list[str]]  # streamed; every cell is text ('' for empty); formulas read as their text
    encoding: str | None  # CSV only
    delimiter: str | None  # CSV only
    kind: str = field(default="", kw_only=True)  # csv, xlsx or ods
    sheet: str = field(default="", kw_only=True)  # sheet (or ZIP member) name, '' for a single table


def intake_limits() -> UploadLimits:
    """The shared upload limits (columns, rows, zip bomb), with the intake's own file size."""
    return dataclasses.replace(UploadLimits.current(), max_bytes=int(settings.INTAKE_MAX_UPLOAD_BYTES))


def read_table(path: Path, *, filename: str) -> Table:
    """The first (or only) table of a CSV, XLSX or ODS file; raises FileRefused."""
    limits = intake_limits()
    kind = detect_kind(path, filename=filename, limits=limits)
    if kind == CSV:
        return _csv_table(lambda: path.open("rb"), limits)
    if kind == XLSX:
        return _sheet_table(XLSX, path, None, limits)
    if kind == ODS:
        return _sheet_table(ODS, path, None, limits)
    raise FileRefused(
        _("Ce fichier est une archive ZIP : envoyez le tableur lui-même (CSV, XLSX ou ODS), pas une archive.")
    )


def read_workbook(path: Path, *, filename: str) -> dict[str, Table]:
    """Every sheet of an XLSX or ODS workbook, or every ``<feuille>.csv`` of a ZIP, by name (a lone CSV file gives
    one table named after the file); raises FileRefused."""
    limits = intake_limits()
    kind = detect_kind(path, filename=filename, limits=limits)
    if kind == CSV:
        table = _csv_table(lambda: path.open("rb"), limits)
        return {PurePosixPath(filename).stem: table}
    if kind == ZIP:
        return _zip_tables(path, limits)
    names = readers_xlsx.sheet_names(path) if kind == XLSX else readers_ods.sheet_names(path)
    return {name: _sheet_table(kind, path, name, limits, workbook=True) for name in names}


# --- Kind of file ------------------------------------------------------------------------------------------------


def detect_kind(path: Path, *, filename: str, limits: UploadLimits | None = None) -> str:
    """CSV, XLSX, ODS or ZIP (of CSV files), from the content; refuses an empty, oversized or foreign file."""
    limits = limits or intake_limits()
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise FileRefused(_("Fichier illisible : %(name)s.") % {"name": filename}) from error
    if size == 0:
        raise FileRefused(_("Le fichier est vide : il faut au moins une ligne d'en-tête."))
    if size > limits.max_bytes:
        raise FileRefused(
            _("Fichier trop volumineux (%(size)s) : au plus %(max)s.")
            % {"size": human_size(size), "max": human_size(limits.max_bytes)}
        )
    if head.startswith(_OLE):
        raise FileRefused(_ole_message(path))
    if head.startswith(_ZIP):
        return _zip_kind(path, limits)
    if head.startswith((b"PK",)) or _foreign(head):
        raise FileRefused(_foreign_message(_foreign(head)))
    markup = _markup(path)
    if markup == "html":
        raise FileRefused(
            _(
                "Ce fichier est une page web (HTML), souvent un export nommé « .xls » : ouvrez-le dans votre "
                "tableur et enregistrez-le au format XLSX ou CSV."
            )
        )
    if markup == "xml":
        raise FileRefused(
            _(
                "Ce fichier est un document XML (peut-être une « feuille de calcul XML 2003 ») : ouvrez-le dans "
                "votre tableur et enregistrez-le au format XLSX ou CSV."
            )
        )
    return CSV


def _foreign(head: bytes) -> str:
    return next((name for magic, name in _OTHER_KINDS if head.startswith(magic)), "")


def _foreign_message(name: str) -> str:
    if name:
        return _("Ce fichier n'est pas un tableur (CSV, XLSX ou ODS) : c'est un fichier %(kind)s.") % {"kind": name}
    return _("Ce fichier n'est pas un tableur (CSV, XLSX ou ODS).")


def _markup(path: Path) -> str:
    """« html » or « xml » for a file that starts like one (after a BOM and blanks), '' otherwise."""
    with path.open("rb") as handle:
        start = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        start.startswith(b"<?xml") and b"<html" in start
    ):
        return "html"
    return "xml" if start.startswith(b"<?xml") else ""


def _ole_message(path: Path) -> str:
    """An OLE (compound) file: an encrypted OOXML workbook (password) or an old .xls/.doc."""
    with path.open("rb") as handle:
        start = handle.read(1024 * 1024)
    if "EncryptionInfo".encode("utf-16-le") in start or "EncryptedPackage".encode("utf-16-le") in start:
        return _(
            "Ce classeur est protégé par un mot de passe : ouvrez-le, retirez le mot de passe "
            "(Fichier > Informations > Protéger le classeur) et envoyez-le à nouveau."
        )
    if "Workbook".encode("utf-16-le") in start or "Book".encode("utf-16-le") in start:
        return _(
            "Ancien format Excel 97-2003 (.xls) : ouvrez-le dans votre tableur et enregistrez-le au format XLSX ou CSV."
        )
    return _foreign_message("")


def _zip_kind(path: Path, limits: UploadLimits) -> str:
    check_archive(path, limits)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" in names or any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
            _check_shared_strings(archive, limits)
            return XLSX
        if "xl/workbook.bin" in names:
            raise FileRefused(
                _(
                    "Classeur Excel binaire (.xlsb) : ouvrez-le dans votre tableur et enregistrez-le au format XLSX ou CSV."
                )
            )
        if "mimetype" in names and "content.xml" in names:
            with archive.open("mimetype") as member:
                mimetype = member.read(200).strip()
            if mimetype == ODS_MIMETYPE:
                if "META-INF/manifest.xml" in names and _encrypted_ods(archive):
                    raise FileRefused(
                        _(
                            "Ce classeur est protégé par un mot de passe : enregistrez-le sans mot de passe et renvoyez-le."
                        )
                    )
                return ODS
            raise FileRefused(_foreign_message("OpenDocument (texte ou présentation)"))
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise FileRefused(_foreign_message("Word ou PowerPoint"))
    return ZIP


def _check_shared_strings(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    """openpyxl holds a workbook's shared strings in memory: their part is capped at a quarter of the uncompressed
    limit (50 MB by default, a million distinct texts; a 50,000-row export holds a few MB)."""
    cap = limits.uncompressed_bytes // SHARED_STRINGS_SHARE
    size = sum(info.file_size for info in archive.infolist() if info.filename.lower().endswith("sharedstrings.xml"))
    if size > cap:
        raise FileRefused(
            _(
                "Classeur refusé : ses textes font %(size)s une fois décompressés (au plus %(max)s). Enregistrez-le en CSV."
            )
            % {"size": human_size(size), "max": human_size(cap)}
        )


def _encrypted_ods(archive: zipfile.ZipFile) -> bool:
    with archive.open("META-INF/manifest.xml") as member:
        return b"encryption-data" in counted(member, 1024 * 1024).read()


# --- Tables ------------------------------------------------------------------------------------------------------


def _csv_table(opener: readers_csv.Opener, limits: UploadLimits, *, name: str = "") -> Table:
    encoding = readers_csv.detect_encoding(opener)
    declared = readers_csv.declared_delimiter(opener, encoding)
    delimiter = declared or readers_csv.detect_delimiter(opener, encoding)
    max_line = (limits.columns + 1) * (limits.cell_chars + 3)  # every column full, quoted, and its separator
    rows = readers_csv.csv_rows(opener, encoding, delimiter, max_line=max_line, skip_first=declared is not None)
    headers, rows = _headers(rows, limits, where=_where(name), letters=True)
    body = _shaped(rows, len(headers), limits, where=_where(name))
    return Table(headers, body, encoding, delimiter, kind=CSV, sheet=name)


def _sheet_table(kind: str, path: Path, sheet: str | None, limits: UploadLimits, *, workbook: bool = False) -> Table:
    rows = readers_xlsx.xlsx_rows(path, sheet) if kind == XLSX else readers_ods.ods_rows(path, sheet)
    where = _where(sheet or "") if workbook else ""
    try:
        headers, rows = _headers(rows, limits, where=where, letters=True)
    except _EmptySheet:
        if workbook:  # an empty sheet of a workbook is the caller's to judge (a sheet not filled in yet)
            return Table([], iter(()), None, None, kind=kind, sheet=sheet or "")
        raise
    return Table(headers, _shaped(rows, len(headers), limits, where=where), None, None, kind=kind, sheet=sheet or "")


def _zip_tables(path: Path, limits: UploadLimits) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _ignored(m.filename)]
    if not members:
        raise FileRefused(_("L'archive ne contient aucun fichier CSV."))
    for member in members:
        member_path = PurePosixPath(member.filename)
        if member_path.suffix.lower() != ".csv":
            raise FileRefused(
                _("L'archive contient « %(name)s » : seuls des fichiers <feuille>.csv sont attendus.")
                % {"name": member.filename}
            )
        if member_path.stem in tables:
            raise FileRefused(_("L'archive contient deux fichiers « %(name)s.csv ».") % {"name": member_path.stem})
        tables[member_path.stem] = _csv_table(_member_opener(path, member, limits), limits, name=member_path.stem)
    return tables


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _member_opener(path: Path, member: zipfile.ZipInfo, limits: UploadLimits) -> readers_csv.Opener:
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        try:
            with zipfile.ZipFile(path) as archive, archive.open(member) as raw:
                yield counted(raw, min(member.file_size, limits.uncompressed_bytes))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # a bad CRC: more (or other) data than announced
            raise FileRefused(
                _("Archive illisible ou piégée : « %(name)s » ne correspond pas à ce que l'archive annonce.")
                % {"name": member.filename}
            ) from error

    result: readers_csv.Opener = opener
    return result


# --- Header and rows ---------------------------------------------------------------------------------------------


class _EmptySheet(FileRefused):
    pass


def _where(sheet: str) -> str:
    return _("Feuille « %(sheet)s » : ") % {"sheet": sheet} if sheet else ""


def _headers(
    rows: Iterator[list[str]], limits: UploadLimits, *, where: str, letters: bool
) -> tuple[list[str], Iterator[list[str]]]:
    """The first row, checked: present, not data, named, no duplicate, not too wide, not a title; and the rows
    after it (the same iterator, or the rows looked at to tell a title, chained before it)."""
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first):
        if first is None:
            raise _EmptySheet(where + _("le fichier est vide : il faut au moins une ligne d'en-tête."))
        raise FileRefused(where + _("la première ligne est vide : elle doit donner le nom de chaque colonne."))
    headers = [cell.strip() for cell in first]
    while headers and not headers[-1]:
        headers.pop()
    limits.check_columns(len(headers))
    for position, header in enumerate(headers):
        label = column_label(position, letters=letters)
        if not header:
            raise FileRefused(
                where
                + _("la colonne %(column)s n'a pas de nom en ligne 1 : nommez-la ou supprimez-la.") % {"column": label}
            )
        if not _LETTER.search(header) or "@" in header:
            raise FileRefused(
                where
                + _(
                    "la ligne 1 doit donner le nom des colonnes, or « %(value)s » (colonne %(column)s) ressemble à "
                    "une donnée : ajoutez une ligne d'en-tête."
                )
                % {"value": header[:50], "column": label}
            )
    _check_duplicates(headers, where, letters)
    if len(headers) == 1:
        rows = _not_a_title(headers[0], rows, where)
    return headers, rows


def _not_a_title(header: str, rows: Iterator[list[str]], where: str) -> Iterator[list[str]]:
    """A one-column header over rows of several values is a title (« Liste des inscrits au 01/02/2024 »)."""
    seen = list(itertools.islice(rows, TITLE_LOOKAHEAD))
    if any(sum(1 for cell in row if cell.strip()) >= 2 for row in seen):
        raise FileRefused(
            where
            + _(
                "la ligne 1 (« %(value)s ») n'a qu'une colonne alors que les lignes suivantes en ont plusieurs : "
                "c'est sans doute un titre. Supprimez les lignes au-dessus des noms de colonnes."
            )
            % {"value": header[:60]}
        )
    return itertools.chain(seen, rows)


def _check_duplicates(headers: list[str], where: str, letters: bool) -> None:
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = normalise_header(header)
        if key in seen:
            raise FileRefused(
                where
                + _(
                    "deux colonnes portent le même nom : « %(first)s » (colonne %(a)s) et « %(second)s » (colonne %(b)s)."
                )
                % {
                    "first": headers[seen[key]],
                    "a": column_label(seen[key], letters=letters),
                    "second": header,
                    "b": column_label(position, letters=letters),
                }
            )
        seen[key] = position


def column_label(position: int, *, letters: bool = True) -> str:
    """« C » for the third column of a sheet (A, B, … Z, AA…); « 3 » for a CSV."""
    if not letters:
        return str(position + 1)
    label, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        label = chr(65 + rest) + label
    return label


def _shaped(rows: Iterator[list[str]], width: int, limits: UploadLimits, *, where: str) -> Iterator[list[str]]:
    for count, row in enumerate(rows, start=1):
        if count > limits.rows:
            raise FileRefused(
                where + _("trop de lignes : au plus %(max)s. Découpez le fichier.") % {"max": limits.rows}
            )
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        elif len(row) > width:
            end = len(row)
            while end > width and not row[end - 1].strip():
                end -= 1
            del row[end:]
        yield row
