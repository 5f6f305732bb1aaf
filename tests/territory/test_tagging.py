"""`citemploi qpv tag`: a partner file in, every row tagged, bad rows named, bad files refused with no output."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.territory import tagging
from tests.territory.conftest import CHAMBON, SAINT_ETIENNE

M_LON = 1 / 78_000


@pytest.fixture
def imported(perimeters_file):
    call_command("qpv", "import", str(perimeters_file))


def read(path, delimiter=","):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_rows_are_tagged_and_bad_rows_named(imported, tmp_path, capsys):
    source = tmp_path / "entree.csv"
    source.write_text(
        "id,lon,lat,code_insee\n"
        f"1,{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]},42218\n"
        f"2,{SAINT_ETIENNE[0] + 210 * M_LON},{SAINT_ETIENNE[1]},42218\n"
        f"3,{CHAMBON[0]},{CHAMBON[1]},42183\n"
        "4,abc,45.4,42218\n"
        "5,-74.0,40.7,\n"
        "6,4.27,45.60,42001\n",
        encoding="utf-8",
    )
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target))
    rows = read(target)
    assert [r["qpv_status"] for r in rows] == ["in", "out", "in", "error", "error", "out"]
    assert rows[0]["qpv_code"] == "QN04211M" and rows[0]["qpv_generation"] == "2024"
    assert rows[1]["near_boundary"] == "oui" and float(rows[1]["distance_m"]) == pytest.approx(10, abs=2)
    assert rows[3]["qpv_message"] == "coordonnées non numériques"
    assert rows[4]["qpv_message"] == "coordonnées hors de France"
    assert list(rows[0])[:4] == ["id", "lon", "lat", "code_insee"]
    out = capsys.readouterr().out
    assert "6 ligne(s) traitée(s)" in out and "dans un QPV : 2" in out and "en erreur : 2" in out
    assert "erreur « coordonnées non numériques » : 1" in out


def test_french_option_gives_the_french_form_the_default_keeps_the_documented_columns(imported, tmp_path):
    """`qpv tag` keeps its English columns and values for scripts; `--french` is the form of « Vérifier un
    fichier »: `;` whatever the input, French column names and values, decimal commas."""
    source = tmp_path / "entree.csv"
    source.write_text(
        f"id,lon,lat\n1,{SAINT_ETIENNE[0] + 210 * M_LON},{SAINT_ETIENNE[1]}\n2,abc,45.4\n", encoding="utf-8"
    )
    default, french = tmp_path / "sortie.csv", tmp_path / "sortie-fr.csv"
    call_command("qpv", "tag", str(source), str(default))
    call_command("qpv", "tag", str(source), str(french), "--french")
    english = read(default)
    assert list(english[0])[3:] == tagging.QPV_COLUMNS and english[0]["qpv_status"] == "out"
    rows = read(french, ";")
    assert list(rows[0]) == ["id", "lon", "lat", *(tagging.FRENCH_COLUMNS[c] for c in tagging.QPV_COLUMNS)]
    assert [r["statut_qpv"] for r in rows] == ["hors QPV", "erreur"]
    assert rows[0]["proche_limite"] == "oui" and "," in rows[0]["distance_limite_m"]
    assert float(rows[0]["distance_limite_m"].replace(",", ".")) == pytest.approx(10, abs=2)
    assert rows[1]["message"] == "coordonnées non numériques"
    assert rows[0]["lon"] == str(SAINT_ETIENNE[0] + 210 * M_LON)  # the input's cells are not rewritten


def test_semicolon_latin1_and_decimal_commas(imported, tmp_path):
    source = tmp_path / "entree.csv"
    text = f"nom;Longitude;Latitude\nHélène;{SAINT_ETIENNE[0]};{SAINT_ETIENNE[1]}\n".replace(".", ",")
    source.write_bytes(text.encode("latin-1"))
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target))
    rows = read(target, ";")
    assert rows[0]["nom"] == "Hélène" and rows[0]["qpv_status"] == "in"


def test_utf8_bom_and_formula_cells_neutralised(imported, tmp_path):
    source = tmp_path / "entree.csv"
    source.write_text(f"\ufeffnote,lon,lat\n=CMD(),{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]}\n", encoding="utf-8")
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target))
    assert read(target)[0]["note"] == "'=CMD()"


def test_formula_in_the_header_row_is_neutralised(imported, tmp_path):
    source = tmp_path / "entree.csv"
    header = '"=HYPERLINK(""http://x"",""y"")",lon,lat,@SUM(A1),-2+3'
    source.write_text(f"{header}\nA,{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]},b,-1.5\n", encoding="utf-8")
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        head, row = list(csv.reader(handle))[:2]
    assert head[0] == '\'=HYPERLINK("http://x","y")' and head[3:5] == ["'@SUM(A1)", "'-2+3"]
    assert row[4] == "-1.5"  # a number stays a number


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"nom,adresse\nA,1 rue X\n", "Colonnes lon et lat introuvables"),
        (b"\x00\x01\x02binary\x00", "binaire"),
        (b"PK\x03\x04xlsx", "XLSX"),
        (b"lon,lat\n\x81\x8d\x8f,\x90\x9d\n", "Encodage illisible"),
    ],
)
def test_unreadable_files_stop_without_output(db, tmp_path, content, message):
    source = tmp_path / "entree.csv"
    source.write_bytes(content)
    target = tmp_path / "sortie.csv"
    with pytest.raises(CommandError, match=message):
        call_command("qpv", "tag", str(source), str(target))
    assert list(tmp_path.iterdir()) == [source]  # no output, not even a partial one


def test_strict_fails_on_the_first_bad_row_and_leaves_no_output(imported, tmp_path):
    source = tmp_path / "entree.csv"
    source.write_text(f"lon,lat\n{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]}\n,45.4\n", encoding="utf-8")
    target = tmp_path / "sortie.csv"
    with pytest.raises(CommandError, match="Ligne 3 : coordonnées manquantes"):
        call_command("qpv", "tag", str(source), str(target), "--strict")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "sortie" in p.name] == []


def test_input_is_processed_in_bounded_chunks(imported, tmp_path, monkeypatch):
    """Memory stays flat: rows are read lazily and tagged at most ``chunk_size`` at a time."""
    source = tmp_path / "entree.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("lon,lat\n")
        for i in range(2500):
            handle.write(f"{SAINT_ETIENNE[0] + (i % 50) * 0.001},{SAINT_ETIENNE[1]}\n")
    sizes = []
    original = tagging.tag_chunk

    def spy(rows, *args, **kwargs):
        sizes.append(len(rows))
        return original(rows, *args, **kwargs)

    monkeypatch.setattr(tagging, "tag_chunk", spy)
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target), "--chunk-size", "1000")
    assert sizes == [1000, 1000, 500]
    assert len(read(target)) == 2500
    chunks = tagging.iter_chunks(iter([["1"]] * 10), 4)
    assert next(chunks) == [["1"]] * 4  # a generator: nothing beyond the current chunk is read


def test_geocoded_file_with_the_local_ban(imported, ban_file, tmp_path, settings):
    settings.GEOCODER = "ban_local"
    call_command("ban", "import", str(ban_file))
    source = tmp_path / "adresses.csv"
    source.write_text(
        "adresse,code_postal,commune\n"
        "12 bis av. de la Libération,42000,Saint-Étienne\n"
        "3 rue qui n'existe nulle part,42000,Saint-Étienne\n"
        ",42000,\n",
        encoding="utf-8",
    )
    target = tmp_path / "sortie.csv"
    call_command("qpv", "tag", str(source), str(target), "--geocode")
    rows = read(target)
    assert rows[0]["qpv_status"] == "in" and rows[0]["geo_label"].startswith("12 bis Avenue de la Libération")
    assert float(rows[0]["geo_score"]) == pytest.approx(1.0)
    assert rows[1]["qpv_status"] == "error" and rows[1]["qpv_message"].startswith("adresse introuvable")
    assert rows[2]["qpv_message"] == "adresse vide"
