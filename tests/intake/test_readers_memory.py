"""Memory stays flat: rows are streamed, never held in a list (bounds on tracemalloc's peak).

CSV: 200,000 rows under a loose absolute bound. XLSX and ODS: tracemalloc slows openpyxl down about five times, so
the check is that the peak does not grow with the rows — the same one-column sheet at 2,000 and at 20,000 rows; the
18,000 more rows held as lists would add about 2.4 MB (a list and a short string per row), far above the bound.
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
SMALL, LARGE = 2_000, 20_000
#: What the peak may grow between SMALL and LARGE rows (streamed: measured below 0.2 MB).
GROWTH_BOUND = 1024 * 1024


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


def _xlsx(tmp_path, count: int):
    path = tmp_path / f"gros-{count}.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("personnes")
    sheet.write_string(0, 0, "nom")
    for r, row in enumerate(_people(count), start=1):
        sheet.write_string(r, 0, row[0])
    workbook.close()
    return path


def _ods(tmp_path, count: int):
    rows = [hostile.ods_row("nom")] + [hostile.ods_row(row[0]) for row in _people(count)]
    return hostile.write_ods(tmp_path, {"personnes": rows}, name=f"gros-{count}.ods")


def _growth(tmp_path, write) -> int:
    (small_count, small_peak), (large_count, large_peak) = (_consume(write(tmp_path, n)) for n in (SMALL, LARGE))
    assert (small_count, large_count) == (SMALL, LARGE)
    return large_peak - small_peak


def test_xlsx_is_streamed(tmp_path):
    # (openpyxl keeps a workbook's shared strings in memory: XlsxWriter's constant_memory mode writes none.)
    growth = _growth(tmp_path, _xlsx)
    assert growth < GROWTH_BOUND, growth


def test_ods_is_streamed(tmp_path):
    growth = _growth(tmp_path, _ods)
    assert growth < GROWTH_BOUND, growth
