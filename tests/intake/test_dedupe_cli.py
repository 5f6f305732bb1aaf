"""The contract of ``citemploi intake dedupe INPUT.csv OUTPUT.csv`` (issue 12 §5), run for real."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "id,nom,prenom,date_naissance,sexe,email,telephone,adresse,code_postal,commune"
ROWS = [
    "a1,Dupont,Marie,1985-03-12,F,marie.dupont@example.org,06 12 34 56 78,3 bd Victor Hugo,75013,Paris",
    "a2,DUPONT épouse MARTIN,Marie,12/03/1985,F,,,3 boulevard Victor-Hugo,75013,Paris",
    "a3,Dupont,Léa,12/03/1985,F,,06 12 34 56 78,3 bd Victor Hugo,75013,Paris",  # her twin
    "a4,Marie,Dupond,1985-03-12,f,,+33 6 12 34 56 78,,,",  # names swapped, a typo
    "a5,Dupont,,,,,,3 bd Victor Hugo,75013,Paris",  # which one? review
    "b1,Nguyen,Paul,2001-07-30,M,,,,,",
    "b2,,,,,,,,,",  # every column but id may be empty
]
CLI = Path(sys.executable).with_name("citemploi")


def write(tmp_path: Path, text: str | bytes, name: str = "entree.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["id", "cluster", "a_verifier_avec"]
        return [dict(zip(("id", "cluster", "a_verifier_avec"), row, strict=True)) for row in reader]


def check_contract(rows: list[dict[str, str]]) -> None:
    assert [row["id"] for row in rows] == ["a1", "a2", "a3", "a4", "a5", "b1", "b2"]  # one line per row, in order
    cluster = {row["id"]: row["cluster"] for row in rows}
    review = {row["id"]: row["a_verifier_avec"].split("|") if row["a_verifier_avec"] else [] for row in rows}
    assert cluster["a1"] == cluster["a2"] == cluster["a4"]
    assert len({cluster["a1"], cluster["a3"], cluster["a5"], cluster["b1"], cluster["b2"]}) == 5
    assert review["a5"] == ["a1", "a2", "a3"]  # the pairs compared (a4 has no address), not whole clusters
    assert review["a1"] == ["a5"] and review["a3"] == ["a5"]
    assert review["b1"] == review["b2"] == []


def test_call_command_follows_the_contract(tmp_path):
    source = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    target = tmp_path / "sortie.csv"
    out = StringIO()
    call_command("intake", "dedupe", str(source), str(target), stdout=out)
    check_contract(read_output(target))
    assert "7 ligne(s), 5 personne(s) distincte(s)" in out.getvalue()


def test_console_script_without_database(tmp_path):
    """The real console script, with a database URL nobody answers on: no database is needed; exit code 0."""
    source = write(tmp_path, "\ufeff" + "\r\n".join([HEADER, *ROWS]))  # BOM, Windows line ends
    target = tmp_path / "sortie.csv"
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing", "DJANGO_ENV": "development"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [str(CLI), "intake", "dedupe", str(source), str(target)], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    check_contract(read_output(target))


def test_columns_in_any_order_extra_columns_and_blank_lines(tmp_path):
    reordered = "commune,code_postal,adresse,telephone,email,sexe,date_naissance,prenom,nom,id,remarque"
    lines = [
        reordered,
        "Paris,75013,,,,F,1985-03-12,Marie,Dupont,x1,",
        "",
        "Paris,75013,,,,F,12/03/1985,MARIE,DUPONT,x2,ok",
    ]
    source = write(tmp_path, "\n".join(lines))
    target = tmp_path / "sortie.csv"
    call_command("intake", "dedupe", str(source), str(target), stdout=StringIO())
    assert [(r["id"], r["cluster"]) for r in read_output(target)] == [("x1", "x1"), ("x2", "x1")]


def test_dry_run_writes_nothing(tmp_path):
    source = write(tmp_path, "\n".join([HEADER, *ROWS]))
    target = tmp_path / "sortie.csv"
    out = StringIO()
    call_command("intake", "dedupe", str(source), str(target), "--dry-run", stdout=out)
    assert not target.exists()
    assert out.getvalue().startswith("Simulation : 7 ligne(s)")


def test_formula_looking_ids_are_neutralised_in_the_output(tmp_path):
    source = write(tmp_path, "\n".join([HEADER, "=1+1,Dupont,Marie,,,,,,,"]))
    target = tmp_path / "sortie.csv"
    call_command("intake", "dedupe", str(source), str(target), stdout=StringIO())
    assert read_output(target) == [{"id": "'=1+1", "cluster": "'=1+1", "a_verifier_avec": ""}]


MALFORMED = [
    (b"", "Le fichier est vide"),
    (b"id,nom,prenom\n1,Dupont,Marie\n", "il manque date_naissance, sexe, email"),
    ((HEADER.replace(",", ";") + "\n1;Dupont;;;;;;;;\n").encode(), "Le séparateur des colonnes doit être la virgule"),
    ((HEADER + ",nom\n").encode(), "Colonne(s) en double dans l'en-tête : nom"),
    ((HEADER + "\n1,Dupont,Marie,31/02/1985,,,,,,\n").encode(), "Ligne 2, date_naissance : « 31/02/1985 »"),
    ((HEADER + "\n1,Dupont,Marie,85-03-12,,,,,,\n").encode(), "n'est pas une date AAAA-MM-JJ ou JJ/MM/AAAA"),
    ((HEADER + "\n1,Dupont,Marie,,X,,,,,\n").encode(), "Ligne 2, sexe : « X » n'est pas F ou M"),
    ((HEADER + "\n1,a,,,,,,,,\n1,b,,,,,,,,\n").encode(), "Ligne 3 : l'id « 1 » est déjà utilisé plus haut"),
    ((HEADER + "\n,Dupont,,,,,,,,\n").encode(), "Ligne 2 : l'id est vide"),
    ((HEADER + "\n1,Dupont,Marie\n").encode(), "Ligne 2 : 3 colonne(s) au lieu de 10"),
    ((HEADER + "\n1,Lefèvre,Hélène,,,,,,,\n").encode("cp1252"), "n'est pas encodé en UTF-8"),
    ((HEADER + '\n1,"Dupont,,,,,,,,,\n').encode(), "CSV mal formé"),
    (b"\x00\x01\x02PK\x03\x04", "caractères nuls"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_malformed_files_stop_with_a_french_message(tmp_path, content, message):
    source = write(tmp_path, content)
    target = tmp_path / "sortie.csv"
    with pytest.raises(CommandError) as refused:
        call_command("intake", "dedupe", str(source), str(target), stdout=StringIO())
    assert message in str(refused.value)
    assert not target.exists()


def test_missing_input_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("intake", "dedupe", str(tmp_path / "absent.csv"), str(tmp_path / "s.csv"), stdout=StringIO())


def test_console_script_exit_code_on_a_malformed_file(tmp_path):
    source = write(tmp_path, "id;nom\n1;Dupont\n")
    target = tmp_path / "sortie.csv"
    run = subprocess.run(
        [str(CLI), "intake", "dedupe", str(source), str(target)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0
    assert "Le séparateur des colonnes doit être la virgule" in run.stderr
    assert not target.exists()
