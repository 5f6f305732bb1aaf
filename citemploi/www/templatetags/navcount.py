"""The counter of a menu entry: ``{{ nav_counts|counter:item.url_name }}`` (0 when the entry has none)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def counter(counts: Mapping[str, int], url_name: str) -> int:
    return counts.get(url_name, 0)
