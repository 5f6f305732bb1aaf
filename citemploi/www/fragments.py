"""Fragments of a page rendered once until the data changes (docs/performance.md).

The dashboard's 27 indicators with their definitions, breakdown and series, or the funnel's tables, take longer to
assemble and render than their figures take to read once kept (core/freshness.py). ``render_kept`` keeps the HTML
under the data version, the day, the language and a key that must say everything else the fragment depends on —
the period, the filters, and what sets the viewer's view apart (masked or not, drill-down, own caseload); the
context is only built when the fragment is not kept. The fragment is rendered without the request (no CSRF
token, no nonce, no context processor): it holds no form that posts and nothing about the viewer but the key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from citemploi.core import freshness


def render_kept(template: str, *, key: tuple[Any, ...], context: Callable[[], dict[str, Any]]) -> SafeString:
    html = freshness.remember(
        ("fragment", template, get_language(), *key), lambda: render_to_string(template, context())
    )
    return mark_safe(html)  # noqa: S308 — rendered by the template engine, which escaped it
