"""Form rendering helpers: Bootstrap classes and the ARIA links between a field, its help and its errors."""

from __future__ import annotations

import copy

from django import forms, template
from django.utils.safestring import SafeString

from citemploi.core import formats

register = template.Library()


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.simple_tag
def widget(field: forms.BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {"class": _css_class(field.field.widget) + (" is-invalid" if field.errors else "")}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-aide")
    if field.errors:
        described.append(f"{field.auto_id}-erreur")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if is_choice_group(field):
        # A copy: the form's own widget keeps Django's template for any other rendering.
        group = copy.copy(field.field.widget)
        group.template_name = "includes/widgets/choice_group.html"
        return field.as_widget(widget=group, attrs=attrs)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_group(field: forms.BoundField) -> bool:
    """Radio buttons and checkbox lists: a group of inputs, named by a fieldset legend rather than one label."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def fr_number(value: object, decimals: int | None = None) -> str:
    """« 12 345 » with a narrow no-break space (citemploi.core.formats)."""
    return formats.fr_number(value, decimals)


@register.filter
def fr_euros(value: object) -> str:
    """« 1 234,56 € » (citemploi.core.formats)."""
    return formats.fr_euros(value)


@register.filter
def age(years: int | None) -> str:
    """« 41 ans » (citemploi.core.formats)."""
    return formats.age(years)
