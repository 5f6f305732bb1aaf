"""Evaluation exports: XLSX, ODS and CSV opened back; « s » for masked values; formula injection neutralised."""

import csv
import io
import math
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from citemploi.core.secrecy import mask_table
from citemploi.evaluation.exports import (
    DEFINITION_HEADERS,
    Definition,
    ExportMeta,
    ExportTable,
    export_tables,
    sheet_names,
)

META = ExportMeta(
    title="Tableau de bord — territoire",
    period_from=date(2026, 1, 1),
    period_to=date(2026, 3, 31),
    filters={"QPV": '=HYPERLINK("http://x")', "Relais": "Tous"},
    generated_at=datetime(2026, 4, 2, 8, 30, tzinfo=UTC),
)
DEFINITIONS = [
    Definition("entered", "Entrées", "Personnes dont la date d'entrée (premier contact) est dans la période."),
    ("contacted_within_30_days", "Contactées sous 30 jours", "-1 personne repérée : formule piégée"),
]


def funnel_table():
    masked = mask_table([[120, 3], [40, 25]])
    rows = [
        ["Montreynaud", masked.cells[0][0], masked.cells[0][1], 0.4523],
        ["@Crêt de Roc", masked.cells[1][0], masked.cells[1][1], math.nan],
    ]
    return ExportTable("Entrées par QPV", ["QPV", "Femmes", "Hommes", "Taux"], rows, ["text", "count", "count", "rate"])


def second_table():
    return ExportTable("Sorties: par mois/relais?", ["Mois", "Sorties"], [["janv. 2026", 14], ["févr. 2026", None]])


def test_xlsx_has_informations_tables_and_definitions():
    content, content_type, extension = export_tables(
        "xlsx", [funnel_table(), second_table()], definitions=DEFINITIONS, meta=META
    )
    assert extension == "xlsx" and content_type.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["informations", "Entrées par QPV", "Sorties  par mois relais", "définitions"]
    info = {row[0]: row[1] for row in book["informations"].iter_rows(values_only=True)}
    assert info["Période"] == "du 01/01/2026 au 31/03/2026"
    assert info["Généré le"].startswith("02/04/2026 à ")
    assert info["Filtre : QPV"] == '\'=HYPERLINK("http://x")'  # neutralised
    assert info["Filtre : Relais"] == "Tous"
    assert info["Secret statistique"].startswith("Secret statistique : les effectifs de 1 à 5 personnes")
    rows = list(book["Entrées par QPV"].iter_rows(values_only=True))
    assert rows[0][0] == "Entrées par QPV" and rows[1][0].startswith("Période du 01/01/2026 au 31/03/2026")
    assert rows[3] == ("QPV", "Femmes", "Hommes", "Taux")
    assert rows[4] == ("Montreynaud", "s", "s", 0.4523)
    assert rows[5] == ("'@Crêt de Roc", "s", "s", None)
    assert book["Entrées par QPV"].cell(5, 4).number_format == "0.0%"
    assert list(book["Sorties  par mois relais"].iter_rows(min_row=5, values_only=True)) == [
        ("janv. 2026", 14),
        ("févr. 2026", "s"),
    ]
    definitions = list(book["définitions"].iter_rows(values_only=True))
    assert definitions[0] == DEFINITION_HEADERS
    assert definitions[1][0] == "entered"
    assert definitions[2][2] == "'-1 personne repérée : formule piégée"


def ods_sheets(content):
    """Read an ODS file with the standard library only (mimetype first and stored, as ODF requires)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    root = ET.fromstring(archive.read("content.xml"))
    sheets = {}
    for table in root.iter(f"{{{ns['table']}}}table"):
        rows = []
        for row in table.iter(f"{{{ns['table']}}}table-row"):
            cells = []
            for cell in row.iter(f"{{{ns['table']}}}table-cell"):
                kind = cell.get(f"{{{ns['office']}}}value-type")
                if kind in ("float", "percentage"):
                    cells.append((kind, float(cell.get(f"{{{ns['office']}}}value"))))
                else:
                    cells.append("".join(cell.itertext()))
            rows.append(cells)
        sheets[table.get(f"{{{ns['table']}}}name")] = rows
    return sheets


def test_ods_opens_back_with_the_same_content():
    content, content_type, extension = export_tables("ods", [funnel_table()], definitions=DEFINITIONS, meta=META)
    assert extension == "ods" and content_type == "application/vnd.oasis.opendocument.spreadsheet"
    sheets = ods_sheets(content)
    assert list(sheets) == ["informations", "Entrées par QPV", "définitions"]
    info = dict((row[0], row[1]) for row in sheets["informations"])
    assert info["Période"] == "du 01/01/2026 au 31/03/2026"
    assert info["Filtre : QPV"].startswith("'=")
    table = sheets["Entrées par QPV"]
    assert table[3] == ["QPV", "Femmes", "Hommes", "Taux"]
    assert table[4] == ["Montreynaud", "s", "s", ("percentage", 0.4523)]
    assert table[5] == ["'@Crêt de Roc", "s", "s", ""]
    assert sheets["définitions"][2][2] == "'-1 personne repérée : formule piégée"


def test_ods_rates_have_a_percentage_style():
    content, _, _ = export_tables("ods", [funnel_table()], definitions=DEFINITIONS, meta=META)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert 'office:value-type="percentage"' in xml and 'table:style-name="cellule-pourcentage"' in xml
    assert '<number:percentage-style style:name="pourcentage"' in xml
    assert "<text:p>45,2 %</text:p>" in xml


def test_ods_is_readable_by_odfpy_too():
    from odf.opendocument import load
    from odf.table import Table

    content, _, _ = export_tables("ods", [second_table()], definitions=DEFINITIONS, meta=META)
    names = [t.getAttribute("name") for t in load(io.BytesIO(content)).spreadsheet.getElementsByType(Table)]
    assert names == ["informations", "Sorties  par mois relais", "définitions"]


def test_one_table_is_one_csv_with_a_commented_header_block():
    content, content_type, extension = export_tables("csv", [funnel_table()], definitions=DEFINITIONS, meta=META)
    assert extension == "csv" and content_type.startswith("text/csv")
    text = content.decode("utf-8")
    assert text.startswith("\ufeff# Entrées par QPV")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header = [row[0] for row in lines if row and row[0].startswith("#")]
    assert "# Période : du 01/01/2026 au 31/03/2026" in header
    assert any(line.startswith("# Définition entered (Entrées) : ") for line in header)
    data = [row for row in lines if row and not row[0].startswith("#")]
    assert data == [
        ["QPV", "Femmes", "Hommes", "Taux"],
        ["Montreynaud", "s", "s", "0,4523"],
        ["'@Crêt de Roc", "s", "s", ""],
    ]


def test_several_tables_in_csv_are_a_zip_of_csv_files():
    content, content_type, extension = export_tables(
        "csv", [funnel_table(), second_table()], definitions=DEFINITIONS, meta=META
    )
    assert (extension, content_type) == ("zip", "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist() == ["01 Entrées par QPV.csv", "02 Sorties  par mois relais.csv", "definitions.csv"]
    rows = list(csv.reader(io.StringIO(archive.read("definitions.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(DEFINITION_HEADERS) and rows[2][2].startswith("'-1")
    second = archive.read("02 Sorties  par mois relais.csv").decode("utf-8-sig")
    assert second.rstrip().endswith("févr. 2026;s")


def test_the_coordinators_export_says_nothing_is_masked():
    meta = ExportMeta("Coordination", date(2026, 1, 1), date(2026, 1, 31), masked=False)
    content, _, _ = export_tables("xlsx", [second_table()], definitions=[], meta=meta)
    info = {row[0]: row[1] for row in load_workbook(io.BytesIO(content))["informations"].iter_rows(values_only=True)}
    assert info["Secret statistique"].startswith("Aucun masquage")
    assert info["Filtres"] == "aucun"


def test_sheet_names_are_valid_and_unique():
    tables = [ExportTable(t, ["a"], []) for t in ("informations", "x" * 40, "x" * 40, "a[b]:c*d?e/f\\g", "")]
    names = sheet_names(tables)
    assert names[0] == "informations (2)"
    assert names[1] == "x" * 31 and names[2] == "x" * 27 + " (2)"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[4] == "tableau"


def test_bad_requests_are_refused():
    with pytest.raises(ValueError):
        export_tables("pdf", [second_table()], definitions=[], meta=META)
    with pytest.raises(ValueError):
        export_tables("csv", [ExportTable("t", ["a", "b"], [], ["count"])], definitions=[], meta=META)
