"""The local BAN geocoder on a small generated BAN file: the commune typed is honoured, each kind of noise gives
the right house (or « à vérifier » when it cannot be sure), the level of the answer, the index rebuilt on import."""

from __future__ import annotations

import math

import pytest
from django.core.management import call_command

from citemploi.territory.geocoding import GeocodeResult, geocode
from citemploi.territory.geocoding_api import _from_csv_row, _from_feature
from citemploi.territory.geocoding_local import LocalBanGeocoder
from citemploi.territory.geocoding_local.index import get_index
from citemploi.territory.geocoding_local.text import phonetic, tokenise
from citemploi.territory.models import BanAddress, BanStamp
from citemploi.territory.services import ban_stamp

HEADER = (
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
    "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;"
    "source_nom_voie;certification_commune;cad_parcelles"
)
#: insee, name, postcode, centre. Three communes share 42660; the same street names exist in two of them.
COMMUNES = [
    ("42101", "Saint-Genest-Malifaux", "42660", (4.42, 45.34)),
    ("42102", "Marlhes", "42660", (4.39, 45.28)),
    ("42103", "Jonzieux", "42660", (4.36, 45.31)),
    ("42104", "Saint-Priest-en-Jarez", "42270", (4.37, 45.47)),
    ("42105", "La Ricamarie", "42150", (4.36, 45.40)),
]
STREETS = {
    "42101": ["Rue de la Gare", "Place de l'Église", "Rue du 8 Mai 1945"],
    "42102": ["Rue de la Gare", "Rue Victor Hugo", "Chemin des Acacias"],
    "42103": ["Route de Marlhes"],
    "42104": ["Avenue Jean Jaurès", "Rue du Docteur Schweitzer", "Rue de la Gare", "Allée des Peupliers"],
    "42105": ["Impasse des Mineurs", "Boulevard Pasteur"],
}


def house_point(insee: str, street: str, number: int) -> tuple[float, float]:
    """Streets of a commune are 400 m apart; houses 10 m apart along the street."""
    centre = next(c[3] for c in COMMUNES if c[0] == insee)
    s = STREETS[insee].index(street)
    return round(centre[0] + number * 0.00013, 7), round(centre[1] + s * 0.0036, 7)


def write_ban(path, extra: tuple[str, str, str] | None = None) -> None:
    lines = [HEADER]
    for insee, name, postcode, _centre in COMMUNES:
        for s, street in enumerate(STREETS[insee] + ([extra[1]] if extra and extra[0] == insee else [])):
            for number in range(1, 31):
                lon, lat = house_point(insee, street, number) if street in STREETS[insee] else (0.1 + number, 45.0)
                for rep in ("", "bis") if number == 12 else ("",):
                    ban_id = f"{insee}_{s:04d}_{number:05d}" + (f"_{rep}" if rep else "")
                    lon_rep = lon + (0.00002 if rep else 0)
                    lines.append(f"{ban_id};;{number};{rep};{street};{postcode};{insee};{name};;;;;{lon_rep};{lat};"
                                 "entrée;;;;;;;;")  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def local_ban(db, tmp_path, settings):
    settings.GEOCODER = "ban_local"
    path = tmp_path / "adresses-42.csv"
    write_ban(path)
    call_command("ban", "import", str(path))
    return path


def distance_m(result: GeocodeResult, insee: str, street: str, number: int) -> float:
    lon, lat = house_point(insee, street, number)
    return math.hypot((result.lon - lon) * 78_000, (result.lat - lat) * 111_000)


def assert_house(result, insee, street, number, *, confident=True):
    assert result is not None
    assert result.insee_code == insee and distance_m(result, insee, street, number) < 5, result
    assert result.level == "housenumber"
    assert result.needs_check is not confident, result


# --- §1: the commune typed is honoured --------------------------------------------------------------------------


def test_postcode_shared_by_communes_the_commune_typed_wins(local_ban):
    marlhes = geocode("12 rue de la Gare", postcode="42660", city="Marlhes")
    assert_house(marlhes, "42102", "Rue de la Gare", 12)
    genest = geocode("12 rue de la Gare 42660 Saint-Genest-Malifaux")
    assert_house(genest, "42101", "Rue de la Gare", 12)


def test_street_only_in_another_commune_of_the_postcode_is_never_confident(local_ban):
    # Jonzieux has no « Rue de la Gare »: Marlhes and Saint-Genest-Malifaux have one, 7 km apart.
    result = geocode("12 rue de la Gare", postcode="42660", city="Jonzieux")
    assert result is not None and result.needs_check
    # No commune typed and the street in two communes of the postcode: « à vérifier » as well.
    assert geocode("12 rue de la Gare", postcode="42660").needs_check
    # A street that exists in one commune of the postcode only is a confident answer.
    assert_house(geocode("7 rue Victor Hugo", postcode="42660"), "42102", "Rue Victor Hugo", 7)


# --- §2: tokenisation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "rep", "words"),
    [
        ("rue Victor Hugo 45", 45, "", ["rue", "victor", "hugo"]),
        ("45 bis rue Victor Hugo", 45, "bis", ["rue", "victor", "hugo"]),
        ("45B rue Victor Hugo", 45, "bis", ["rue", "victor", "hugo"]),
        (
            "Appt 12, bât. B, esc 3, 2e étage, 45 rue Victor Hugo BP 12 CS 70001 cedex",
            45,
            "",
            ["rue", "victor", "hugo"],
        ),
        ("chez Mme Martin, 45 r. V. Hugo", 45, "", ["rue", "v", "hugo"]),
        ("Résidence Les Tilleuls 45 av Victor Hugo", 45, "", ["avenue", "victor", "hugo"]),
        ("45 allée des Fauvettes Résidence Les Tilleuls", 45, "", ["allee", "des", "fauvettes"]),
        ("Résidence du Parc 12", 12, "", ["residence", "du", "parc"]),  # the BAN has such streets
        ("rue de la Porte 7", 7, "", ["rue", "de", "la", "porte"]),
        ("12 rue du 8 Mai 1945", 12, "", ["rue", "du", "8", "mai", "1945"]),
        ("Marlhes 12 rue du 8 Mai 1945", 12, "", ["marlhes", "rue", "du", "8", "mai", "1945"]),
    ],
)
def test_tokenise_drops_noise_and_finds_the_number_anywhere(text, number, rep, words):
    tokens = tokenise(text)
    assert (tokens.number, tokens.rep, tokens.flat) == (number, rep, words)


def test_french_phonetic_key():
    assert phonetic("jaures") == phonetic("jores")
    assert phonetic("etienne") == phonetic("etiene")
    assert phonetic("chemin") == phonetic("chemain")
    assert phonetic("gare") != phonetic("garde")


# --- §2: each kind of noise -------------------------------------------------------------------------------------

CASES = {
    "clean": ("15 Avenue Jean Jaurès", "42270", "Saint-Priest-en-Jarez"),
    "extra words": ("Appt 12, bât B, 15 avenue Jean Jaurès 3e étage", "42270", "Saint-Priest-en-Jarez"),
    "chez": ("chez M. Dupont 15 av. Jean Jaurès", "42270", "Saint-Priest-en-Jarez"),
    "swapped order": ("Avenue Jean Jaurès 15", "42270", "Saint-Priest-en-Jarez"),
    "swapped, commune first": ("42270 Saint-Priest-en-Jarez, 15 avenue Jean Jaurès", "", ""),
    "commune typo": ("15 avenue Jean Jaurès", "42270", "Saint-Preist-en-Jarez"),
    "St, no hyphens": ("15 avenue Jean Jaurès", "42270", "St Priest en Jarez"),
    "no Saint-": ("15 avenue Jean Jaurès", "42270", "Priest-en-Jarez"),
    "missing postcode": ("15 avenue Jean Jaurès", "", "Saint-Priest-en-Jarez"),
    "missing postcode, one string": ("15 avenue Jean Jaurès Saint-Priest-en-Jarez", "", ""),
    "missing postcode and commune typo": ("15 avenue Jean Jaurès", "", "Saint-Prist-en-Jarez"),
    "two typos": ("15 avenue Jaen Jaurs", "42270", "Saint-Priest-en-Jarez"),
    "abbreviations": ("15 av J. Jaurès", "42270", "St-Priest-en-Jarez"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_noise_kind_finds_the_house(local_ban, case):
    address, postcode, city = CASES[case]
    result = geocode(address, postcode=postcode, city=city)
    assert_house(result, "42104", "Avenue Jean Jaurès", 15)
    assert result.postcode == "42270"  # a missing postcode comes from the commune


def test_repetition_index(local_ban):
    result = geocode("12 bis rue de la Gare", postcode="42270")
    assert result.label == "12 bis Rue de la Gare 42270 Saint-Priest-en-Jarez" and not result.needs_check
    assert geocode("12B rue de la Gare", postcode="42270").label.startswith("12 bis ")
    assert geocode("12 rue de la Gare", postcode="42270").label.startswith("12 Rue")


def test_uncertain_answers_are_to_check(local_ban):
    # A commune nobody can recognise and no postcode: the street of the whole file, never confident.
    vague = geocode("15 avenue Jean Jaurès", city="Xyzzyville")
    assert vague is not None and vague.insee_code == "42104" and vague.needs_check
    # Too far from any street name.
    far = geocode("15 avnue Jn Jrs", postcode="42270", city="Saint-Priest-en-Jarez")
    assert far is None or far.needs_check or distance_m(far, "42104", "Avenue Jean Jaurès", 15) < 5
    # Another street type than the one of the street found (« route » is not « rue »).
    other_type = geocode("12 route de la Gare", postcode="42270", city="Saint-Priest-en-Jarez")
    assert other_type.insee_code == "42104" and other_type.needs_check
    # A commune typed in the wrong postcode: the two disagree.
    assert geocode("5 impasse des Mineurs", postcode="42270", city="La Ricamarie").needs_check


# --- levels -----------------------------------------------------------------------------------------------------


def test_levels_of_the_fallback_ladder(local_ban):
    house = geocode("3 boulevard Pasteur", postcode="42150")
    assert (house.level, house.needs_check) == ("housenumber", False)
    no_number = geocode("boulevard Pasteur", postcode="42150")
    assert (no_number.level, no_number.needs_check, no_number.insee_code) == ("street", True, "42105")
    assert no_number.label == "Boulevard Pasteur 42150 La Ricamarie"
    unknown_number = geocode("99 boulevard Pasteur", postcode="42150")
    assert (unknown_number.level, unknown_number.needs_check) == ("street", True)
    assert distance_m(unknown_number, "42105", "Boulevard Pasteur", 30) < 5  # the nearest existing house
    commune = geocode("rue totalement inconnue", postcode="42150")
    assert (commune.level, commune.needs_check, commune.insee_code) == ("municipality", True, "42105")
    assert commune.label == "42150 La Ricamarie"


def test_api_back_end_fills_the_level_from_the_type():
    feature = {"geometry": {"coordinates": [4.39, 45.44]}, "properties": {"score": 0.9, "type": "street"}}
    street = _from_feature(feature)
    assert (street.level, street.needs_check) == ("street", True)
    feature["properties"]["type"] = "housenumber"
    assert _from_feature(feature).level == "housenumber"
    row = {"longitude": "4.39", "latitude": "45.44", "result_score": "0.9", "result_type": "municipality"}
    assert _from_csv_row(row).level == "municipality"


# --- §3: one index per process, rebuilt when the data changes ---------------------------------------------------


def test_index_kept_then_rebuilt_when_another_import_happens(local_ban, tmp_path, django_assert_max_num_queries):
    first = get_index()
    with django_assert_max_num_queries(1):  # only the version stamp is read
        assert get_index() is first
    with django_assert_max_num_queries(1):
        assert LocalBanGeocoder().geocode("3 boulevard Pasteur", postcode="42150").level == "housenumber"
    assert geocode("4 rue des Nouveaux", postcode="42150").level == "municipality"
    path = tmp_path / "v2.csv"
    write_ban(path, extra=("42105", "Rue des Nouveaux Jardins", ""))
    call_command("ban", "import", str(path))
    assert BanStamp.objects.count() == 2
    found = geocode("4 rue des Nouveaux Jardins", postcode="42150")
    assert get_index() is not first and found.label == "4 Rue des Nouveaux Jardins 42150 La Ricamarie"


def test_a_stamp_from_another_process_is_seen(local_ban):
    first = get_index()
    ban_stamp(count=0, source="autre processus")
    assert get_index() is not first


def test_an_address_saved_one_by_one_is_seen(local_ban):
    assert geocode("3 rue Neuve", postcode="42150").level == "municipality"
    BanAddress.objects.create(ban_id="42105_9999_00003", number=3, street="Rue Neuve", street_norm="rue neuve",
                              postcode="42150", insee_code="42105", city="La Ricamarie", city_norm="la ricamarie",
                              lon=4.3, lat=45.4)  # fmt: skip
    assert geocode("3 rue Neuve", postcode="42150").label == "3 Rue Neuve 42150 La Ricamarie"


def test_geocode_many_answers_like_geocode(local_ban):
    queries = [(a, p, c) for a, p, c in CASES.values()]
    assert LocalBanGeocoder().geocode_many(queries) == [geocode(a, postcode=p, city=c) for a, p, c in queries]
