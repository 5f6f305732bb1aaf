"""Server-rendered SVG charts: accessible, safe to embed under the CSP, French figures, masked values as gaps."""

import math
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from citemploi.evaluation import charts

SVG = "{http://www.w3.org/2000/svg}"
QPV = ["Montreynaud", "Crêt de Roc", "Tarentaize – Beaubrun – Séverine", "Cotonne"]


def parse(chart):
    return ET.fromstring(str(chart.svg))


def ids(root):
    return [e.get("id") for e in root.iter() if e.get("id")]


def references(root):
    found = []
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.endswith("href"):
                found.append(value.lstrip("#"))
            found += re.findall(r"url\(#([^)]+)\)", value)
    return found


def texts(root):
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


@pytest.fixture
def bars():
    return charts.bar_chart("Entrées par QPV", QPV, {"2026": [1234, None, 40, 0], "2025": [900, 12, None, 3]})


def test_a_chart_is_an_accessible_image_with_its_title_and_summary(bars):
    root = parse(bars)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Entrées par QPV" and desc.text == bars.description
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox") and root.get("width") is None  # the page sizes it


def test_the_svg_is_safe_to_embed_under_the_csp(bars):
    markup = str(bars.svg)
    assert "<script" not in markup and "<style" not in markup and "<?xml" not in markup
    for element in parse(bars).iter():
        assert "style" not in element.attrib
        assert not [key for key in element.attrib if key.lower().startswith("on")]


def test_ids_are_unique_per_chart_and_every_reference_resolves(bars):
    other = charts.line_chart("Entrées par mois", [date(2026, m, 1) for m in (1, 2, 3)], {"Entrées": [5, 8, 13]})
    first, second = ids(parse(bars)), ids(parse(other))
    assert len(first) == len(set(first)) and not set(first) & set(second)
    for root in (parse(bars), parse(other)):
        assert set(references(root)) <= set(ids(root))
        assert all(i.startswith(root.find(f"{SVG}title").get("id").removesuffix("-title")) for i in ids(root))


def test_labels_stay_text_and_hostile_labels_are_escaped():
    chart = charts.bar_chart("Test", ["<script>alert(1)</script>", "coût $x$ élevé"], {"n": [10, 20]})
    root = parse(chart)
    assert "<script>alert(1)</script>" in texts(root)  # drawn as text, escaped in the markup
    assert "<script>" not in str(chart.svg)
    assert any("coût $x$ élevé" in t for t in texts(root))  # no mathtext


def test_the_data_table_is_in_french_and_shows_masked_values(bars):
    assert bars.headers == ("", "2026", "2025")
    assert bars.rows[0] == ("Montreynaud", "1\u202f234", "900")
    assert bars.rows[1] == ("Crêt de Roc", "< 6", "12")
    assert bars.rows[3] == ("Cotonne", "0", "3")


def test_a_masked_bar_is_a_gap_marked_in_the_drawing(bars):
    assert texts(parse(bars)).count(" < 6") == 2
    unmasked = charts.bar_chart("Entrées par QPV", QPV, {"2026": [1234, 7, 40, 0], "2025": [900, 12, 8, 3]})
    assert texts(parse(unmasked)).count(" < 6") == 0


def line_paths(chart, colour):
    return [e.get("d") for e in parse(chart).iter(f"{SVG}path") if e.get("stroke") == colour.lower()]


def test_a_masked_month_breaks_the_line():
    months = [date(2026, m, 1) for m in range(1, 7)]
    whole = charts.line_chart("Entrées", months, {"Entrées": [10, 12, 14, 16, 18, 20]})
    broken = charts.line_chart("Entrées", months, {"Entrées": [10, 12, None, 16, 18, 20]})
    assert [d.count("M") for d in line_paths(whole, charts.PALETTE[0]) if d.count("L") > 2] == [1]
    assert [d.count("M") for d in line_paths(broken, charts.PALETTE[0]) if d.count("L") >= 2] == [2]
    assert broken.rows[2] == ("mars 2026", "< 6")
    assert "1 valeur masquée (secret statistique)" in broken.description


def test_line_rates_read_as_french_percentages():
    chart = charts.line_chart("Taux", [date(2026, 1, 1), date(2026, 2, 1)], {"Taux": [0.4523, math.nan]}, unit="rate")
    assert chart.rows == (("janv. 2026", "45,2\u00a0%"), ("févr. 2026", "—"))
    assert any(t.endswith("\u00a0%") for t in texts(parse(chart)))  # the axis too


def test_the_summary_names_the_extremes(bars):
    assert bars.description.startswith("Diagramme en barres : Entrées par QPV, 4 catégories.")
    assert "valeur la plus élevée Montreynaud (1\u202f234), la plus faible Cotonne (0)" in bars.description
    assert "1 valeur masquée (secret statistique)" in bars.description


def test_a_funnel_gives_conversions_and_delays():
    chart = charts.funnel_chart(
        "Parcours, territoire",
        ["Repérés", "Contactés", "Avec référent", "Orientés"],
        [200, 150, None, 60],
        delays=[None, 4.5, 12, None],
    )
    assert chart.headers[-1] == "Délai médian depuis l'étape précédente"
    assert chart.rows[0] == ("Repérés", "200", "—", "—", "—")
    assert chart.rows[1] == ("Contactés", "150", "75,0\u00a0%", "75,0\u00a0%", "4,5\u00a0j")
    assert chart.rows[2] == ("Avec référent", "< 6", "< 6", "< 6", "12\u00a0j")
    assert chart.rows[3] == ("Orientés", "60", "< 6", "30,0\u00a0%", "—")  # from a masked step: masked
    assert "Contactés 150 (75,0\u00a0% de la première étape)" in chart.description
    assert {"200", "150", "< 6", "60"} <= set(texts(parse(chart)))


def test_a_funnel_with_an_empty_first_step_has_no_rates():
    chart = charts.funnel_chart("Vide", ["Repérés", "Contactés"], [0, 0])
    assert chart.rows[1] == ("Contactés", "0", "—", "—")


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        charts.bar_chart("x", ["a", "b"], {"n": [1]})
    with pytest.raises(ValueError):
        charts.bar_chart("x", ["a"], {"n": [1]}, unit="euros")
    with pytest.raises(ValueError):
        charts.funnel_chart("x", ["a", "b"], [1])


def test_the_same_data_gives_the_same_chart_and_an_explicit_id_is_kept():
    first = charts.bar_chart("Stable", ["a", "b"], {"n": [10, 20]})
    charts._CACHE.clear()
    again = charts.bar_chart("Stable", ["a", "b"], {"n": [10, 20]})
    assert str(first.svg) == str(again.svg)
    named = charts.bar_chart("Stable", ["a", "b"], {"n": [10, 20]}, chart_id="entrees-qpv")
    assert named.id == "entrees-qpv" and 'id="entrees-qpv-title"' in str(named.svg)


def test_one_figure_is_reused_between_charts():
    charts.bar_chart("Un", ["a"], {"n": [10]})
    figure = charts._local.figure
    charts.line_chart("Deux", [date(2026, 1, 1)], {"n": [10]})
    assert charts._local.figure is figure and len(figure.axes) == 1


def test_a_chart_stays_svg_after_a_2fa_qr_code_is_drawn():
    """qrcode registers the prefix « svg » for the SVG namespace process-wide; a chart drawn afterwards must still be
    ``<svg>`` (an ``<svg:svg>`` element is not drawn by an HTML page: the chart would be invisible)."""
    import qrcode
    import qrcode.image.svg

    qrcode.make("otpauth://totp/citemploi", image_factory=qrcode.image.svg.SvgPathImage).to_string()
    chart = charts.bar_chart("Après QR", ["a", "b"], {"n": [3, 4]})
    assert str(chart.svg).startswith("<svg ") and "<svg:" not in str(chart.svg)
    assert "xlink:href" in str(chart.svg) or "href" not in str(chart.svg)
