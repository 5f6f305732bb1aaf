"""Typed parsers of the intake's cells (docs/intake.md, « Formats acceptés »).

Each parser takes the cell's text as the reader gave it, returns the typed value, ``None`` for an empty cell
(empty means unknown, never "no"), and raises ``CellError`` with a French message for a value it cannot accept:
the caller reports it as an error of that row and column (``RowError``), the rest of the file goes on.

Postcodes and INSEE codes are checked against the communes of the reference data (``territory.Commune``),
loaded once into sets (``reference_codes``), refreshed when a commune is saved or deleted and at most every
REFERENCE_TTL_SECONDS: not one query per cell. A code is refused only where the reference data can tell — in a
département of which communes are loaded; elsewhere its form alone is checked (unknown is never "no").
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.validators import NAME_FORBIDDEN


class CellError(ValueError):
    """One cell cannot be accepted; ``str(error)`` is the French message."""


# --- Text --------------------------------------------------------------------------------------------------------

#: The invisible and control characters of names (core.validators), less tab and line feed: a multi-line cell
#: (Alt+Entrée in a spreadsheet) is text.
_FORBIDDEN = re.compile("[" + NAME_FORBIDDEN.replace(r"\x00-\x1f", r"\x00-\x08\x0b-\x1f") + "]")


def parse_text(v: str, *, max_length: int = 255) -> str | None:
    """The text, stripped and in composed form (NFC); refuses control or invisible characters and over-long text."""
    text = unicodedata.normalize("NFC", v.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        return None
    if len(text) > max_length:
        raise CellError(
            _("Texte trop long : %(length)s caractères, au plus %(max)s.") % {"length": len(text), "max": max_length}
        )
    found = _FORBIDDEN.search(text)
    if found:
        raise CellError(
            _("Caractère de contrôle ou invisible (U+%(code)04X) à la position %(position)s : retapez la valeur.")
            % {"code": ord(found.group()), "position": found.start() + 1}
        )
    return text


def _clean(v: str) -> str:
    return parse_text(v, max_length=1000) or ""


# --- Dates -------------------------------------------------------------------------------------------------------

_FRENCH = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$", re.IGNORECASE
)
_ISO = re.compile(
    r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"^\d{1,5}(?:[.,]\d+)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:er)?\s+([a-zéèûô.]+)\s+(\d{4})$")
_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "février": 2, "fevr": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "août": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "décembre": 12, "dec": 12, "déc": 12,
}  # fmt: skip
#: Excel's day 0 (its serial numbers count from 1899-12-30, the 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)
YEAR_MIN, YEAR_MAX = 1900, 2100
#: Serials of 1900-03-01 .. 2100-12-31: below, Excel's own calendar is wrong; above, not a date.
_SERIAL_MIN, _SERIAL_MAX = 61, 73415


def two_digit_year(yy: int, *, today: date | None = None) -> int:
    """The pivot of JJ/MM/AA: a year not after the current one. In 2026, « 26 » is 2026 and « 27 » is 1927
    (birth dates and past events: nobody is born in the future)."""
    current = (today or timezone.localdate()).year
    century = current - current % 100
    return century + yy if century + yy <= current else century - 100 + yy


def parse_date(v: str) -> date | None:
    """JJ/MM/AAAA, JJ/MM/AA (see two_digit_year), J/M/AAAA, JJ.MM.AAAA, JJ-MM-AAAA, AAAA-MM-JJ (or AAAA/MM/JJ),
    « 1er mars 2024 »,
    a time after any of them (an Excel date and time: the date is kept) and Excel serial numbers (« 45352 »)."""
    text = _clean(v).lower()
    if not text:
        return None
    if match := _ISO.match(text):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := _FRENCH.match(text):
        day, month = int(match[1]), int(match[2])
        year = int(match[3]) if len(match[3]) == 4 else two_digit_year(int(match[3]))
    elif match := _WORDS.match(text):
        day, month, year = int(match[1]), _MONTHS.get(match[2].rstrip("."), 0), int(match[3])
        if not month:
            raise CellError(_("Mois inconnu dans la date « %(value)s ».") % {"value": text})
    elif _SERIAL.match(text):
        return _from_serial(text)
    else:
        raise CellError(_("Date illisible : « %(value)s » (attendu JJ/MM/AAAA).") % {"value": text[:40]})
    return _checked_date(year, month, day, text)


def _from_serial(text: str) -> date:
    serial = float(text.replace(",", "."))
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise CellError(_("Date illisible : « %(value)s » (attendu JJ/MM/AAAA).") % {"value": text})
    return EXCEL_EPOCH + timedelta(days=int(serial))


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CellError(
            _("Année invraisemblable dans la date « %(value)s » (entre %(min)s et %(max)s).")
            % {"value": text, "min": YEAR_MIN, "max": YEAR_MAX}
        )
    if not 1 <= month <= 12:
        raise CellError(_("La date « %(value)s » n'existe pas : le mois doit aller de 1 à 12.") % {"value": text})
    try:
        return date(year, month, day)
    except ValueError:
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        raise CellError(
            _("La date « %(value)s » n'existe pas : ce mois-là a %(days)s jours.") % {"value": text, "days": last}
        ) from None


def parse_datetime(v: str) -> datetime | None:
    """A date with an optional time (« 12/03/2024 14:30 »), as an aware datetime in the current time zone."""
    day = parse_date(v)
    if day is None:
        return None
    match = re.search(r"[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?", _clean(v))
    hour, minute, second = (int(match[1]), int(match[2]), int(match[3] or 0)) if match else (0, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(_("Heure impossible dans « %(value)s ».") % {"value": _clean(v)})
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute, second))


# --- Contact ------------------------------------------------------------------------------------------------------


#: A number written the French way (« 06… », « 0690… ») is tried in metropolitan France, then in the overseas
#: departments and territories that share the national format (libphonenumber files them as regions of their own).
PHONE_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def parse_phone(v: str) -> str | None:
    """E.164 (« +33612345678 »); a French number may be written without its 0 (a number column in a spreadsheet)."""
    text = _clean(v)
    if not text:
        return None
    if text.isdigit() and len(text) == 9 and text[0] in "1234567":
        text = "0" + text  # Excel dropped the leading zero of « 0612345678 »
    for region in PHONE_REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if text.startswith("+") or text.startswith("00"):
            break  # international form: the region does not change it
    raise CellError(_("Numéro de téléphone invalide : « %(value)s ».") % {"value": text[:40]})


def parse_email(v: str) -> str | None:
    """The address, its domain in lower case (the part before @ is kept as written)."""
    text = _clean(v).removeprefix("mailto:").strip()
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(_("Adresse électronique invalide : « %(value)s ».") % {"value": text[:80]}) from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


# --- Codes of the reference data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceCodes:
    insee: frozenset[str]
    postcodes: frozenset[str]
    departments: frozenset[str]  # of the communes loaded: where an unknown code is known to be wrong
    postcode_prefixes: frozenset[str]  # the two first digits of the postcodes loaded


REFERENCE_TTL_SECONDS = 300.0
_cache: dict[str, tuple[float, ReferenceCodes]] = {}
_lock = threading.Lock()


def reference_codes() -> ReferenceCodes:
    """The codes of the loaded communes, cached (one query per REFERENCE_TTL_SECONDS, or after a change)."""
    with _lock:
        cached = _cache.get("codes")
        if cached is not None and time.monotonic() - cached[0] < REFERENCE_TTL_SECONDS:
            return cached[1]
    codes = _load_codes()
    with _lock:
        _cache["codes"] = (time.monotonic(), codes)
    return codes


def clear_reference_cache(**_kwargs: object) -> None:
    """Forget the cached codes (after a bulk load of communes, which sends no signal; in tests)."""
    with _lock:
        _cache.clear()


def _load_codes() -> ReferenceCodes:
    from citemploi.territory.models import Commune

    insee: set[str] = set()
    postcodes: set[str] = set()
    departments: set[str] = set()
    for code, department, listed in Commune.objects.values_list("insee_code", "department", "postcodes").iterator():
        insee.add(code)
        departments.add(department or _department(code))
        postcodes.update(p.strip() for p in listed.split(",") if p.strip())
    return ReferenceCodes(
        frozenset(insee), frozenset(postcodes), frozenset(departments), frozenset(p[:2] for p in postcodes)
    )


# A lazy sender ("app.Model"): connected once the territory app is loaded, without importing its models here.
post_save.connect(clear_reference_cache, sender="territory.Commune", dispatch_uid="intake-cells-commune-saved")
post_delete.connect(clear_reference_cache, sender="territory.Commune", dispatch_uid="intake-cells-commune-deleted")


def _department(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def _digits(text: str) -> str:
    return re.sub(r"[\s.\u00a0\u202f]", "", text)


def parse_postcode(v: str) -> str | None:
    """Five digits (four are taken as a lost leading zero: « 1000 » is 01000), known in the reference data."""
    text = _digits(_clean(v))
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        text = "0" + text
    if not re.fullmatch(r"\d{5}", text):
        raise CellError(_("Code postal invalide : « %(value)s » (5 chiffres attendus).") % {"value": text[:20]})
    codes = reference_codes()
    if text[:2] in codes.postcode_prefixes and text not in codes.postcodes:
        raise CellError(_("Code postal inconnu : « %(value)s » ne correspond à aucune commune.") % {"value": text})
    return text


def parse_insee(v: str) -> str | None:
    """A commune's INSEE code: five characters (2A/2B for Corsica), a lost leading zero restored, known in the
    reference data where it covers the département."""
    text = _digits(_clean(v)).upper()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        text = "0" + text
    if not re.fullmatch(r"(?:\d{2}|2A|2B)\d{3}", text) or text.startswith("20"):
        raise CellError(
            _("Code INSEE invalide : « %(value)s » (5 caractères, 2A ou 2B pour la Corse).") % {"value": text[:20]}
        )
    codes = reference_codes()
    if _department(text) in codes.departments and text not in codes.insee:
        raise CellError(_("Code INSEE inconnu : « %(value)s » n'est le code d'aucune commune.") % {"value": text})
    return text


# --- Small vocabularies -------------------------------------------------------------------------------------------

_YES = {"oui", "o", "1", "vrai", "x", "yes", "y", "true"}
_NO = {"non", "n", "0", "faux", "no", "false"}
_SEX = {
    "f": "F", "femme": "F", "feminin": "F", "féminin": "F", "mme": "F", "madame": "F", "mlle": "F",
    "mademoiselle": "F", "m": "M", "h": "M", "homme": "M", "masculin": "M", "monsieur": "M", "m.": "M", "mr": "M",
}  # fmt: skip


def parse_yes_no(v: str) -> bool | None:
    """oui/non, o/n, 1/0, vrai/faux (and their English forms, « x » for a ticked box); empty is unknown."""
    text = _clean(v).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Réponse illisible : « %(value)s » (attendu oui ou non).") % {"value": text[:40]})


def parse_sex(v: str) -> str | None:
    """F or M (also « Femme », « Homme », « Mme », « M. »…)."""
    text = _clean(v).lower()
    if not text:
        return None
    sex = _SEX.get(text)
    if sex is None:
        raise CellError(_("Sexe illisible : « %(value)s » (attendu F ou M).") % {"value": text[:40]})
    return sex
