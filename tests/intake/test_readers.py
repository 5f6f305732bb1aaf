"""The intake readers: formats, encodings, separators, cells as text (docs/intake.md, « Formats acceptés »)."""

from __future__ import annotations

import datetime as dt

import pytest

from citemploi.intake.errors import FileRefused
from citemploi.intake.readers import Table, detect_kind, read_table, read_workbook
from tests.intake import hostile

HEADER = ["Nom", "Prénom", "Adresse"]
ROWS = [["Fictif", "Élodie", "12, rue de l'Église"], ["Exemple", "Zoé", "1;2 « quoted »"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_csv_encoding_and_separator_are_found_from_the_content(tmp_path, encoding, delimiter):
    path = hostile.write_csv(tmp_path, [HEADER, *ROWS], delimiter=delimiter, encoding=encoding)
    table = read_table(path, filename="liste.csv")
    assert (table.encoding, table.delimiter, table.kind) == (encoding, delimiter, "csv")
    assert table.headers == HEADER
    assert list(table.rows) == ROWS


def test_csv_with_decimal_commas_is_semicolon_separated(tmp_path):
    path = hostile.write_csv(tmp_path, [["nom", "lon", "lat"], ["A", "4,39", "45,43"], ["B", "4,40", "45,44"]])
    table = read_table(path, filename="points.csv")
    assert table.delimiter == ";"
    assert list(table.rows) == [["A", "4,39", "45,43"], ["B", "4,40", "45,44"]]


def test_latin1_file_with_accent_late_in_the_file_is_read_as_windows_1252(tmp_path):
    rows = [["nom", "ville"]] + [["Fictif", "Roanne"]] * 5000 + [["Exemple", "Saint-Étienne"]]
    path = hostile.write_csv(tmp_path, rows, encoding="cp1252")
    table = read_table(path, filename="liste.csv")
    assert table.encoding == "cp1252"
    assert list(table.rows)[-1] == ["Exemple", "Saint-Étienne"]


def test_csv_rows_are_padded_to_the_header_and_keep_extra_cells(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("nom;prenom;cp\r\nA;B\r\nC;D;42000;;\r\n;;\r\nE;F;42100;en trop\r\n", encoding="utf-8")
    table = read_table(path, filename="l.csv")
    assert list(table.rows) == [["A", "B", ""], ["C", "D", "42000"], ["", "", ""], ["E", "F", "42100", "en trop"]]


def test_headers_are_stripped_and_trailing_empty_headers_dropped(tmp_path):
    path = hostile.write_csv(tmp_path, [[" nom ", "prenom ", "", ""], ["A", "B", "", ""]])
    table = read_table(path, filename="l.csv")
    assert table.headers == ["nom", "prenom"]
    assert list(table.rows) == [["A", "B"]]


def test_title_row_above_the_header_of_a_sheet_is_refused(tmp_path):
    path = hostile.write_xlsx(tmp_path, {"f": [["Export fictif du 01/02/2024"], ["nom", "prenom"], ["A", "B"]]})
    with pytest.raises(FileRefused, match="c'est sans doute un titre"):
        read_table(path, filename=path.name)


def test_one_column_table_is_not_a_title(tmp_path):
    path = hostile.write_xlsx(tmp_path, {"f": [["nom"]] + [["A"]] * 30 + [["B", "C"]]})
    assert len(list(read_table(path, filename=path.name).rows)) == 31


def test_multiline_quoted_cell(tmp_path):
    path = hostile.write_csv(tmp_path, [["nom", "adresse"], ["A", "12 rue X\nBât. B"], ["B", "3 rue Y"]])
    assert list(read_table(path, filename="l.csv").rows) == [["A", "12 rue X\nBât. B"], ["B", "3 rue Y"]]


def test_excel_sep_line_declares_the_separator_and_is_not_the_header(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes(b"\xef\xbb\xbfsep=,\r\nnom,prenom\r\nFictif;Dupont,Alice\r\n")
    table = read_table(path, filename="l.csv")
    assert (table.delimiter, table.headers) == (",", ["nom", "prenom"])
    assert list(table.rows) == [["Fictif;Dupont", "Alice"]]


def test_single_column_csv(tmp_path):
    path = hostile.write_csv(tmp_path, [["nom"], ["Fictif"], ["Exemple"]])
    table = read_table(path, filename="l.csv")
    assert table.headers == ["nom"]
    assert list(table.rows) == [["Fictif"], ["Exemple"]]


def test_xlsx_cells_are_text_codes_keep_zeros_formulas_are_not_evaluated(tmp_path):
    path = hostile.write_xlsx(
        tmp_path,
        {
            "personnes": [
                ["nom", "code_postal", "date_naissance", "total", "nombre", "décimal", "vide"],
                ["Fictif", "04100", dt.date(1990, 2, 1), "=1+2", 42000, 3.5, None],
                ['=HYPERLINK("http://exemple.invalid")', "2A004", dt.datetime(2024, 3, 1, 14, 30), "=A1", 7.0, 0.1],
            ]
        },
        name="l.csv",  # the name lies: the content is an XLSX
    )
    table = read_table(path, filename="l.csv")
    assert table.kind == "xlsx" and table.encoding is None and table.delimiter is None
    assert table.headers == ["nom", "code_postal", "date_naissance", "total", "nombre", "décimal", "vide"]
    assert list(table.rows) == [
        ["Fictif", "04100", "1990-02-01", "=1+2", "42000", "3.5", ""],
        ['=HYPERLINK("http://exemple.invalid")', "2A004", "2024-03-01 14:30:00", "=A1", "7", "0.1", ""],
    ]


def test_xlsx_blank_rows_are_kept_so_row_numbers_match_the_sheet(tmp_path):
    path = hostile.write_xlsx(tmp_path, {"f": [["nom"], ["A"], [None], [None], ["B"]]})
    assert list(read_table(path, filename="f.xlsx").rows) == [["A"], [""], [""], ["B"]]


def test_workbook_gives_every_sheet_an_empty_sheet_has_no_header(tmp_path):
    path = hostile.write_xlsx(
        tmp_path, {"personnes": [["ref", "nom"], ["R1", "Fictif"]], "contacts": [["ref", "date"]], "vide": []}
    )
    tables = read_workbook(path, filename="reprise.xlsx")
    assert list(tables) == ["personnes", "contacts", "vide"]
    assert [(t.headers, list(t.rows), t.sheet) for t in tables.values()] == [
        (["ref", "nom"], [["R1", "Fictif"]], "personnes"),
        (["ref", "date"], [], "contacts"),
        ([], [], "vide"),
    ]


def test_workbook_header_error_names_the_sheet(tmp_path):
    path = hostile.write_xlsx(tmp_path, {"personnes": [["ref"]], "contacts": [["ref", "Ref"]]})
    with pytest.raises(FileRefused, match="Feuille « contacts » : deux colonnes portent le même nom"):
        read_workbook(path, filename="reprise.xlsx")


def test_zip_of_csv_files(tmp_path):
    path = hostile.write_csv_zip(
        tmp_path,
        {
            "reprise/personnes.csv": "ref;nom\r\nR1;Fictif\r\n",
            "reprise/contacts.csv": "ref,date\r\nR1,01/02/2024\r\n",
            "__MACOSX/._personnes.csv": "junk",
        },
    )
    tables = read_workbook(path, filename="reprise.zip")
    assert {name: (t.headers, list(t.rows), t.delimiter) for name, t in tables.items()} == {
        "personnes": (["ref", "nom"], [["R1", "Fictif"]], ";"),
        "contacts": (["ref", "date"], [["R1", "01/02/2024"]], ","),
    }


def test_zip_with_other_files_is_refused(tmp_path):
    path = hostile.write_csv_zip(tmp_path, {"personnes.csv": "ref\r\nR1\r\n", "notes.pdf": "%PDF"})
    with pytest.raises(FileRefused, match="notes.pdf"):
        read_workbook(path, filename="reprise.zip")


def test_zip_is_not_a_table(tmp_path):
    path = hostile.write_csv_zip(tmp_path, {"personnes.csv": "ref\r\nR1\r\n"})
    with pytest.raises(FileRefused, match="archive ZIP"):
        read_table(path, filename="reprise.zip")


def test_lone_csv_as_a_workbook_is_named_after_the_file(tmp_path):
    path = hostile.write_csv(tmp_path, [["ref", "nom"], ["R1", "Fictif"]])
    tables = read_workbook(path, filename="personnes.csv")
    assert list(tables) == ["personnes"]


def test_ods_cells_dates_numbers_formulas_and_repeats(tmp_path):
    cell = '<table:table-cell office:value-type="{t}" {a}><text:p>{p}</text:p></table:table-cell>'
    rows = [
        hostile.ods_row("nom", "code", "date", "total", "lon", "note"),
        hostile.ods_row(
            "Fictif",
            cell.format(t="float", a='office:value="4100"', p="04100"),
            cell.format(t="date", a='office:date-value="1990-02-01"', p="01/02/90"),
            cell.format(t="float", a='table:formula="of:=SUM([.B2:.B3])" office:value="3"', p="3"),
            cell.format(t="float", a='office:value="4.387654321"', p="4,39"),
            '<table:table-cell office:value-type="string"><text:p>deux<text:s text:c="2"/>espaces</text:p>'
            "<text:p>seconde ligne</text:p><office:annotation><text:p>commentaire</text:p></office:annotation>"
            "</table:table-cell>",
        ),
        hostile.ods_row(repeat=3),
        hostile.ods_row(
            "Exemple",
            '<table:table-cell table:number-columns-repeated="3"/>',
            cell.format(t="boolean", a='office:boolean-value="true"', p="VRAI"),
        ),
        hostile.ods_row(repeat=1_048_000),
    ]
    path = hostile.write_ods(tmp_path, {"personnes": rows, "autre": [hostile.ods_row("ref")]})
    table = read_table(path, filename="liste.ods")
    assert table.kind == "ods"
    assert table.headers == ["nom", "code", "date", "total", "lon", "note"]
    assert list(table.rows) == [
        ["Fictif", "04100", "1990-02-01", "=SUM([.B2:.B3])", "4.387654321", "deux  espaces\nseconde ligne"],
        ["", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["Exemple", "", "", "", "VRAI", ""],
    ]
    assert list(read_workbook(path, filename="liste.ods")) == ["personnes", "autre"]


def test_ods_sheet_by_name_in_a_workbook(tmp_path):
    path = hostile.write_ods(
        tmp_path,
        {
            "personnes": [hostile.ods_row("ref"), hostile.ods_row("R1")],
            "contacts": [hostile.ods_row("ref", "date"), hostile.ods_row("R1", "x")],
        },
    )
    tables = read_workbook(path, filename="reprise.ods")
    assert [(t.headers, list(t.rows)) for t in tables.values()] == [
        (["ref"], [["R1"]]),
        (["ref", "date"], [["R1", "x"]]),
    ]


def test_kind_comes_from_the_content_not_the_name(tmp_path):
    csv_path = hostile.write_csv(tmp_path, [["nom"], ["A"]], name="vrai.xlsx")
    xlsx_path = hostile.write_xlsx(tmp_path, {"f": [["nom"]]}, name="faux.csv")
    ods_path = hostile.write_ods(tmp_path, {"f": [hostile.ods_row("nom")]}, name="faux.xlsx")
    assert [detect_kind(p, filename=p.name) for p in (csv_path, xlsx_path, ods_path)] == ["csv", "xlsx", "ods"]


def test_table_interface():
    table = Table(["a"], iter([["1"]]), "utf-8", ";")
    assert (table.headers, next(table.rows), table.encoding, table.delimiter) == (["a"], ["1"], "utf-8", ";")
