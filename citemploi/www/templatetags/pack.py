"""Template filter of the COPIL pack: an SVG as a data URI, so that the PDF carries it as an image with its alt
text (WeasyPrint tags an ``<img>`` as a Figure with /Alt; inline SVG gets none)."""

from __future__ import annotations

import base64

from django import template

register = template.Library()


@register.filter
def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()
