from citemploi.core.exports import safe_cell, stream_csv
from citemploi.core.secrecy import mask_table


def test_formula_like_text_is_neutralised_but_numbers_are_kept():
    assert [safe_cell(v) for v in ["=1+1", "+33 6", "-x", "@SUM", "\tx", "\rx", "Dupont", -3, 4.5]] == [
        "'=1+1",
        "'+33 6",
        "'-x",
        "'@SUM",
        "'\tx",
        "'\rx",
        "Dupont",
        -3,
        4.5,
    ]


def test_signed_decimals_stay_numbers_and_the_file_writer_neutralises_headers():
    import io

    from citemploi.core.exports import SafeCsvWriter

    assert [safe_cell(v) for v in ["-1.55", "+4,5", "-1e3", "-1+1", "-"]] == ["-1.55", "+4,5", "-1e3", "'-1+1", "'-"]
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(["=cmd", "ok"])
    assert buffer.getvalue() == "'=cmd,ok\r\n"


def test_csv_stream_has_bom_and_neutralised_cells():
    text = "".join(stream_csv(["nom", "note"], [['=HYPERLINK("x")', 3]]))
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text


def test_small_cells_are_masked_with_secondary_suppression():
    table = [[3, 10, 20], [12, 15, 30]]
    masked = mask_table(table, limit=5)
    assert masked[0][0] is None  # primary
    # Row 0 and column 0 each need a second hidden cell so that 3 cannot be recomputed from the totals.
    assert sum(v is None for v in masked[0]) >= 2
    assert sum(row[0] is None for row in masked) >= 2


def test_zero_and_large_cells_are_shown():
    assert mask_table([[0, 6], [7, 8]], limit=5) == [[0, 6], [7, 8]]
