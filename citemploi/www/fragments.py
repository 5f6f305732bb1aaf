"""Fragments of a page rendered once per distinct content (docs/performance.md).

A table of 27 indicators with their definitions, or a funnel of 20 neighbourhoods, takes longer to render than the
figures take to read from the cache (core/freshness.py). ``render_once`` keeps the HTML under the hash of the
template, the language and its whole context: the same figures give the same HTML, any other figure another key,
so a fragment needs no invalidation. The context must be plain data (text, numbers, dates, lists, dicts,
dataclasses of those): anything else is refused, so that the key always says everything the HTML depends on. The
fragment is rendered without the request — no CSRF token, no nonce, no context processor. A fragment whose context
is not plain data (a form) goes through ``render_kept``, kept under the data version and what it is keyed on."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from citemploi.core import freshness


def render_once(template: str, context: dict[str, Any]) -> SafeString:
    text = json.dumps([template, get_language(), context], default=_plain, sort_keys=True, ensure_ascii=False)
    key = "fragment:" + hashlib.sha256(text.encode()).hexdigest()
    cache = caches["figures"]
    html: str | None = cache.get(key)
    if html is None:
        html = render_to_string(template, context)
        if settings.FIGURES_CACHE_SECONDS:
            cache.set(key, html, settings.FIGURES_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — rendered by the template engine, which escaped it


def render_kept(template: str, context: dict[str, Any], *, key: tuple[Any, ...]) -> SafeString:
    """The HTML of ``template``, kept until the data changes; ``key`` says everything else it depends on."""
    html = freshness.remember(
        ("fragment", template, get_language(), *key), partial(render_to_string, template, context)
    )
    return mark_safe(html)  # noqa: S308 — rendered by the template engine, which escaped it


def _plain(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, dataclasses.asdict(value)]
    raise TypeError(f"not plain data for a cached fragment: {type(value).__name__}")
