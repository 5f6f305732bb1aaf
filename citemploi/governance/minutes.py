"""Minutes: Markdown written in the page, rendered to a safe HTML subset (issue 14 §2).

markdown-it-py (CommonMark, raw HTML disabled) turns the text into HTML; nh3 (the Rust ``ammonia`` sanitiser) then
keeps only an allow-list of tags and attributes, and links whose scheme is http, https or mailto — a ``<script>``
or a ``javascript:`` link can never reach a reader, whatever the Markdown parser lets through.

A commission de situations names people by a token ``[[personne:<identifiant public>]]``: a reader who may see that
person reads their name, any other reader « une personne examinée » — the minutes shown to others carry no name.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
SCHEMES = {"http", "https", "mailto"}
PERSON_TOKEN = re.compile(r"\[\[personne:([0-9a-fA-F-]{36})\]\]")
ANONYMOUS = "une personne examinée"

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def person_refs(text: str) -> set[uuid.UUID]:
    """The people a text names by token (to look up, in one query, which ones the reader may see)."""
    found = set()
    for match in PERSON_TOKEN.finditer(text):
        try:
            found.add(uuid.UUID(match.group(1)))
        except ValueError:
            continue
    return found


def replace_people(text: str, names: Mapping[uuid.UUID, str]) -> str:
    """Tokens → the name when the reader may see the person (``names``), else the anonymous wording."""

    def name(match: re.Match[str]) -> str:
        try:
            return names.get(uuid.UUID(match.group(1)), ANONYMOUS)
        except ValueError:
            return ANONYMOUS

    return PERSON_TOKEN.sub(name, text)


def render(text: str, names: Mapping[uuid.UUID, str] | None = None) -> str:
    """Safe HTML of the minutes for one reader."""
    source = replace_people(text, names or {})
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def plain(text: str, names: Mapping[uuid.UUID, str] | None = None) -> str:
    """The minutes as text without any markup (for the PDF pack's plain parts and e-mails)."""
    return nh3.clean(render(text, names), tags=set())
