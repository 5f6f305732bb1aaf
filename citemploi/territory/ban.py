"""Reading the departmental files of the Base Adresse Nationale (``adresses-42.csv.gz``, semicolon separated)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

REQUIRED = ("id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat")


class BanFileError(Exception):
    """The file is not a BAN addresses file (French message)."""


def read_ban_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a BAN CSV (gzipped or not), streamed; the header is checked before the first row."""
    if not path.is_file():
        raise BanFileError(f"Fichier introuvable : {path}")
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    try:
        with (
            gzip.open(path, "rb") if gzipped else path.open("rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle,
        ):
            reader = csv.DictReader(handle, delimiter=";")
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise BanFileError(
                    f"{path.name} n'est pas un fichier de la BAN : colonne(s) manquante(s) {', '.join(missing)}."
                )
            for row in reader:
                yield {key: (row.get(key) or "").strip() for key in REQUIRED}
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise BanFileError(f"Lecture impossible de {path.name} : {exc}") from exc
