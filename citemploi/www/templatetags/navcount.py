"""The counter of a menu entry: ``{{ nav_counts|counter:item.url_name }}`` (0 when the entry has none)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def counter(counts: Mapping[str, int], url_name: str) -> int:
    return counts.get(url_name, 0)


@register.filter
def badge(count: int) -> str:
    """A counter as a badge shows it: « 999+ » from 1,000 on (counts are bounded, see pathways.alerts)."""
    return "999+" if count > 999 else str(count)
