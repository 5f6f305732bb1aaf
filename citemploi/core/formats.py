"""French number, amount and age formatting: the one place that decides how figures read in the interface.

- thousands separator: narrow no-break space (U+202F), as the Imprimerie nationale and CLDR « fr » recommend;
- decimal comma;
- amounts: « 1 234,56 € », the euro sign after a no-break space (U+00A0), whole amounts without « ,00 »;
- ages: « 41 ans », « 1 an »; « À 41 ans » at the start of a sentence.

Used by the template filters of citemploi/www/templatetags/ui.py and by the eligibility engine's messages.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDS = "\u202f"
NBSP = "\u00a0"


def fr_number(value: object, decimals: int | None = None) -> str:
    """« 12 345 », « 1 234,5 » (decimals=None keeps the value's own decimals), « 1 234,50 » (decimals=2).
    None or text that is not a number comes back as it is (str)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + THOUSANDS.join(groups)
    return f"{result},{fraction}" if fraction else result


def fr_euros(value: object) -> str:
    """« 1 234,56 € »; a whole amount reads « 500 € »."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    decimals = 0 if number == number.to_integral_value() else 2
    return f"{fr_number(number, decimals)}{NBSP}€"


def age(years: int | None) -> str:
    """« 41 ans », « 1 an » (an age under 2 is singular in French); None → ""."""
    if years is None:
        return ""
    return f"{fr_number(years)}{NBSP}{'an' if abs(int(years)) < 2 else 'ans'}"


def at_age(years: int | None) -> str:
    """« À 41 ans » (the capital keeps its accent)."""
    return f"À {age(years)}" if years is not None else ""
