"""Memory stays flat: 200,000 rows are streamed, never held in a list (a loose bound on tracemalloc's peak).

tracemalloc slows openpyxl down about five times: the XLSX and ODS files have one column (the cost is per cell,
the memory kept per row is what is checked: 200,000 rows held as lists would take far more than the bound).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import xlsxwriter

from citemploi.intake.readers import read_table
from tests.intake import hostile

ROWS = 200_000
#: Far below what 200,000 rows take as lists of strings (≈ 30 MB for one cell a row, 100 MB for six), far above
#: a streamed read (about 1 MB).
PEAK_BOUND = 10 * 1024 * 1024


def _people(count: int) -> Iterator[list[str]]:
    for n in range(count):
        yield [f"Fictif{n}", f"Prénom{n % 977}", f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/19{n % 90 + 10}", "42000",
               f"0{600000000 + n}", f"{n} rue de l'Exemple"]  # fmt: skip


def _consume(path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        table = read_table(path, filename=path.name)
        count = sum(1 for _row in table.rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return count, peak


def test_csv_of_200000_rows_is_streamed(tmp_path):
    path = tmp_path / "gros.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("nom;prenom;date_naissance;code_postal;telephone;adresse\r\n")
        for row in _people(ROWS):
            out.write(";".join(row) + "\r\n")
    count, peak = _consume(path)
    assert count == ROWS
    assert peak < PEAK_BOUND, peak


def test_xlsx_of_200000_rows_is_streamed(tmp_path):
    path = tmp_path / "gros.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("personnes")
    sheet.write_string(0, 0, "nom")
    for r, row in enumerate(_people(ROWS), start=1):
        sheet.write_string(r, 0, row[0])
    workbook.close()
    count, peak = _consume(path)
    assert count == ROWS
    # (openpyxl keeps a workbook's shared strings in memory: XlsxWriter's constant_memory mode writes none.)
    assert peak < PEAK_BOUND, peak


def test_ods_of_200000_rows_is_streamed(tmp_path):
    rows = [hostile.ods_row("nom")] + [hostile.ods_row(row[0]) for row in _people(ROWS)]
    path = hostile.write_ods(tmp_path, {"personnes": rows}, name="gros.ods")
    del rows
    count, peak = _consume(path)
    assert count == ROWS
    assert peak < PEAK_BOUND, peak
