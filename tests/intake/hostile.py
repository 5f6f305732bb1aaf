"""Generators of hostile (and of ordinary) intake files, for the reader tests and the end-to-end "nothing written"
tests. Each ``write_*`` writes into ``directory`` and returns the path; ``HOSTILE`` lists every hostile case with
a fragment of the French message it must give (compared case-insensitively).

Everything here is fictitious data.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import xlsxwriter

PEOPLE_HEADER = ["nom", "prenom", "date_naissance", "code_postal"]
PEOPLE_ROWS = [["Fictif", "Alice", "01/02/1990", "42000"], ["Exemple", "Bruno", "1985-12-31", "04100"]]


# --- Ordinary files -----------------------------------------------------------------------------------------------


def write_csv(
    directory: Path,
    rows: Sequence[Sequence[str]],
    *,
    name: str = "personnes.csv",
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    text = "\r\n".join(delimiter.join(_quoted(cell, delimiter) for cell in row) for row in rows) + "\r\n"
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def _quoted(cell: str, delimiter: str) -> str:
    if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_xlsx(directory: Path, sheets: dict[str, Iterable[Sequence[object]]], *, name: str = "classeur.xlsx") -> Path:
    """A workbook written by XlsxWriter (cells as given: str, int, float, date, or "=FORMULA" strings)."""
    path = directory / name
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for sheet_name, rows in sheets.items():
        sheet = workbook.add_worksheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(sheet, r, c, value, date_format)
    workbook.close()
    return path


def _write_cell(sheet: object, r: int, c: int, value: object, date_format: object) -> None:
    import datetime as dt

    if isinstance(value, str) and value.startswith("="):
        sheet.write_formula(r, c, value, None, 42)  # type: ignore[attr-defined]
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, date_format)  # type: ignore[attr-defined]
    elif value is None:
        return
    elif isinstance(value, str):
        sheet.write_string(r, c, value)  # type: ignore[attr-defined]
    else:
        sheet.write_number(r, c, value)  # type: ignore[attr-defined]


def ods_bytes(sheets: dict[str, Sequence[str]]) -> bytes:
    """A minimal ODS: ``sheets`` maps a sheet name to raw ``<table:table-row>`` XML fragments."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
    )
    tables = "".join(f'<table:table table:name="{name}">{"".join(rows)}</table:table>' for name, rows in sheets.items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    return _zip_bytes(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
            ("content.xml", content.encode(), zipfile.ZIP_DEFLATED),
            ("META-INF/manifest.xml", b"<manifest:manifest/>", zipfile.ZIP_DEFLATED),
        ]
    )


def ods_row(*cells: str, repeat: int = 1) -> str:
    """A row of string cells (a cell may also be given as raw ``<table:table-cell …>`` XML)."""
    xml = "".join(
        c
        if c.startswith("<")
        else f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
        for c in cells
    )
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{xml}</table:table-row>"


def write_ods(directory: Path, sheets: dict[str, Sequence[str]], *, name: str = "classeur.ods") -> Path:
    path = directory / name
    path.write_bytes(ods_bytes(sheets))
    return path


def write_csv_zip(directory: Path, members: dict[str, str], *, name: str = "reprise.zip") -> Path:
    path = directory / name
    path.write_bytes(_zip_bytes([(member, text.encode(), zipfile.ZIP_DEFLATED) for member, text in members.items()]))
    return path


def _zip_bytes(members: Sequence[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in members:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


# --- Hostile files -----------------------------------------------------------------------------------------------


def write_empty(directory: Path) -> Path:
    path = directory / "vide.csv"
    path.write_bytes(b"")
    return path


def write_bom_only(directory: Path) -> Path:
    path = directory / "vide.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    return path


def write_oversized(directory: Path, size: int) -> Path:
    """A valid CSV just over ``size`` bytes (set INTAKE_MAX_UPLOAD_BYTES to ``size``)."""
    path = directory / "gros.csv"
    line = b"Fictif;Alice;01/02/1990;42000\r\n"
    path.write_bytes(b"nom;prenom;date_naissance;code_postal\r\n" + line * (size // len(line) + 1))
    return path


def write_pdf(directory: Path) -> Path:
    path = directory / "liste.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 4)
    return path


def write_binary(directory: Path) -> Path:
    path = directory / "liste.csv"
    path.write_bytes(bytes((i * 37) % 256 for i in range(4096)))
    return path


def write_html_as_xls(directory: Path) -> Path:
    path = directory / "export.xls"
    path.write_bytes(b"<html><body><table><tr><td>nom</td></tr></table></body></html>")
    return path


def write_truncated_xlsx(directory: Path) -> Path:
    full = write_xlsx(directory, {"personnes": [PEOPLE_HEADER, *PEOPLE_ROWS]}, name="entier.xlsx").read_bytes()
    path = directory / "tronque.xlsx"
    path.write_bytes(full[: len(full) * 2 // 3])
    return path


def write_encrypted_xlsx(directory: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE compound file holding EncryptionInfo and
    EncryptedPackage streams (a minimal fake of its header and directory: enough to be recognised)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + b"\x00" * 486
    entries = b"".join(_ole_entry(name) for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    path = directory / "protege.xlsx"
    path.write_bytes(header + entries + b"\x00" * 2048)
    return path


def _ole_entry(name: str) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded)) + b"\x00" * 62


def write_old_xls(directory: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path = directory / "ancien.xls"
    path.write_bytes(header + _ole_entry("Root Entry") + _ole_entry("Workbook") + b"\x00" * 1024)
    return path


def write_zip_bomb(directory: Path, *, megabytes: int = 210, name: str = "bombe.xlsx") -> Path:
    """An XLSX-looking zip whose sheet inflates to ``megabytes`` MB of zeros (a few hundred kB on disk)."""
    path = directory / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _n in range(megabytes):
                member.write(block)
    return path


def write_ratio_bomb(directory: Path) -> Path:
    """Small once decompressed (5 MB, under the size limit) but compressed more than 1,000 times."""
    return write_zip_bomb(directory, megabytes=5, name="ratio.xlsx")


def write_lying_zip(directory: Path) -> Path:
    """A ZIP of CSV whose central directory announces 40 bytes for a member that inflates to 2 MB."""
    data = b"ref;nom\r\n" + b"R1;Fictif\r\n" * 200_000
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("personnes.csv", (2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data)
    raw = bytearray(buffer.getvalue())
    _patch_sizes(raw, len(compressed), 40)
    path = directory / "menteur.zip"
    path.write_bytes(bytes(raw))
    return path


def _patch_sizes(raw: bytearray, compressed: int, announced: int) -> None:
    """Rewrite the uncompressed size in the local header and the central directory (the data stays)."""
    local = raw.find(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, announced)
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, announced)


def write_undecodable_csv(directory: Path) -> Path:
    """Neither UTF-8 nor Windows-1252 (0x81 and 0x8D are undefined in Windows-1252)."""
    path = directory / "illisible.csv"
    path.write_bytes(b"nom;prenom\r\nFic\x81tif;Al\x8dice\r\n")
    return path


def write_no_header(directory: Path) -> Path:
    return write_csv(
        directory, [["Fictif", "Alice", "01/02/1990", "42000"], ["Exemple", "Bruno", "02/03/1985", "42100"]]
    )


def write_blank_first_line(directory: Path) -> Path:
    return write_csv(directory, [["", "", ""], PEOPLE_HEADER, *PEOPLE_ROWS])


def write_title_line(directory: Path) -> Path:
    """A title above the header, as some exports have (« Liste des inscrits au … »)."""
    return write_csv(directory, [["Liste fictive des inscrits au 01/02/2024"], [], PEOPLE_HEADER, *PEOPLE_ROWS])


def write_duplicate_headers(directory: Path) -> Path:
    return write_csv(directory, [["nom", "prenom", "Nom"], ["Fictif", "Alice", "Fictif"]])


def write_empty_header_name(directory: Path) -> Path:
    return write_csv(directory, [["nom", "", "prenom"], ["Fictif", "x", "Alice"]])


def write_too_many_columns(directory: Path, count: int = 250) -> Path:
    return write_csv(directory, [[f"colonne {i}" for i in range(count)], ["x"] * count])


def write_docx(directory: Path) -> Path:
    path = directory / "courrier.xlsx"
    path.write_bytes(_zip_bytes([("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED)]))
    return path


def write_ods_with_dtd(directory: Path) -> Path:
    """An ODS whose content.xml declares entities (the « billion laughs » family)."""
    content = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&b;'
        b"</office:document-content>"
    )
    path = directory / "entites.ods"
    path.write_bytes(
        _zip_bytes(
            [
                ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
                ("content.xml", content, zipfile.ZIP_DEFLATED),
            ]
        )
    )
    return path


#: (case, generator, fragment of the expected message). INTAKE_MAX_UPLOAD_BYTES must be at least OVERSIZED_LIMIT
#: for the other cases and is set to it for « trop volumineux ».
OVERSIZED_LIMIT = 64 * 1024
HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    ("vide", write_empty, "le fichier est vide"),
    ("BOM seul", write_bom_only, "le fichier est vide"),
    ("trop volumineux", lambda d: write_oversized(d, OVERSIZED_LIMIT), "trop volumineux"),
    ("PDF", write_pdf, "c'est un fichier PDF"),
    ("binaire", write_binary, "données binaires"),
    ("page web en .xls", write_html_as_xls, "page web (HTML)"),
    ("Word renommé", write_docx, "Word ou PowerPoint"),
    ("XLSX tronqué", write_truncated_xlsx, "illisible"),
    ("XLSX protégé", write_encrypted_xlsx, "protégé par un mot de passe"),
    ("ancien XLS", write_old_xls, "Excel 97-2003"),
    ("bombe (taille)", write_zip_bomb, "une fois décompressé"),
    ("bombe (taux)", write_ratio_bomb, "taux de compression anormal"),
    ("CSV illisible", write_undecodable_csv, "encodage du fichier non reconnu"),
    ("sans en-tête", write_no_header, "ressemble à une donnée"),
    ("première ligne vide", write_blank_first_line, "la première ligne est vide"),
    ("ligne de titre", write_title_line, "c'est sans doute un titre"),
    ("en-têtes en double", write_duplicate_headers, "deux colonnes portent le même nom"),
    ("en-tête sans nom", write_empty_header_name, "n'a pas de nom"),
    ("trop de colonnes", write_too_many_columns, "trop de colonnes"),
    ("ODS à entités", write_ods_with_dtd, "déclaration de type de document"),
    # (+ « XLSX à entités », appended below its generator)
]


def write_xlsx_with_entities(directory: Path) -> Path:
    """An XLSX whose sheet declares entities (the « billion laughs »): refused, never expanded."""
    good = write_xlsx(directory, {"f": [["nom"], ["Fictif"]]}, name="base.xlsx")
    path = directory / "entites.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"?>",
                    b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
                    1,
                )
            target.writestr(info, data)
    return path


HOSTILE.append(("XLSX à entités", write_xlsx_with_entities, "déclaration de type de document"))
