"""The files of ``citemploi intake dedupe`` (issue 12 §5, contract in docs/intake.md).

Input: a UTF-8 CSV (with or without BOM), comma-separated, header ``id,nom,prenom,date_naissance,sexe,email,
telephone,adresse,code_postal,commune`` (columns in any order; others ignored); every column but ``id`` may be
empty; dates ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``. Anything else stops with one French message naming the line:
nothing is written. Output: ``id,cluster,a_verifier_avec``, one line per input row, in input order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from citemploi.core.errors import ValidationFailed
from citemploi.core.exports import SafeCsvWriter
from citemploi.intake.linkage.records import LinkRecord

COLUMNS = ("id", "nom", "prenom", "date_naissance", "sexe", "email", "telephone", "adresse", "code_postal", "commune")
OUTPUT_COLUMNS = ("id", "cluster", "a_verifier_avec")
_SEXES = {"f": "F", "femme": "F", "m": "M", "h": "M", "homme": "M"}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRENCH = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


class LinkFileError(ValidationFailed):
    """The file does not follow the contract (message in French, with the line)."""


def _date(text: str, line: int) -> date | None:
    text = text.strip()
    if not text:
        return None
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _FRENCH.fullmatch(text):
        day, month, year = match.groups()
    else:
        year = month = day = ""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise LinkFileError(
            _("Ligne %(line)d, date_naissance : « %(value)s » n'est pas une date AAAA-MM-JJ ou JJ/MM/AAAA.")
            % {"line": line, "value": text[:40]}
        ) from None


def _sex(text: str, line: int) -> str:
    value = text.strip().lower()
    if not value:
        return ""
    if value not in _SEXES:
        raise LinkFileError(
            _("Ligne %(line)d, sexe : « %(value)s » n'est pas F ou M.") % {"line": line, "value": text[:40]}
        )
    return _SEXES[value]


def _header(row: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        raise LinkFileError(_("Colonne(s) en double dans l'en-tête : %(cols)s.") % {"cols": ", ".join(duplicated)})
    missing = [column for column in COLUMNS if column not in names]
    if missing and len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        raise LinkFileError(
            _("Le séparateur des colonnes doit être la virgule (en-tête : %(expected)s).")
            % {"expected": ",".join(COLUMNS)}
        )
    if missing:
        raise LinkFileError(
            _("En-tête incomplet : il manque %(missing)s (en-tête attendu : %(expected)s, séparé par des virgules).")
            % {"missing": ", ".join(missing), "expected": ",".join(COLUMNS)}
        )
    return {column: names.index(column) for column in COLUMNS}


def read_records(path: Path) -> list[LinkRecord]:
    """The file's records, in file order; raises ``LinkFileError`` on the first problem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise LinkFileError(_("Fichier illisible : %(error)s.") % {"error": exc.strerror or exc}) from None
    except UnicodeDecodeError:
        raise LinkFileError(_("Le fichier n'est pas encodé en UTF-8.")) from None
    if "\x00" in text:
        raise LinkFileError(_("Le fichier contient des caractères nuls : ce n'est pas un fichier CSV texte."))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise LinkFileError(_("Le fichier est vide (aucun en-tête)."))
        position = _header(header)
        records: list[LinkRecord] = []
        seen: set[str] = set()
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise LinkFileError(
                    _("Ligne %(line)d : %(found)d colonne(s) au lieu de %(expected)d.")
                    % {"line": line, "found": len(row), "expected": len(header)}
                )
            cell = {column: row[index].strip() for column, index in position.items()}
            record_id = cell["id"]
            if not record_id:
                raise LinkFileError(_("Ligne %(line)d : l'id est vide.") % {"line": line})
            if record_id in seen:
                raise LinkFileError(
                    _("Ligne %(line)d : l'id « %(id)s » est déjà utilisé plus haut.") % {"line": line, "id": record_id}
                )
            seen.add(record_id)
            records.append(
                LinkRecord(
                    id=record_id,
                    last_name=cell["nom"],
                    first_name=cell["prenom"],
                    birth_date=_date(cell["date_naissance"], line),
                    sex=_sex(cell["sexe"], line),
                    email=cell["email"],
                    phone=cell["telephone"],
                    address=cell["adresse"],
                    postcode=cell["code_postal"],
                    commune=cell["commune"],
                )
            )
    except csv.Error as exc:
        raise LinkFileError(
            _("Ligne %(line)d : CSV mal formé (%(error)s).") % {"line": reader.line_num, "error": exc}
        ) from None
    return records


def write_result(
    path: Path, records: Sequence[LinkRecord], cluster_of: Mapping[str, str], review: Mapping[str, Sequence[str]]
) -> None:
    """``id,cluster,a_verifier_avec`` (the ids to review separated by ``|``), cells neutralised (core.exports)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for record in records:
            writer.writerow([record.id, cluster_of[record.id], "|".join(review.get(record.id, ()))])
