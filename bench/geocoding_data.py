"""Generated departmental BAN file and queries for bench/geocoding.py (fictitious names, realistic shapes).

Communes: names made of saints, roots, articles and suffixes (« Saint-Genest-en-Forez », « La Ricavière »), sizes
following a Zipf law (one city of ~45,000 addresses, many villages of a few hundred), several communes sharing a
postcode, the city with three postcodes. Streets: the usual types and names, so the same street name (« Rue de la
Gare ») exists in many communes, including communes sharing a postcode. Houses numbered along each street, odd and
even sides, a few « bis »/« ter ».
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path


def split_words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


SAINTS = split_words(
    "Étienne Chamond Genest Héand Priest Just Galmier Bonnet Romain Jean Paul Marcellin Denis Germain Martin "
    "Julien Victor Symphorien Cyprien Médard Rambert Maurice Christo Haon Didier Sauveur Forgeux Laurent André "
    "Barthélemy Cyr Georges Hilaire Jodard Nizier Pierre Régis Thomas Vincent Alban Bénigne Appolinard Clément "
    "Cyprien Ennemond Fortunat Héand Marcel Michel Paulien Sixte Ferréol Germain Joseph"
)
SAINTES = split_words("Croix Foy Agathe Colombe Catherine Blandine Anne")
ROOTS = split_words(
    "Andrézieux Bouthéon Veauche Firminy Roche Feurs Montbrison Sorbiers Unieux Villars Talaudière Ricamarie "
    "Fraisses Chambon Rive Lorette Cellieu Valfleury Fontanès Marcenod Chazelles Aveizieux Bellegarde Cuzieu "
    "Boisset Craintilleux Unias Veauchette Bonson Sury Luriecq Périgneux Aurec Caloire Chambéon Magneux Marclopt "
    "Montrond Pouilly Rozier Salvizinet Savigneux Sauvain Essertines Lézigneux Margerie Chalmazel Jeansagnière "
    "Roisey Pélussin Maclas Malleval Chavanay Vérin Bessey Lupé Graix Doizieux Farnay Tarentaise Planfoy Rochetaillée "
    "Marlhes Jonzieux Riotord Usson Apinac Estivareilles Merle Gumières Lérigneux Verrières Écotay Champdieu "
    "Pralong Trelins Arthun Ricavière Grézieux Chevrières Virigneux Maringes Viricelles Chazelet Bussières"
)
SUFFIXES = split_words(
    "-en-Jarez -le-Château -sur-Loire -en-Forez -le-Froid -la-Montagne -de-Cornillon -les-Bains -le-Puy "
    "-sur-Coise -en-Donzy -le-Comtal -Lavieu -Malifaux -Lerpt -de-Baroille -sur-Rochefort -le-Molard"
)
TYPES = [("Rue", 40), ("Avenue", 6), ("Boulevard", 2), ("Chemin", 14), ("Impasse", 10), ("Place", 4), ("Allée", 6),
         ("Route", 8), ("Lotissement", 2), ("Square", 1), ("Quai", 1), ("Cours", 1), ("Passage", 2), ("Montée", 2),
         ("Faubourg", 1)]  # fmt: skip
FIRST = split_words(
    "Jean Paul Louis Victor Jules Émile Pierre Marie Anatole Henri Georges Charles Joseph André Marcel Léon "
    "Albert François Antoine Claude Gustave Honoré Lucien Maurice Raymond Simone Louise Jeanne Marcelin Aristide"
)
LAST = split_words(
    "Hugo Jaurès Moulin Pasteur Ferry Zola France Curie Bert Gambetta Clemenceau Briand Herriot Blum Rostand "
    "Daudet Berlioz Massenet Ravel Debussy Gounod Bizet Lamartine Musset Vigny Mistral Péguy Giono Camus Prévert "
    "Aragon Éluard Verlaine Rimbaud Baudelaire Racine Molière Corneille Voltaire Rousseau Diderot Montesquieu "
    "Fourier Ampère Arago Monge Lavoisier Carnot Daguerre Niépce Lumière Michelet Guesde Vaillant Sembat Allende "
    "Neruda Mandela Schweitzer Fleming Calmette Roux Guérin Bérard Dunant Jacquard Thimonnier Fauriel Tézenas"
)
TITLES = split_words("Général Maréchal Docteur Président Professeur Commandant Abbé Capitaine")
NOUNS = split_words(
    "de la Gare|de l'Église|du Stade|des Écoles|de la Mairie|du Moulin|des Lilas|des Peupliers|de la Paix|"
    "de la République|du Château|des Acacias|du Bois|de la Fontaine|des Jardins|du Puits|de la Croix|des Vignes|"
    "des Tilleuls|des Platanes|des Cerisiers|des Pommiers|du Pont|de la Rivière|du Lavoir|du Four|de la Poste|"
    "des Granges|du Bourg|de la Liberté|de la Libération|de l'Europe|des Alpes|du Pilat|du Forez|des Monts|"
    "du Soleil|des Roses|des Mésanges|des Fauvettes|des Hirondelles|des Chênes|des Sapins|des Bouleaux|"
    "du Verger|des Prés|des Champs|de la Chapelle|du Calvaire|du Cimetière|de la Carrière|des Mines|"
    "du Marché|de la Halle|du Commerce|de l'Industrie|des Artisans|du Parc|de la Forêt|des Sources|"
    "du Ruisseau|de l'Étang|des Coteaux|du Plateau|de la Côte|des Terrasses|du Belvédère|des Rochers|"
    "du 8 Mai 1945|du 11 Novembre 1918|du 19 Mars 1962|du 14 Juillet|des Anciens Combattants|de la Résistance|"
    "des Déportés|des Martyrs|du Souvenir|de la Grande Terre|du Bas Bourg|du Haut Bourg|de la Vieille Ville|"
    "des Remparts|de la Tour|du Donjon|du Prieuré|de l'Abbaye|du Couvent|des Cordeliers|des Ursulines",
    "|",
)
EXTRAS = ["appt 12", "Appt. 3", "bât B", "Bâtiment C", "esc. 2", "3e étage", "chez Mme Martin", "BP 45",
          "Résidence Les Tilleuls", "CS 70012", "appartement 104", "escalier A", "bât. 4 appt 21"]  # fmt: skip
LAT0, LON0 = 45.45, 4.30
KINDS = ("clean", "extra", "swapped", "commune typo", "missing postcode", "two typos")
HEADER = split_words(
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
    "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;"
    "source_nom_voie;certification_commune;cad_parcelles",
    ";",
)


@dataclass
class Address:
    number: int
    rep: str
    street: str
    postcode: str
    insee: str
    city: str
    lon: float
    lat: float


@dataclass
class Query:
    kind: str
    address: str
    postcode: str
    city: str
    truth: Address

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.address, self.postcode, self.city) if p)


def commune_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        draw = rng.random()
        if draw < 0.35:
            name = "Saint-" + rng.choice(SAINTS) + (rng.choice(SUFFIXES) if rng.random() < 0.6 else "")
        elif draw < 0.4:
            name = "Sainte-" + rng.choice(SAINTES) + (rng.choice(SUFFIXES) if rng.random() < 0.6 else "")
        elif draw < 0.55:
            name = rng.choice(["La ", "Le ", "Les "]) + rng.choice(ROOTS)
        else:
            name = rng.choice(ROOTS) + (rng.choice(SUFFIXES) if rng.random() < 0.5 else "")
        names.add(name)
    ordered = sorted(names)  # a set's order changes from one process to the next (string hashing)
    rng.shuffle(ordered)
    return ordered


def street_names(rng: random.Random, count: int, neighbours: list[str]) -> list[str]:
    types = [t for t, _w in TYPES]
    weights = [w for _t, w in TYPES]
    out: set[str] = set()
    while len(out) < count:
        kind = rng.choices(types, weights)[0]
        draw = rng.random()
        if draw < 0.45:
            name = rng.choice(NOUNS)
        elif draw < 0.8:
            name = rng.choice(FIRST) + " " + rng.choice(LAST)
        elif draw < 0.9:
            name = "du " + rng.choice(TITLES) + " " + rng.choice(LAST)
        else:
            other = rng.choice(neighbours)
            name = ("d'" if other[0] in "AEIOUÉ" else "de ") + other
        out.add(f"{kind} {name}".replace(" de Le ", " du ").replace(" de Les ", " des "))
    return sorted(out)


def generate(rng: random.Random, total: int = 300_000, communes: int = 320) -> list[Address]:
    names = commune_names(rng, communes)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(communes)]
    scale = total / sum(weights)
    sizes = [max(60, int(w * scale)) for w in weights]
    sizes[0] += total - sum(sizes)
    centres = [(rng.uniform(-55_000, 55_000), rng.uniform(-55_000, 55_000)) for _ in range(communes)]
    postcodes = _postcodes(rng, centres)
    addresses: list[Address] = []
    for c, (name, size) in enumerate(zip(names, sizes, strict=True)):
        insee = f"42{c + 1:03d}"
        radius = 400 + math.sqrt(size) * 28
        cx, cy = centres[c]
        streets = street_names(rng, max(1, size // 22), names[max(0, c - 6) : c + 6])
        left = size
        for s, street in enumerate(streets):
            houses = left if s == len(streets) - 1 else max(1, min(left, int(rng.expovariate(1 / 22)) + 1))
            left -= houses
            if houses <= 0:
                break
            postcode = postcodes[c][s % len(postcodes[c])]
            addresses += _houses(rng, street, postcode, insee, name, houses, cx, cy, radius)
    return addresses[:total]


def _postcodes(rng: random.Random, centres: list[tuple[float, float]]) -> list[list[str]]:
    """The big city has three postcodes; the other communes share theirs by groups of 1 to 5 neighbours."""
    out: list[list[str]] = [["42000", "42100", "42030"]] + [[] for _ in centres[1:]]
    order = sorted(range(1, len(centres)), key=lambda i: (round(centres[i][0] / 20_000), centres[i][1]))
    code = 42110
    i = 0
    while i < len(order):
        group = rng.choice([1, 1, 2, 2, 3, 4, 5])
        for j in order[i : i + group]:
            out[j] = [str(code)]
        code += 10
        i += group
    return out


def _houses(rng, street, postcode, insee, city, count, cx, cy, radius) -> list[Address]:  # type: ignore[no-untyped-def]
    angle = rng.uniform(0, 2 * math.pi)
    distance = radius * math.sqrt(rng.random())
    x0, y0 = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
    heading = rng.uniform(0, 2 * math.pi)
    step = rng.uniform(5, 12)
    out: list[Address] = []
    number = 1
    for _ in range(count):
        along = (number // 2) * step * 2
        side = 7 if number % 2 else -7
        x = x0 + along * math.cos(heading) - side * math.sin(heading)
        y = y0 + along * math.sin(heading) + side * math.cos(heading)
        rep = "bis" if rng.random() < 0.04 else ("ter" if rng.random() < 0.01 else "")
        out.append(Address(number, "", street, postcode, insee, city, *_lonlat(x, y)))
        if rep and len(out) < count:
            out.append(Address(number, rep, street, postcode, insee, city, *_lonlat(x + 2, y)))
        number += 1 if rng.random() < 0.85 else 2
        if len(out) >= count:
            break
    return out[:count]


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return round(LON0 + x / (111_320 * math.cos(math.radians(LAT0))), 7), round(LAT0 + y / 111_320, 7)


def write_ban(addresses: list[Address], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        fantoir: dict[tuple[str, str], int] = {}
        for a in addresses:
            code = fantoir.setdefault((a.insee, a.street), len(fantoir) + 1)
            ban_id = f"{a.insee}_{code:04x}_{a.number:05d}" + (f"_{a.rep}" if a.rep else "")
            writer.writerow([ban_id, f"{a.insee}_{code:04x}", a.number, a.rep, a.street, a.postcode, a.insee, a.city,
                             "", "", "", "", a.lon, a.lat, "entrée", "", "", a.city.upper(), a.street.upper(),
                             "commune", "commune", "1", ""])  # fmt: skip


def typo(rng: random.Random, text: str, protect: int = 0) -> str:
    """One keyboard slip (a letter dropped, doubled, swapped with the next, or replaced) after ``protect``."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and i >= protect]
    if not letters:
        return text
    i = rng.choice(letters)
    kind = rng.randrange(4)
    if kind == 0 and len(letters) > 3:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeioursnlt") + text[i + 1 :]


def commune_typo(rng: random.Random, city: str) -> str:
    draw = rng.random()
    if city.startswith("Saint-") and draw < 0.25:
        return rng.choice(["St-", "St ", ""]) + city[6:]
    if "-" in city and draw < 0.4:
        return typo(rng, city.replace("-", " "))
    return typo(rng, city)


def make_queries(rng: random.Random, addresses: list[Address], count: int = 5000) -> list[Query]:
    chosen = rng.sample(addresses, count)
    out: list[Query] = []
    noisy = KINDS[1:]
    for i, a in enumerate(chosen):
        kind = "clean" if i < count // 2 else noisy[(i - count // 2) * len(noisy) // (count - count // 2)]
        out.append(_query(rng, kind, a))
    return out


def _query(rng: random.Random, kind: str, a: Address) -> Query:
    house = f"{a.number} {a.rep}".strip()
    line = f"{house} {a.street}"
    fields = rng.random() < 0.5
    if kind == "extra":
        extra = rng.choice(EXTRAS)
        line = f"{extra}, {line}" if rng.random() < 0.5 else f"{line} {extra}"
    elif kind == "swapped":
        variant = rng.randrange(3)
        if variant == 0:
            return Query(kind, f"{a.street} {house}", a.postcode, a.city, a)
        if variant == 1:
            return Query(kind, f"{a.postcode} {a.city}, {line}", "", "", a)
        return Query(kind, f"{a.city} {line} {a.postcode}", "", "", a)
    elif kind == "commune typo":
        return Query(kind, line, a.postcode, commune_typo(rng, a.city), a)
    elif kind == "missing postcode":
        return Query(kind, line, "", a.city, a) if fields else Query(kind, f"{line} {a.city}", "", "", a)
    elif kind == "two typos":
        start = len(house) + 1 + len(a.street.split()[0])
        line = typo(rng, typo(rng, line, start), start)
    if fields:
        return Query(kind, line, a.postcode, a.city, a)
    return Query(kind, f"{line} {a.postcode} {a.city}", "", "", a)
