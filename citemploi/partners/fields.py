"""A list of slugs stored as delimited text: `|a|b|`.

Why not JSONField: the `contains` lookup on JSON is not available on SQLite, and the census filters on these
lists everywhere (thématique, public, zone). With delimiters, `field__contains="|slug|"` matches one value and
`field__contains="|mobilite--"` a whole category, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.utils.text import capfirst

SEP = "|"


def encode(values: Iterable[str]) -> str:
    items = sorted({str(v).strip() for v in values if str(v).strip()})
    return f"{SEP}{SEP.join(items)}{SEP}" if items else ""


def decode(raw: str | None) -> list[str]:
    return [v for v in (raw or "").split(SEP) if v]


def token(value: str) -> str:
    """The pattern matching one exact value in a stored list."""
    return f"{SEP}{value}{SEP}"


if TYPE_CHECKING:
    _Base = models.TextField[Any, list[str]]
else:
    _Base = models.TextField


class SlugListField(_Base):
    """Text column holding a sorted set of slugs; Python side is a list of str."""

    if TYPE_CHECKING:  # for the django-stubs plugin: what instances accept and hold
        _pyi_private_set_type: list[str] | str  # type: ignore[assignment]
        _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(self, *args: Any, choices_list: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        self.choices_list = choices_list
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: object, connection: object) -> list[str]:
        return decode(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple | set):
            return sorted({str(v) for v in value if v})
        return decode(value)

    def get_prep_value(self, value: Any) -> str:
        # A plain string is a lookup pattern (`contains="|slug|"`) or already encoded: pass it through.
        if isinstance(value, str):
            return value
        return encode(value or [])

    def value_to_string(self, obj: models.Model) -> str:
        return ",".join(self.value_from_object(obj) or [])

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> forms.Field | None:
        return forms.MultipleChoiceField(
            choices=self.choices_list or [],
            required=not self.blank,
            label=capfirst(self.verbose_name),  # as Django's own fields do: the label starts a sentence
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
