"""`qpv tag` gives byte-identical output to the per-row implementation it replaced (issue 16 §4).

The expected files under ``fixtures/`` were written by the per-row implementation (main before issue 16) from the
inputs below; the columnar one must reproduce them byte for byte. The geocoded cases compare the columns the old
implementation wrote; the two columns added since (``geo_level``, ``geo_check``) are checked on their own.

Regenerate (only when the output format changes on purpose): ``REGENERATE_TAGGING_FIXTURES=1 pytest -n 0 …``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import call_command

from citemploi.territory import tagging
from citemploi.territory.geocoding import GeocodeResult
from tests.territory.conftest import CHAMBON, SAINT_ETIENNE

FIXTURES = Path(__file__).parent / "fixtures"
REGENERATE = os.environ.get("REGENERATE_TAGGING_FIXTURES") == "1"
M_LON = 1 / 78_000
LON, LAT = SAINT_ETIENNE


def _points(sep: str, comma: bool) -> list[list[str]]:
    """Rows (id, note, lon, lat, code_insee) covering every status, message and awkward cell."""

    def num(value: float | str) -> str:
        text = str(value)
        return text.replace(".", ",") if comma else text

    return [
        ["1", "dedans", num(LON), num(LAT), "42218"],
        ["2", "près de la limite", num(LON + 210 * M_LON), num(LAT), "42218"],
        ["3", '=HYPERLINK("http://x")', num(CHAMBON[0]), num(CHAMBON[1]), "42183"],
        ["4", "+33 6 12", num(4.27), num(45.60), "42001"],
        ["5", "-1.5", num("abc"), num(45.4), "42218"],
        ["6", "@SUM(A1)", "", num(LAT), "42218"],
        ["7", "\tTab", num(LON), "", ""],
        ["8", "-2+3", num(-74.0), num(40.7), ""],
        ["9", "inversées", num(LAT), num(LON), "42218"],
        ["10", "inf", "inf", num(LAT), "42218"],
        ["11", "nan", num(LON), "nan", "42218"],
        ["12", f'guillemets "{sep}" et\nretour', num(LON + 0.5), num(LAT), "99999"],
        ["13", " espaces ", f"  {num(LON)}  ", f" {num(LAT)} ", " 42218 "],
        ["14", "trop", num(LON), num(LAT), "42218", "en plus", "encore"],
        ["15", "court", num(LON)],
        ["16", "+1,5e3", num(LON + 0.02), num(LAT), "42218"],
        ["17", "\rCR", num(LON + 0.2), num(LAT + 0.2), "42218"],
        ["18", "1_000", "1_0", num(LAT), "42218"],
        ["19", "-", num(LON + 400 * M_LON), num(LAT + 400 * M_LON), "42218"],
    ]


def _csv(rows: Sequence[Sequence[str]], sep: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep).writerows(rows)
    return buffer.getvalue()


def _points_file(sep: str, *, comma: bool, bom: bool, encoding: str = "utf-8", blank: bool = True) -> bytes:
    header = ["id", "note", "Longitude" if comma else "lon", "lat", "code_insee"]
    rows = _points(sep, comma)
    body = _csv([header, *rows[:8]], sep) + ("\r\n" + sep * 4 + "\r\n" if blank else "") + _csv(rows[8:], sep)
    return (("\ufeff" if bom else "") + body).encode(encoding)


CASES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "points_comma": (_points_file(",", comma=False, bom=False), ()),
    "points_comma_french": (_points_file(",", comma=False, bom=False), ("--french",)),
    "points_semicolon_bom": (_points_file(";", comma=True, bom=True), ()),
    "points_semicolon_french": (_points_file(";", comma=True, bom=True), ("--french",)),
    "points_cp1252": (_points_file(";", comma=True, bom=False, encoding="cp1252", blank=False), ()),
    "formula_header": (
        (
            f'"=HYPERLINK(""http://x"",""y"")",lon,lat,@SUM(A1),-2+3\nA,{LON},{LAT},b,-1.5\n=1,{LON},{LAT},+2,-3e2\n'
        ).encode(),
        (),
    ),
}

GEO_INPUT = _csv(
    [
        ["id", "adresse", "code_postal", "commune"],
        ["1", "12 avenue de la Libération", "42000", "Saint-Étienne"],
        ["2", "approximative", "42000", "Saint-Étienne"],
        ["3", "formule", "42000", "Saint-Étienne"],
        ["4", "introuvable", "42000", "Saint-Étienne"],
        ["5", "", "", ""],
        ["6", "1 route de Fontanès", "42140", "Fontanès"],
        ["7", "loin", "42100", "Saint-Étienne"],
        ["8", "12 avenue de la Libération", "42000", "Saint-Étienne", "de trop"],
        ["9", "", "42000", "Saint-Étienne"],
        ["10", "à la limite", "", "Saint-Étienne"],
    ],
    ",",
).encode()
GEO_CASES = {"geocoded": (GEO_INPUT, ()), "geocoded_french": (GEO_INPUT, ("--french",))}
#: What the fake geocoder answers per address: (label, lon, lat, score, needs_check, level).
ANSWERS = {
    "12 avenue de la Libération": (
        "12 Avenue de la Libération 42000 Saint-Étienne",
        LON,
        LAT,
        0.97,
        False,
        "housenumber",
    ),
    "approximative": ("Avenue de la Libération 42000 Saint-Étienne", LON + 0.0001, LAT, 0.55, True, "street"),
    "formule": ("=1+1 Rue Piège 42000 Saint-Étienne", CHAMBON[0], CHAMBON[1], 0.81, False, "housenumber"),
    "loin": ("Saint-Étienne", LON + 0.3, LAT - 0.2, 0.4, True, "street"),
    "centre": ("Saint-Étienne", LON, LAT, 0.3, True, "municipality"),
    "à la limite": ("Rue de la Limite 42000 Saint-Étienne", LON + 210 * M_LON, LAT, 0.66, True, "street"),
}


class FakeGeocoder:
    """Deterministic answers, independent of the real geocoder (which issue 16 changes elsewhere)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    def geocode(self, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
        return self.geocode_many([(query, postcode, city)])[0]

    def geocode_many(self, queries: Sequence[tuple[str, str, str]]) -> list[GeocodeResult | None]:
        self.asked += list(queries)
        return [self._one(address) for address, _postcode, _city in queries]

    def _one(self, address: str) -> GeocodeResult | None:
        if address not in ANSWERS:
            return None
        label, lon, lat, score, check, level = ANSWERS[address]
        fields = {f.name for f in dataclasses.fields(GeocodeResult)}
        extra = {"level": level} if "level" in fields else {}
        return GeocodeResult(
            label=label,
            lon=lon,
            lat=lat,
            score=score,
            insee_code="42218",
            postcode="42000",
            city="Saint-Étienne",
            needs_check=check,
            **extra,
        )


@pytest.fixture
def imported(perimeters_file):
    call_command("qpv", "import", str(perimeters_file))


def _run(tmp_path: Path, name: str, content: bytes, options: tuple[str, ...], **kwargs: object) -> tuple[bytes, list]:
    source = tmp_path / f"{name}.csv"
    source.write_bytes(content)
    target = tmp_path / f"{name}.out.csv"
    summary = tagging.tag_file(
        source,
        target,
        french="--french" in options,
        **kwargs,  # type: ignore[arg-type]
    )
    return target.read_bytes(), summary.lines()


def _check(name: str, produced: bytes, lines: list[str]) -> None:
    expected, summary = FIXTURES / f"{name}.expected.csv", FIXTURES / f"{name}.summary.txt"
    if REGENERATE:
        FIXTURES.mkdir(exist_ok=True)
        expected.write_bytes(produced)
        summary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert produced == expected.read_bytes()
    assert "\n".join(lines) + "\n" == summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_points_output_is_byte_identical(imported, tmp_path, name):
    content, options = CASES[name]
    for chunk_size in (50_000, 3):  # one chunk, and chunks cutting the file anywhere
        produced, lines = _run(tmp_path, name, content, options, chunk_size=chunk_size)
        _check(name, produced, lines)


def _without_new_columns(produced: bytes, french: bool) -> tuple[bytes, list[list[str]]]:
    """The output as the old implementation wrote it (its columns only), and the two new columns per row."""
    text = produced.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if french else ","))
    old_width = len(rows[0]) - len(getattr(tagging, "NEW_GEO_COLUMNS", ()))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";" if french else ",").writerows(row[:old_width] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), [row[old_width:] for row in rows]


@pytest.mark.parametrize("name", sorted(GEO_CASES))
def test_geocoded_output_is_byte_identical(imported, tmp_path, name):
    content, options = GEO_CASES[name]
    for chunk_size in (50_000, 4):
        geocoder = FakeGeocoder()
        produced, lines = _run(tmp_path, name, content, options, geocode=True, geocoder=geocoder, chunk_size=chunk_size)
        old, new = _without_new_columns(produced, "--french" in options)
        _check(name, old, lines)
        french = "--french" in options
        assert new[0] == (["précision_géocodage", "géocodage_à_vérifier"] if french else list(tagging.NEW_GEO_COLUMNS))
        levels = ["numéro", "voie", "numéro"] if french else ["housenumber", "street", "housenumber"]
        assert new[1:4] == [[levels[0], "non"], [levels[1], "oui"], [levels[2], "non"]]
        assert new[4:7] == [["", ""], ["", ""], ["", ""]]  # not found, empty, the commune alone: no answer
        assert new[7][1] == "oui" and new[8] == [levels[0], "non"]  # a malformed row keeps its geocoding
        assert "1 route de Fontanès" not in [address for address, _p, _c in geocoder.asked]  # no QPV there


def test_a_commune_centre_is_not_a_point_to_tag(imported, tmp_path):
    """An answer at the level of the commune (its centre) says nothing of the QPV: « adresse introuvable »."""
    content = _csv([["id", "adresse", "code_postal", "commune"], ["1", "centre", "42000", "Saint-Étienne"]], ",")
    produced, lines = _run(tmp_path, "centre", content.encode(), (), geocode=True, geocoder=FakeGeocoder())
    row = next(csv.DictReader(io.StringIO(produced.decode("utf-8-sig"), newline="")))
    assert row["qpv_status"] == "error" and row["qpv_message"] == "adresse introuvable (géocodage impossible)"
    assert row["geo_level"] == row["geo_check"] == row["geo_label"] == ""
