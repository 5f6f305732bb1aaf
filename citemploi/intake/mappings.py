"""Column mappings of a people list (§3): the fields, their synonyms, the shipped mappings, the saved ones.

A mapping is ``{field: header}`` (``""`` for a field the file does not have). The proposal comes from the
headers (``intake.headers.propose_mapping`` with the synonyms below, then the shipped mapping of the chosen
source); a mapping the structure saved for that source wins over both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure
from citemploi.intake import cells
from citemploi.intake.headers import normalise_header, propose_mapping
from citemploi.intake.models import ColumnMapping, Kind


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # lazy French label
    parse: Callable[[str], object]
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _name(value: str) -> object:
    return cells.parse_text(value, max_length=100)


def _address(value: str) -> object:
    return cells.parse_text(value, max_length=250)


def _identifier(value: str) -> object:
    return cells.parse_text(value, max_length=20)


PEOPLE_FIELDS: tuple[Field, ...] = (
    Field("last_name", _("Nom"), _name, True, ("nom", "nom de naissance", "nom_usage", "nom d'usage", "NOM",
                                               "nom de famille", "nom_naissance")),
    Field("first_name", _("Prénom"), _name, True, ("prenom", "prénom", "prenoms", "prénom usuel")),
    Field("birth_date", _("Date de naissance"), cells.parse_date, False,
          ("date de naissance", "date_naissance", "naissance", "né(e) le", "ne le", "date naiss", "ddn")),
    Field("sex", _("Sexe"), cells.parse_sex, False, ("sexe", "genre", "civilite")),
    Field("email", _("Courriel"), cells.parse_email, False, ("email", "e-mail", "courriel", "mail", "adresse mail")),
    Field("phone", _("Téléphone"), cells.parse_phone, False,
          ("telephone", "téléphone", "tel", "tél", "portable", "telephone portable", "mobile")),
    Field("address", _("Adresse"), _address, False,
          ("adresse", "adresse postale", "adresse ligne 1", "rue", "voie", "adresse_ligne_4")),
    Field("postcode", _("Code postal"), cells.parse_postcode, False, ("code postal", "code_postal", "cp")),
    Field("city", _("Commune"), _name, False, ("commune", "ville", "libelle commune", "libelle_commune")),
    Field("imilo_id", _("Identifiant I-Milo"), _identifier, False, ("identifiant i-milo", "id i-milo", "imilo")),
    Field("ft_id", _("Identifiant France Travail"), _identifier, False,
          ("identifiant ft", "identifiant france travail", "id_ft", "identifiant pe")),
)  # fmt: skip
FIELDS_BY_NAME = {f.name: f for f in PEOPLE_FIELDS}

#: The mappings shipped with the product (docs/intake.md, « Correspondances de colonnes »): the headers of each
#: source's usual export.
SHIPPED: dict[str, dict[str, str]] = {
    "Export I-Milo": {
        "imilo_id": "Identifiant I-Milo",
        "last_name": "Nom",
        "first_name": "Prénom",
        "birth_date": "Date de naissance",
        "sex": "Genre",
        "address": "Adresse",
        "postcode": "Code postal",
        "city": "Commune",
        "phone": "Téléphone portable",
        "email": "Courriel",
    },
    "Liste France Travail": {
        "ft_id": "IDENTIFIANT_FT",
        "last_name": "NOM",
        "first_name": "PRENOM",
        "birth_date": "DATE_NAISSANCE",
        "sex": "SEXE",
        "address": "ADRESSE_LIGNE_4",
        "postcode": "CODE_POSTAL",
        "city": "LIBELLE_COMMUNE",
        "phone": "TELEPHONE",
        "email": "EMAIL",
    },
    "Tableau PLIE": {
        "last_name": "nom_usage",
        "first_name": "prenom",
        "birth_date": "ne(e) le",
        "sex": "sexe",
        "address": "adresse",
        "postcode": "cp",
        "city": "ville",
        "phone": "tel",
        "email": "mail",
    },
}


def synonyms() -> dict[str, list[str]]:
    return {f.name: [f.name, *f.synonyms] for f in PEOPLE_FIELDS}


def saved_sources(structure: Structure, kind: str = Kind.PEOPLE) -> list[str]:
    """The sources offered for a new import: the structure's saved mappings, then the shipped ones."""
    saved = list(ColumnMapping.objects.filter(structure=structure, kind=kind).values_list("source", flat=True))
    return saved + [name for name in SHIPPED if name not in saved]


def _restrict(columns: dict[str, str], headers: list[str]) -> dict[str, str]:
    """Keep only the headers the file has (by normalised name), each used once."""
    by_norm = {normalise_header(h): h for h in headers}
    used: set[str] = set()
    result: dict[str, str] = {}
    for name in FIELDS_BY_NAME:
        header = by_norm.get(normalise_header(columns.get(name) or ""), "")
        if header and header not in used:
            result[name] = header
            used.add(header)
        else:
            result[name] = ""
    return result


def propose(headers: list[str], *, structure: Structure, source: str) -> dict[str, str]:
    """The mapping offered for a file: the structure's saved one for ``source``, else the shipped one, else the
    automatic match of headers; a field the chosen mapping leaves empty is completed by the automatic match."""
    automatic = {k: v or "" for k, v in propose_mapping(headers, synonyms()).items()}
    saved = ColumnMapping.objects.filter(structure=structure, kind=Kind.PEOPLE, source=source).first()
    chosen = saved.columns if saved else SHIPPED.get(source, {})
    result = _restrict(chosen, headers) if chosen else dict.fromkeys(FIELDS_BY_NAME, "")
    taken = {h for h in result.values() if h}
    for name, header in automatic.items():
        if not result.get(name) and header and header not in taken:
            result[name] = header
            taken.add(header)
    return result
