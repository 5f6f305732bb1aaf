"""The monthly report from the relais' own spreadsheet (docs/relais.md, « import »), through the intake readers
(CSV, XLSX or ODS, with their size, zip-bomb and formula checks) and the intake's header matching.

One line per figure, five columns (headers matched loosely, accents and case ignored):
``rubrique`` · ``qpv`` · ``sexe`` · ``destination`` · ``valeur``. The rubriques: « nouvelles personnes » and
« personnes déjà reçues » (with the QPV — code or name, empty: hors QPV — and the sex), « rendez-vous »,
« ateliers », « participants aux ateliers », « orientations » (with the destination: a type of structure),
« événements », « faits marquants » and « difficultés » (text in ``valeur``). Lines of the same rubrique, QPV and
sex add up. Any wrong line refuses the whole file with French messages: nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.utils.translation import gettext as _

from citemploi.accounts.models import StructureKind
from citemploi.core.errors import ValidationFailed
from citemploi.intake.cells import CellError, parse_sex, parse_text
from citemploi.intake.headers import normalise_header, propose_mapping
from citemploi.intake.readers import read_table
from citemploi.relais.values import Reception, ReportChanges
from citemploi.territory.models import QPV

MAX_LINES = 1000
COLUMNS = {
    "rubrique": ("indicateur", "libelle", "rubriques", "ligne"),
    "qpv": ("quartier", "code qpv", "quartier prioritaire"),
    "sexe": ("genre", "sex"),
    "destination": ("type de destination", "orientation vers", "structure"),
    "valeur": ("nombre", "total", "effectif", "texte", "valeurs"),
}
_RUBRIQUES = {
    "new": ("nouvelles personnes", "nouvelles", "nouveaux", "premier accueil"),
    "returning": ("personnes deja recues", "deja recues", "personnes revenues", "revenues", "suivis"),
    "appointments": ("rendez vous", "rdv", "entretiens"),
    "workshops": ("ateliers", "ateliers collectifs"),
    "workshop_attendance": ("participants aux ateliers", "participations aux ateliers", "participants"),
    "orientations": ("orientations",),
    "events": ("evenements", "evenement", "manifestations"),
    "highlights": ("faits marquants",),
    "difficulties": ("difficultes",),
}
RUBRIQUES = {normalise_header(name): key for key, names in _RUBRIQUES.items() for name in names}
_TEXTS = ("highlights", "difficulties")
_COUNTS = ("appointments", "workshops", "workshop_attendance", "events")


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.people: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.orientations: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.qpvs = {normalise_header(code): code for code in QPV.objects.values_list("code", flat=True)}
        self.qpvs.update({normalise_header(name): code for code, name in QPV.objects.values_list("code", "name")})
        self.kinds = {normalise_header(k): k for k in StructureKind.values}
        self.kinds.update({normalise_header(str(label)): k for k, label in StructureKind.choices})

    def fail(self, line: int, message: str) -> None:
        self.errors.append(_("Ligne %(line)s : %(message)s") % {"line": line, "message": message})

    def number(self, value: str) -> int:
        text = value.strip().replace("\u202f", "").replace(" ", "")
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            raise CellError(_("nombre entier attendu, lu « %(value)s ».") % {"value": value[:40]})
        return int(text)

    def qpv(self, value: str) -> str:
        if not value.strip() or normalise_header(value) in ("hors qpv", "inconnu", "aucun"):
            return ""
        code = self.qpvs.get(normalise_header(value))
        if code is None:
            raise CellError(_("quartier inconnu « %(value)s ».") % {"value": value[:60]})
        return code

    def line(self, number: int, cells: dict[str, str]) -> None:
        key = RUBRIQUES.get(normalise_header(cells["rubrique"]))
        if key is None:
            if cells["rubrique"].strip() or cells["valeur"].strip():
                self.fail(number, _("rubrique inconnue « %(value)s ».") % {"value": cells["rubrique"][:60]})
            return
        try:
            if key in _TEXTS:
                self.texts[key].append(parse_text(cells["valeur"], max_length=5000) or "")
            elif key in ("new", "returning"):
                where = (self.qpv(cells["qpv"]), parse_sex(cells["sexe"]) or "")
                self.people[where][0 if key == "new" else 1] += self.number(cells["valeur"])
            elif key == "orientations":
                kind = self.kinds.get(normalise_header(cells["destination"]))
                if kind is None:
                    raise CellError(
                        _("type de destination inconnu « %(value)s ».") % {"value": cells["destination"][:60]}
                    )
                self.orientations[kind] += self.number(cells["valeur"])
            else:
                self.counts[key] += self.number(cells["valeur"])
        except CellError as error:
            self.fail(number, str(error))

    def changes(self) -> ReportChanges:
        return ReportChanges(
            receptions=tuple(Reception(q, s, n, r) for (q, s), (n, r) in sorted(self.people.items())),
            orientations=tuple(sorted(self.orientations.items())),
            highlights="\n".join(t for t in self.texts["highlights"] if t),
            difficulties="\n".join(t for t in self.texts["difficulties"] if t),
            **{name: self.counts[name] for name in _COUNTS},
        )


def read_report(path: Path, *, filename: str) -> ReportChanges:
    """The report written in the file; ``ValidationFailed`` (French, every problem listed) when it cannot be read.
    Reads only: the caller writes through ``services.report_save``."""
    table = read_table(path, filename=filename)
    mapping = propose_mapping(table.headers, COLUMNS)
    if mapping["rubrique"] is None or mapping["valeur"] is None:
        raise ValidationFailed(
            _(
                "Colonnes « rubrique » et « valeur » introuvables : la première ligne doit nommer les colonnes "
                "rubrique, qpv, sexe, destination, valeur."
            )  # fmt: skip
        )
    positions = {name: table.headers.index(h) if h is not None else None for name, h in mapping.items()}
    reader = _Reader()
    for number, row in enumerate(table.rows, start=2):
        if number - 1 > MAX_LINES:
            raise ValidationFailed(_("Plus de %(max)s lignes : ce n'est pas un rapport mensuel.") % {"max": MAX_LINES})
        cells = {name: (row[i] if i is not None and i < len(row) else "") for name, i in positions.items()}
        reader.line(number, cells)
    if reader.errors:
        shown = reader.errors[:10] + (
            [_("… et %(n)s autres.") % {"n": len(reader.errors) - 10}] if len(reader.errors) > 10 else []
        )
        raise ValidationFailed(_("Fichier refusé, rien n'a été enregistré. ") + " ".join(shown))
    return reader.changes()
