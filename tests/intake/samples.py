"""Sample partner files in the shapes of the shipped mappings (« Export I-Milo », « Liste France Travail »,
« Tableau PLIE »), with fictitious people (Faker fr_FR) living on fictitious streets of a test territory: one
square QPV around a point of Saint-Étienne, addresses inside it, outside it and near its edge (BAN format rows
for the local geocoder). Used by the tests, the browser test and ``bench/intake.py``."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from citemploi.intake.mappings import SHIPPED

CENTRE = (4.39, 45.44)
M_LON, M_LAT = 1 / 78_000, 1 / 111_000
QPV_SIZE_M = 800
STREETS_IN = ["Rue des Essais", "Allée des Exemples", "Place du Jeu d'Essai"]
STREETS_OUT = ["Chemin des Fictions", "Boulevard Imaginaire", "Impasse de la Démonstration"]
STREET_EDGE = "Rue de la Lisière Fictive"
HOUSES = 80


@dataclass(frozen=True)
class Territory:
    qpv_code: str


def ban_rows(houses: int = HOUSES) -> Iterator[dict[str, object]]:
    """The test territory's addresses: inside the square (≤ 200 m from its centre), 3 km away, and on its edge;
    ``houses`` numbers per street, spread over the same lengths (the benchmark asks for more)."""
    lon, lat = CENTRE
    step = 160 / houses  # metres between two numbers: 2 m for the default 80
    for s, street in enumerate(STREETS_IN + STREETS_OUT + [STREET_EDGE]):
        for number in range(1, houses + 1):
            if street in STREETS_IN:
                x, y = (number * step - 80) * M_LON, (s * 60 - 60) * M_LAT
            elif street == STREET_EDGE:
                x, y = (QPV_SIZE_M / 2 - 5) * M_LON, (number * step - 80) * M_LAT
            else:  # Fontanès, a commune without QPV: « hors QPV » for certain
                x, y = (3800 + number * step * 2.5) * M_LON, (11800 + s * 100) * M_LAT
            commune = ("42140", "42096", "Fontanès") if street in STREETS_OUT else ("42000", "42218", "Saint-Étienne")
            yield {"ban_id": f"{commune[1]}_{9000 + s}_{number:05d}", "number": number, "street": street,
                   "postcode": commune[0], "insee_code": commune[1], "city": commune[2],
                   "lon": lon + x, "lat": lat + y}  # fmt: skip


def load_territory(code: str = "QN04299M") -> Territory:
    """The square QPV and the addresses in the database (the local geocoder reads them)."""
    from citemploi.territory.geocoding_local import normalize
    from citemploi.territory.models import BanAddress
    from tests.factories.territory import load_square_qpv

    load_square_qpv(code=code, lon=CENTRE[0], lat=CENTRE[1], size_m=QPV_SIZE_M)
    BanAddress.objects.bulk_create(
        [
            BanAddress(**row, street_norm=normalize(str(row["street"])), city_norm=normalize(str(row["city"])))
            for row in ban_rows()
        ],
        ignore_conflicts=True,
    )
    return Territory(code)


def write_ban_csv(path: Path, houses: int = HOUSES) -> Path:
    """The same addresses as a BAN file (``citemploi ban import``), for the benchmark."""
    header = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
              "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
              "source_position;source_nom_voie;certification_commune;cad_parcelles")  # fmt: skip
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for r in ban_rows(houses):
            handle.write(f"{r['ban_id']};;{r['number']};;{r['street']};{r['postcode']};{r['insee_code']};{r['city']};"
                         f";;;;{r['lon']};{r['lat']};entrée;;;SAINT-ETIENNE;;commune;commune;;\n")  # fmt: skip
    return path


@dataclass
class Person:
    last_name: str
    first_name: str
    birth: str  # JJ/MM/AAAA
    sex: str
    address: str
    postcode: str
    city: str
    phone: str
    email: str
    ident: str


def people(
    n: int, *, seed: int = 12, in_share: float = 0.5, edge_share: float = 0.05, houses: int = HOUSES
) -> list[Person]:
    """``n`` fictitious people: ``in_share`` of them on streets inside the QPV, ``edge_share`` on its edge, at one
    of ``houses`` numbers of their street."""
    from faker import Faker

    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    result = []
    for i in range(n):
        draw = rnd.random()
        street = (rnd.choice(STREETS_IN) if draw < in_share else STREET_EDGE if draw < in_share + edge_share
                  else rnd.choice(STREETS_OUT))  # fmt: skip
        sex = rnd.choice("FM")
        first = fake.first_name_female() if sex == "F" else fake.first_name_male()
        birth = fake.date_of_birth(minimum_age=16, maximum_age=64)
        postcode, city = ("42140", "Fontanès") if street in STREETS_OUT else ("42000", "Saint-Étienne")
        result.append(Person(fake.last_name(), first, birth.strftime("%d/%m/%Y"), sex,
                             f"{rnd.randint(1, houses)} {street}", postcode, city,
                             f"061{rnd.randint(0, 9_999_999):07d}", f"personne{i}@exemple.test", f"T{seed}{i:07d}"))  # fmt: skip
    return result


def as_rows(source: str, persons: list[Person]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows in the shape of a shipped mapping's source."""
    mapping = SHIPPED[source]
    fields = list(mapping)
    headers = [mapping[f] for f in fields]
    values = {
        "last_name": lambda p: p.last_name, "first_name": lambda p: p.first_name, "birth_date": lambda p: p.birth,
        "sex": lambda p: p.sex, "address": lambda p: p.address, "postcode": lambda p: p.postcode,
        "city": lambda p: p.city, "phone": lambda p: p.phone, "email": lambda p: p.email,
        "imilo_id": lambda p: p.ident, "ft_id": lambda p: p.ident,
    }  # fmt: skip
    return headers, [[values[f](p) for f in fields] for p in persons]


def write_xlsx(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("Export")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    return path


def write_csv(path: Path, headers: list[str], rows: list[list[str]], *, delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path
