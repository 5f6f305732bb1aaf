"""Hostile files (issue 12 §7): each is refused as a whole with one clear French message."""

from __future__ import annotations

import pytest

from citemploi.intake.errors import FileRefused
from citemploi.intake.readers import read_table, read_workbook
from tests.intake import hostile


@pytest.mark.parametrize(("case", "make", "message"), hostile.HOSTILE, ids=[case for case, _m, _f in hostile.HOSTILE])
def test_hostile_file_is_refused_with_its_message(tmp_path, settings, case, make, message):
    settings.INTAKE_MAX_UPLOAD_BYTES = hostile.OVERSIZED_LIMIT if case == "trop volumineux" else 50 * 1024 * 1024
    path = make(tmp_path)
    for reader in (read_table, read_workbook):
        with pytest.raises(FileRefused) as refused:
            result = reader(path, filename=path.name)
            for table in result.values() if isinstance(result, dict) else [result]:
                list(table.rows)
        assert message.lower() in refused.value.message.lower(), refused.value.message


def test_file_refused_is_a_validation_error():
    from citemploi.core.errors import ValidationFailed

    assert issubclass(FileRefused, ValidationFailed)


def test_zip_member_bigger_than_announced_is_refused_while_streaming(tmp_path):
    path = hostile.write_lying_zip(tmp_path)
    with pytest.raises(FileRefused, match="ne correspond pas à ce que l'archive annonce"):
        for table in read_workbook(path, filename=path.name).values():
            list(table.rows)


def test_too_many_rows_stops_while_streaming(tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 3
    path = hostile.write_csv(tmp_path, [["nom"]] + [["A"]] * 4)
    table = read_table(path, filename=path.name)
    with pytest.raises(FileRefused, match="trop de lignes : au plus 3"):
        list(table.rows)


def test_control_character_after_the_sample_reaches_the_row_and_is_refused_there(tmp_path):
    from citemploi.intake.cells import CellError, parse_text

    path = tmp_path / "l.csv"
    path.write_bytes(b"nom\r\n" + b"Fictif\r\n" * 20_000 + b"Ex\x00emple\r\n")
    rows = list(read_table(path, filename=path.name).rows)
    assert rows[-1] == ["Ex\x00emple"]
    with pytest.raises(CellError, match="U\\+0000"):
        parse_text(rows[-1][0])


def test_huge_cell_refuses_the_file_only_beyond_the_csv_field_limit(tmp_path):
    path = hostile.write_csv(tmp_path, [["nom", "note"], ["A", "x" * 10_000], ["B", "y" * 200_000]])
    table = read_table(path, filename=path.name)
    rows = table.rows
    assert next(rows) == ["A", "x" * 10_000]  # a 10,000-character cell reaches the cell parsers (row error)
    with pytest.raises(FileRefused, match="Ligne 3 : une cellule dépasse"):
        next(rows)


def test_unnamed_column_in_xlsx_is_named_by_its_letter(tmp_path):
    path = hostile.write_xlsx(tmp_path, {"f": [["nom", None, "prenom"], ["A", "B", "C"]]})
    with pytest.raises(FileRefused, match="la colonne B n'a pas de nom"):
        read_table(path, filename=path.name)


def test_password_protected_ods_is_named(tmp_path):
    import zipfile

    path = tmp_path / "protege.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"\x8a\x01encrypted")
        archive.writestr("META-INF/manifest.xml", "<manifest:encryption-data/>")
    with pytest.raises(FileRefused, match="protégé par un mot de passe"):
        read_table(path, filename=path.name)


def test_damaged_ods_content(tmp_path):
    import zipfile

    path = tmp_path / "abime.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<office:document-content><table:table")
    with pytest.raises(FileRefused, match="Classeur ODS illisible"):
        read_table(path, filename=path.name)


def test_a_line_longer_than_every_column_full_is_refused_before_it_is_split(tmp_path, settings):
    settings.UPLOAD_MAX_COLUMNS = 10
    settings.UPLOAD_MAX_CELL_CHARS = 100
    path = tmp_path / "l.csv"
    path.write_text("nom;prenom\r\nA;B\r\n" + "x;" * 1000 + "\r\n", encoding="utf-8")
    table = read_table(path, filename=path.name)
    rows = table.rows
    assert next(rows) == ["A", "B"]
    with pytest.raises(FileRefused, match="Ligne 3 trop longue"):
        next(rows)


def test_spreadsheet_xml_2003_is_named(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')
    with pytest.raises(FileRefused, match="feuille de calcul XML 2003"):
        read_table(path, filename=path.name)


def test_binary_excel_workbook_is_named(tmp_path):
    import zipfile

    path = tmp_path / "classeur.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(FileRefused, match=r"Classeur Excel binaire \(.xlsb\)"):
        read_table(path, filename=path.name)


def test_shared_strings_held_in_memory_are_capped(tmp_path, settings):
    import zipfile

    settings.UPLOAD_MAX_UNCOMPRESSED_MB = 8  # the texts may take 2 MB
    path = tmp_path / "textes.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        texts = "".join(f"<si><t>texte fictif {n}</t></si>" for n in range(120_000))
        archive.writestr("xl/sharedStrings.xml", f"<sst>{texts}</sst>")
    with pytest.raises(FileRefused, match=r"ses textes font 3,\d Mo une fois décompressés \(au plus 2 Mo\)"):
        read_table(path, filename=path.name)
