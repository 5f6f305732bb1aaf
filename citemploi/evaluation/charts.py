"""Charts drawn on the server as SVG, for the pages and for the COPIL pack PDF (WeasyPrint) alike.

matplotlib (maintained, no GUI needed: a bare ``Figure`` saved as SVG, never pyplot) draws each chart; its text
stays text (``svg.fonttype = none``), so a screen reader, a search and the PDF read the labels. The SVG is then
made safe to embed in a page served under a strict Content-Security-Policy:

- no ``<style>`` element, no ``style`` attribute (CSP ``style-src 'self'`` blocks them): every style becomes an
  SVG presentation attribute, from a short list; no script, no event attribute, no external reference;
- ``role="img"`` with a ``<title>`` and a ``<desc>`` (the French summary) that ``aria-labelledby`` points to;
- every id prefixed by the chart's own id, so that two charts on one page never share an id;
- no fixed width or height: the ``viewBox`` lets the page size it.

Each ``Chart`` carries its data table (headers, rows already formatted in French), shown next to it. Values
are what may be published: ``None`` is a masked count or rate (« < 6 » in the table, a gap in the drawing),
``math.nan`` a value that does not exist (a rate without denominator: « — »). Masking itself is done before,
by ``citemploi.core.secrecy``; a chart never unmasks nor masks.

Speed: one figure per thread is reused (cleared between charts) and the font cache is matplotlib's own, built
once per machine; see docs/performance.md for the time per chart.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import matplotlib
from defusedxml.ElementTree import fromstring
from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import ScaledTranslation

from citemploi.core.formats import NBSP, fr_number
from citemploi.core.secrecy import display

Value = int | float | None

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# Okabe–Ito colours that keep at least 3:1 against white (WCAG 1.4.11); series also differ by marker or hatch.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
MARKERS = ("o", "s", "^", "D")
HATCHES = ("", "//", "..", "xx")
TEXT_COLOUR = "#1e1e1e"
MUTED_COLOUR = "#595959"  # 7:1 on white
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
NO_VALUE = "—"

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "citemploi",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": MUTED_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "axes.axisbelow": True,
    "axes.unicode_minus": False,
}

UNITS = ("count", "rate", "days")

# SVG presentation attributes a matplotlib style may carry; anything else is dropped.
_PRESENTATION = {
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "clip-path",
}
_TAGS = {
    "svg",
    "g",
    "defs",
    "clipPath",
    "pattern",
    "path",
    "use",
    "text",
    "tspan",
    "rect",
    "title",
    "desc",
    "line",
    "circle",
}


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page or a PDF: ``svg`` embeds as it is, ``headers``/``rows`` are its data table."""

    id: str
    title: str
    description: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_CACHE: OrderedDict[str, Chart] = OrderedDict()
_CACHE_SIZE = 256
_cache_lock = threading.Lock()


def _cached(build: Callable[..., Chart]) -> Callable[..., Chart]:
    """The same chart of the same data is drawn once per process (dashboards are read again and again)."""

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> Chart:
        key = repr((build.__name__, args, sorted(kwargs.items())))
        with _cache_lock:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
        chart = build(*args, **kwargs)
        with _cache_lock:
            _CACHE[key] = chart
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return chart

    return wrapper


_local = threading.local()


def _style() -> Any:
    return matplotlib.rc_context(cast(Any, STYLE))


def _figure(width: float, height: float) -> Figure:
    figure = getattr(_local, "figure", None)
    if figure is None:
        with _style():
            figure = Figure()
        _local.figure = figure
    figure.clear()
    figure.set_size_inches(width, height)
    return figure


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float = 10) -> float:
    """Width in points of a label in the chart's font (the layout is computed here, not by a layout engine:
    matplotlib's constrained layout would draw every chart twice)."""
    prop = FontProperties(family="DejaVu Sans", size=size)
    return max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n"))


def _category_labels(axes: Any, positions: Sequence[float], labels: Sequence[str]) -> None:
    """Category names left of the axis as plain texts: a matplotlib tick (two lines, two texts, a grid line)
    per category made most of the drawing time."""
    axes.set_yticks([])
    transform = axes.get_yaxis_transform()
    offset = ScaledTranslation(-6 / 72, 0, axes.figure.dpi_scale_trans)
    for position, label in zip(positions, labels, strict=True):
        axes.text(0, position, _label(label), ha="right", va="center", transform=transform + offset)


def _margins(figure: Figure, labels: Sequence[str], *, legend_rows: int = 0, bottom: float = 30) -> None:
    """Room on the left for the longest label, below for the axis, above for the legend."""
    width, height = (v * 72 for v in figure.get_size_inches())
    left = max([_text_width(label) for label in labels], default=0) + 14
    top = 10 + 18 * legend_rows
    figure.subplots_adjust(
        left=min(left / width, 0.6), right=1 - 16 / width, bottom=bottom / height, top=1 - top / height
    )


def fmt(value: Value, unit: str = "count") -> str:
    """A value as it reads in a chart's table: « 1 234 », « 45,2 % », « 12,5 j », « < 6 » (masked), « — »."""
    if value is None:
        return display(None)
    if isinstance(value, float) and math.isnan(value):
        return NO_VALUE
    if unit == "rate":
        return f"{fr_number(value * 100, 1)}{NBSP}%"
    if unit == "days":
        return f"{fr_number(value, 1 if value != int(value) else 0)}{NBSP}j"
    return fr_number(value, 0 if float(value) == int(value) else 1)


def _plain(value: Value) -> float:
    """The value drawn: a masked or missing one is a gap (NaN)."""
    return math.nan if value is None else float(value)


def _tick(unit: str) -> FuncFormatter:
    if unit == "rate":
        return FuncFormatter(lambda x, _pos: f"{fr_number(round(x * 100))}{NBSP}%")
    return FuncFormatter(lambda x, _pos: fr_number(round(x, 1) if x != int(x) else int(x)))


def _label(text: str) -> str:
    """Text drawn by matplotlib: a « $ » would start mathtext; a long label goes on two lines or more."""
    return textwrap.fill(text.replace("$", r"\$"), 32)


def month_label(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _chart_id(title: str, data: object, chart_id: str | None) -> str:
    if chart_id:
        return chart_id
    return "chart-" + hashlib.sha256(repr((title, data)).encode()).hexdigest()[:10]


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")


@_cached
def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Value]],
    *,
    unit: str = "count",
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars, one group per label (a QPV, a relais…), one bar per series (period, comparison)."""
    _check_unit(unit)
    names = list(series)
    _same_length(labels, series)
    ident = _chart_id(title, (list(labels), {k: list(v) for k, v in series.items()}, unit), chart_id)
    height = 0.9 + 0.28 * max(1, len(labels)) * max(1, len(names)) + 0.1 * len(labels)
    figure = _figure(7.2, min(height, 14))
    with _style():
        axes = figure.add_subplot()
        slot = 0.8 / max(1, len(names))
        positions = list(range(len(labels)))
        for index, name in enumerate(names):
            values = [_plain(v) for v in series[name]]
            offsets = [p - 0.4 + slot * (index + 0.5) for p in positions]
            axes.barh(
                offsets,
                [0 if math.isnan(v) else v for v in values],
                height=slot * 0.9,
                color=PALETTE[index % len(PALETTE)],
                hatch=HATCHES[index % len(HATCHES)],
                edgecolor="white",
                label=_label(name),
            )
            for offset, raw in zip(offsets, series[name], strict=True):
                if raw is None:
                    axes.text(0, offset, " " + display(None), va="center", ha="left", color=MUTED_COLOUR, fontsize=8)
        _category_labels(axes, positions, labels)
        axes.set_ylim(len(labels) - 0.5, -0.5)
        axes.xaxis.set_major_formatter(_tick(unit))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=unit == "count"))
        axes.grid(axis="y", visible=False)
        axes.set_xlim(left=0)
        if len(names) > 1:
            axes.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=min(len(names), 3))
        _margins(
            figure, [_label(label) for label in labels], legend_rows=math.ceil(len(names) / 3) if len(names) > 1 else 0
        )
    headers = [""] + names
    rows = [[label] + [fmt(series[name][i], unit) for name in names] for i, label in enumerate(labels)]
    description = _describe_bars(title, labels, series, unit)
    return _chart(figure, ident, title, description, headers, rows)


@_cached
def line_chart(
    title: str,
    months: Sequence[date],
    series: Mapping[str, Sequence[Value]],
    *,
    unit: str = "count",
    chart_id: str | None = None,
) -> Chart:
    """A monthly series (one line per series; a masked month is a gap in the line)."""
    _check_unit(unit)
    _same_length(months, series)
    names = list(series)
    ident = _chart_id(title, (list(months), {k: list(v) for k, v in series.items()}, unit), chart_id)
    figure = _figure(7.2, 3.4)
    with _style():
        axes = figure.add_subplot()
        positions = list(range(len(months)))
        for index, name in enumerate(names):
            axes.plot(
                positions,
                [_plain(v) for v in series[name]],
                color=PALETTE[index % len(PALETTE)],
                marker=MARKERS[index % len(MARKERS)],
                linewidth=2,
                label=_label(name),
            )
        step = max(1, math.ceil(len(months) / 8))
        axes.set_xticks(positions[::step], [month_label(m) for m in months][::step])
        axes.yaxis.set_major_formatter(_tick(unit))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=unit == "count"))
        axes.set_ylim(bottom=0)
        axes.grid(axis="x", visible=False)
        if len(names) > 1:
            axes.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=min(len(names), 3))
        ticks = [fmt(v, unit) for name in names for v in series[name] if v is not None]
        _margins(figure, ticks[:1] + ["000 000"], legend_rows=math.ceil(len(names) / 3) if len(names) > 1 else 0)
    headers = ["Mois"] + names
    rows = [[month_label(m)] + [fmt(series[name][i], unit) for name in names] for i, m in enumerate(months)]
    description = _describe_lines(title, months, series, unit)
    return _chart(figure, ident, title, description, headers, rows)


@_cached
def funnel_chart(
    title: str,
    steps: Sequence[str],
    counts: Sequence[int | None],
    *,
    delays: Sequence[float | None] | None = None,
    chart_id: str | None = None,
) -> Chart:
    """A funnel: one centred bar per step; the table adds the conversion from the step before and from the first
    step, and the median delay from the step before (days) when given (``delays[0]`` is ignored; a delay that is
    ``None`` — masked or not measured — or NaN reads « — »: a delay is never shown « < 6 », its count is)."""
    if len(steps) != len(counts) or (delays is not None and len(delays) != len(steps)):
        raise ValueError("a funnel needs one count (and one delay) per step")
    ident = _chart_id(title, (list(steps), list(counts), list(delays or [])), chart_id)
    figure = _figure(7.2, 0.8 + 0.45 * max(1, len(steps)))
    drawn = [_plain(v) for v in counts]
    widest = max([v for v in drawn if not math.isnan(v)], default=0) or 1
    with _style():
        axes = figure.add_subplot()
        positions = list(range(len(steps)))
        widths = [0 if math.isnan(v) else v for v in drawn]
        axes.barh(positions, widths, left=[(widest - w) / 2 for w in widths], height=0.7, color=PALETTE[0])
        _margins(figure, [_label(step) for step in steps], bottom=8)
        params = figure.subplotpars
        points = (params.right - params.left) * figure.get_size_inches()[0] * 72 / widest  # points per person
        for position, raw, width in zip(positions, counts, widths, strict=True):
            text = fmt(raw)
            inside = width * points > _text_width(text) + 12
            x = widest / 2 if inside or not width else (widest + width) / 2 + 4 / points
            axes.text(
                x,
                position,
                text,
                ha="center" if inside or not width else "left",
                va="center",
                color="white" if inside else TEXT_COLOUR,
                fontweight="bold",
            )
        _category_labels(axes, positions, steps)
        axes.set_ylim(len(steps) - 0.5, -0.5)
        axes.set_xlim(0, widest)
        axes.set_xticks([])
        axes.grid(visible=False)
        for side in ("bottom", "left"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
    headers = ["Étape", "Effectif", "Part de l'étape précédente", "Part de la première étape"]
    if delays is not None:
        headers.append("Délai médian depuis l'étape précédente")
    rows = []
    for index, step in enumerate(steps):
        row = [step, fmt(counts[index])]
        row.append(NO_VALUE if index == 0 else fmt(_ratio(counts[index], counts[index - 1]), "rate"))
        row.append(NO_VALUE if index == 0 else fmt(_ratio(counts[index], counts[0]), "rate"))
        if delays is not None:
            delay = delays[index]
            row.append(NO_VALUE if index == 0 or delay is None else fmt(delay, "days"))
        rows.append(row)
    description = _describe_funnel(title, steps, counts)
    return _chart(figure, ident, title, description, headers, rows)


def _chart(
    figure: Figure, ident: str, title: str, description: str, headers: list[str], rows: list[list[str]]
) -> Chart:
    svg = _safe_svg(figure, ident, title, description)
    return Chart(ident, title, description, svg, tuple(headers), tuple(tuple(row) for row in rows))


def _ratio(numerator: int | None, denominator: int | None) -> float | None:
    """A conversion between two published counts: masked when either is, none (NaN) without a denominator."""
    if numerator is None or denominator is None:
        return None
    return math.nan if denominator == 0 else round(numerator / denominator, 4)


def _same_length(labels: Sequence[object], series: Mapping[str, Sequence[Value]]) -> None:
    if any(len(values) != len(labels) for values in series.values()):
        raise ValueError("every series needs one value per label")


# --- French summaries ----------------------------------------------------------------------------------------


def _masked_note(values: Sequence[Value]) -> str:
    masked = sum(v is None for v in values)
    if not masked:
        return ""
    return f" {masked} valeur{'s' if masked > 1 else ''} masquée{'s' if masked > 1 else ''} (secret statistique)."


def _shown(labels: Sequence[Any], values: Sequence[Value]) -> list[tuple[Any, float]]:
    return [(k, float(v)) for k, v in zip(labels, values, strict=True) if v is not None and not math.isnan(v)]


def _describe_bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[Value]], unit: str) -> str:
    parts = [f"Diagramme en barres : {title}, {len(labels)} catégorie{'s' if len(labels) > 1 else ''}."]
    for name, values in series.items():
        shown = _shown(labels, values)
        prefix = f" {name} : " if len(series) > 1 else " "
        if shown:
            high = max(shown, key=lambda item: item[1])
            low = min(shown, key=lambda item: item[1])
            parts.append(f"{prefix}valeur la plus élevée {high[0]} ({fmt(high[1], unit)}), la plus faible {low[0]}")
            parts.append(f" ({fmt(low[1], unit)}).")
        else:
            parts.append(f"{prefix}aucune valeur affichable.")
        parts.append(_masked_note(values))
    return "".join(parts)


def _describe_lines(title: str, months: Sequence[date], series: Mapping[str, Sequence[Value]], unit: str) -> str:
    if not months:
        return f"Courbe mensuelle : {title}, aucun mois."
    parts = [f"Courbe mensuelle : {title}, de {month_label(months[0])} à {month_label(months[-1])}."]
    for name, values in series.items():
        shown = _shown(months, values)
        if not shown:
            parts.append(f" {name} : aucune valeur affichable.")
        else:
            (first_month, first), (last_month, last) = shown[0], shown[-1]
            top_month, top = max(shown, key=lambda item: item[1])
            parts.append(
                f" {name} : {fmt(first, unit)} en {month_label(first_month)}, {fmt(last, unit)} en "
                f"{month_label(last_month)}, au plus haut {fmt(top, unit)} en {month_label(top_month)}."
            )
        parts.append(_masked_note(values))
    return "".join(parts)


def _describe_funnel(title: str, steps: Sequence[str], counts: Sequence[int | None]) -> str:
    items = []
    for index, (step, count) in enumerate(zip(steps, counts, strict=True)):
        text = f"{step} {fmt(count)}"
        ratio = _ratio(count, counts[0]) if index else None
        if index and ratio is not None and not math.isnan(ratio):
            text += f" ({fmt(ratio, 'rate')} de la première étape)"
        items.append(text)
    return f"Entonnoir : {title}. " + " ; ".join(items) + "." + _masked_note(counts)


# --- SVG made safe -------------------------------------------------------------------------------------------


def _safe_svg(figure: Figure, ident: str, title: str, description: str) -> SafeString:
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    root = fromstring(buffer.getvalue())
    _clean(root, ident)
    for attribute in ("width", "height", "version"):
        root.attrib.pop(attribute, None)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    root.set("class", "chart-svg")
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("font-family", FONT_FAMILY)
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{ident}-desc"})
    desc.text = description
    heading = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{ident}-title"})
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    _check(root)
    return mark_safe(svg_text(root))  # noqa: S308 — drawn here, checked by _check


def svg_text(root: ET.Element) -> str:
    """The SVG as text, with the prefixes browsers expect (none for SVG, ``xlink:``).

    ElementTree's prefixes are one registry for the whole process, which other libraries change: qrcode registers
    ``svg`` for the SVG namespace when a 2FA QR code is drawn, after which ``<svg:svg>`` is no SVG to an HTML page.
    So ours are set again just before each serialisation (``default_namespace`` would refuse plain attributes)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _clean(root: ET.Element, ident: str) -> None:
    """Drop metadata and <style>, turn styles into attributes, keep only referenced ids (prefixed)."""
    referenced = _referenced_ids(root)
    for parent in list(root.iter()):
        for child in list(parent):
            if _local_name(child.tag) in ("metadata", "style"):
                parent.remove(child)
    for element in root.iter():
        _restyle(element)
        old = element.attrib.pop("id", None)
        if old is not None and old in referenced:
            element.set("id", f"{ident}-{old}")
        for key, value in list(element.attrib.items()):
            if _local_name(key) == "href":
                element.set(key, f"#{ident}-{value.lstrip('#')}")
            elif "url(#" in value:
                element.set(key, value.replace("url(#", f"url(#{ident}-"))


def _referenced_ids(root: ET.Element) -> set[str]:
    referenced: set[str] = set()
    for element in root.iter():
        for key, value in element.attrib.items():
            if _local_name(key) == "href":
                referenced.add(value.lstrip("#"))
            elif "url(#" in value:
                referenced.add(value.split("url(#", 1)[1].split(")", 1)[0])
    return referenced


def _restyle(element: ET.Element) -> None:
    """``style="fill: #fff; stroke: …"`` → ``fill="#fff" stroke="…"`` (presentation attributes only)."""
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        key, _, value = declaration.partition(":")
        key, value = key.strip(), value.strip()
        if key in _PRESENTATION and value:
            element.set(key, value)
    element.attrib.pop("font-family", None)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check(root: ET.Element) -> None:
    """Refuse anything but drawing: an unknown element, an event handler, a style, an outside reference."""
    for element in root.iter():
        if _local_name(element.tag) not in _TAGS:
            raise ValueError(f"unexpected SVG element {element.tag}")
        for key, value in element.attrib.items():
            name = _local_name(key)
            if name.startswith("on") or name == "style":
                raise ValueError(f"unexpected SVG attribute {key}")
            if name == "href" and not value.startswith("#"):
                raise ValueError("outside reference in SVG")
