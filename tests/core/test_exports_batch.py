"""``neutralise_rows`` (the batch form used by ``qpv tag``) quotes exactly the cells ``safe_cell`` quotes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citemploi.core.exports import neutralise_rows, safe_cell

# Text made mostly of the characters that matter: formula prefixes, digits, signs, separators, the batch's own.
_ALPHABET = st.sampled_from(list("=+-@\t\r\n0123456789.,eE xA;\"'\x1f"))
_CELL = st.text(_ALPHABET, max_size=8)


@given(st.integers(0, 5).flatmap(lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width + 2))))
def test_batch_neutralisation_is_the_cell_rule(rows):
    width = min(map(len, rows), default=0)
    expected = [[safe_cell(cell) for cell in row[:width]] + row[width:] for row in rows]
    batch = [list(row) for row in rows]
    neutralise_rows(batch, width)
    assert batch == expected


def test_batch_neutralisation_examples():
    rows = [["=1", "-1.5", "-1,5e3", "-2+3", "+33 6", "@x", "\tt", "\rr", "ok", ""], ["-", "+1", "a=b"]]
    neutralise_rows(rows, 3)
    assert rows == [
        ["'=1", "-1.5", "-1,5e3", "-2+3", "+33 6", "@x", "\tt", "\rr", "ok", ""],  # past the width: untouched
        ["'-", "+1", "a=b"],
    ]
