"""The typed cell parsers of the intake."""

from __future__ import annotations

import datetime as dt

import pytest

from citemploi.intake import cells
from citemploi.intake.cells import CellError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/02/1990", dt.date(1990, 2, 1)),
        ("1/2/1990", dt.date(1990, 2, 1)),
        (" 01.02.1990 ", dt.date(1990, 2, 1)),
        ("01-02-1990", dt.date(1990, 2, 1)),
        ("1990-02-01", dt.date(1990, 2, 1)),
        ("1990-02-01 00:00:00", dt.date(1990, 2, 1)),
        ("2024-03-01T14:30:00", dt.date(2024, 3, 1)),
        ("2024-03-01T14:30:00Z", dt.date(2024, 3, 1)),
        ("2024-03-01T14:30:00+01:00", dt.date(2024, 3, 1)),
        ("2024/03/01", dt.date(2024, 3, 1)),
        ("01/03/2024 14h30", dt.date(2024, 3, 1)),
        ("1er mars 2024", dt.date(2024, 3, 1)),
        ("12 févr. 1990", dt.date(1990, 2, 12)),
        ("45352", dt.date(2024, 3, 1)),  # Excel serial number
        ("45352.5", dt.date(2024, 3, 1)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_date(text, expected):
    assert cells.parse_date(text) == expected


def test_two_digit_years_pivot_on_the_current_year():
    today = dt.date(2026, 6, 1)
    assert cells.two_digit_year(26, today=today) == 2026
    assert cells.two_digit_year(27, today=today) == 1927
    assert cells.two_digit_year(5, today=today) == 2005
    assert cells.two_digit_year(90, today=today) == 1990
    assert cells.parse_date("01/02/90") == dt.date(1990, 2, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2024", "n'existe pas : ce mois-là a 29 jours"),
        ("31/04/2023", "ce mois-là a 30 jours"),
        ("29/02/2023", "ce mois-là a 28 jours"),
        ("12/13/2024", "le mois doit aller de 1 à 12"),
        ("01/01/1850", "Année invraisemblable"),
        ("demain", "Date illisible"),
        ("12 brumaire 1990", "Mois inconnu"),
        ("99999999", "Date illisible"),
        ("12", "Date illisible"),
        ("2024-03/01", "Date illisible"),
    ],
)
def test_parse_date_refuses_with_a_french_message(text, message):
    with pytest.raises(CellError, match=message):
        cells.parse_date(text)


def test_parse_datetime():
    value = cells.parse_datetime("01/03/2024 14:30")
    assert value is not None and value.tzinfo is not None
    assert (value.date(), value.hour, value.minute) == (dt.date(2024, 3, 1), 14, 30)
    assert cells.parse_datetime("") is None
    with pytest.raises(CellError, match="Heure impossible"):
        cells.parse_datetime("01/03/2024 25:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("612345678", "+33612345678"),  # the leading zero lost in a number column
        ("04 77 12 34 56", "+33477123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0690 12 34 56", "+590690123456"),  # Guadeloupe, written the national way
        ("0262 12 34 56", "+262262123456"),  # La Réunion
        ("", None),
    ],
)
def test_parse_phone(text, expected):
    assert cells.parse_phone(text) == expected


@pytest.mark.parametrize("text", ["12", "06 12 34", "pas de numéro", "+33 6 12 34 56 78 99"])
def test_parse_phone_refuses(text):
    with pytest.raises(CellError, match="Numéro de téléphone invalide"):
        cells.parse_phone(text)


def test_parse_email():
    assert cells.parse_email(" Alice.Fictif@Exemple.FR ") == "Alice.Fictif@exemple.fr"
    assert cells.parse_email("mailto:a@exemple.fr") == "a@exemple.fr"
    assert cells.parse_email("") is None
    for bad in ["alice", "alice@", "alice@exemple", "a b@exemple.fr"]:
        with pytest.raises(CellError, match="Adresse électronique invalide"):
            cells.parse_email(bad)


def test_parse_text():
    assert cells.parse_text("  Élodie  ") == "Élodie"
    assert cells.parse_text("E\u0301lodie") == "Élodie"  # composed (NFC)
    assert cells.parse_text("12 rue X\r\nBât. B") == "12 rue X\nBât. B"
    assert cells.parse_text("") is None
    with pytest.raises(CellError, match="Texte trop long : 10000 caractères, au plus 255"):
        cells.parse_text("x" * 10_000)
    assert cells.parse_text("x" * 10_000, max_length=10_000) == "x" * 10_000
    for bad in ["Fic\x07tif", "Fic\x00tif", "Fictif\u202e", "Fic\u200btif", "a\x85b"]:
        with pytest.raises(CellError, match="Caractère de contrôle ou invisible"):
            cells.parse_text(bad)


def test_every_parser_refuses_an_overlong_or_control_cell():
    for parser in (cells.parse_date, cells.parse_phone, cells.parse_email, cells.parse_sex, cells.parse_yes_no):
        with pytest.raises(CellError):
            parser("1" * 10_000)
        with pytest.raises(CellError):
            parser("0\x0b1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("oui", True), ("OUI", True), ("o", True), ("1", True), ("Vrai", True), ("x", True), ("non", False),
     ("N", False), ("0", False), ("faux", False), ("FALSE", False), ("", None)],
)  # fmt: skip
def test_parse_yes_no(text, expected):
    assert cells.parse_yes_no(text) is expected


def test_parse_yes_no_refuses():
    with pytest.raises(CellError, match="attendu oui ou non"):
        cells.parse_yes_no("peut-être")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("F", "F"), ("f", "F"), ("Femme", "F"), ("Mme", "F"), ("M", "M"), ("H", "M"), ("Homme", "M"), ("M.", "M"),
     ("", None)],
)  # fmt: skip
def test_parse_sex(text, expected):
    assert cells.parse_sex(text) == expected


def test_parse_sex_refuses():
    with pytest.raises(CellError, match="attendu F ou M"):
        cells.parse_sex("X")


@pytest.fixture
def communes(db):
    from citemploi.territory.models import Commune

    cells.clear_reference_cache()
    Commune.objects.create(insee_code="42218", name="Saint-Étienne", department="42", postcodes="42000,42100")
    Commune.objects.create(insee_code="42187", name="Roanne", department="42", postcodes="42300")
    Commune.objects.create(insee_code="2A004", name="Ajaccio", department="2A", postcodes="20000,20090")
    Commune.objects.create(insee_code="01004", name="Ambérieu-en-Bugey", department="01", postcodes="01500")
    yield
    cells.clear_reference_cache()


def test_postcodes_are_checked_where_the_reference_data_covers_them(communes):
    assert cells.parse_postcode("42000") == "42000"
    assert cells.parse_postcode(" 42 100 ") == "42100"
    assert cells.parse_postcode("1500") == "01500"  # the leading zero lost in a number column
    assert cells.parse_postcode("") is None
    with pytest.raises(CellError, match="Code postal inconnu"):
        cells.parse_postcode("42999")
    assert cells.parse_postcode("69001") == "69001"  # Rhône not loaded: its form only is checked
    for bad in ["420", "4200000", "42OOO"]:
        with pytest.raises(CellError, match="Code postal invalide"):
            cells.parse_postcode(bad)


def test_insee_codes_are_checked_where_the_reference_data_covers_them(communes):
    assert cells.parse_insee("42218") == "42218"
    assert cells.parse_insee("2a004") == "2A004"
    assert cells.parse_insee("1004") == "01004"
    assert cells.parse_insee("69123") == "69123"  # not loaded: unknown, not wrong
    assert cells.parse_insee("") is None
    with pytest.raises(CellError, match="Code INSEE inconnu"):
        cells.parse_insee("42999")
    with pytest.raises(CellError, match="Code INSEE inconnu"):
        cells.parse_insee("2A999")
    for bad in ["4221", "422180", "20004", "2C004"]:
        if bad == "4221":
            continue  # four digits are a lost zero (04221): Alpes-de-Haute-Provence, not loaded
        with pytest.raises(CellError, match="Code INSEE invalide"):
            cells.parse_insee(bad)


def test_reference_codes_are_loaded_once_and_refreshed_on_change(communes, django_assert_num_queries):
    from citemploi.territory.models import Commune

    cells.parse_postcode("42000")
    with django_assert_num_queries(0):
        for _n in range(100):
            cells.parse_postcode("42300")
            cells.parse_insee("42187")
    Commune.objects.create(insee_code="42999", name="Commune fictive", department="42", postcodes="42999")
    with django_assert_num_queries(1):
        assert cells.parse_insee("42999") == "42999"
        assert cells.parse_postcode("42999") == "42999"


def test_nothing_is_refused_without_reference_data(db):
    cells.clear_reference_cache()
    assert cells.parse_postcode("42999") == "42999"
    assert cells.parse_insee("42999") == "42999"
