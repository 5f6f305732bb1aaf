from citemploi.core.exports import safe_cell, stream_csv


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
