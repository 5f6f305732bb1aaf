"""The evaluation charts in real Chromium: axe-core finds nothing serious, the strict CSP blocks nothing, the SVG
fits a 390 px screen. The charts are shown in a bare page here (the dashboards that use them have their own
checks)."""

from datetime import date

import pytest

from citemploi.evaluation import charts

from .conftest import axe_violations

pytestmark = pytest.mark.browser

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


def page_html() -> str:
    made = [
        charts.bar_chart("Entrées par QPV", ["Montreynaud", "Crêt de Roc", "Cotonne"], {"2026": [120, None, 40]}),
        charts.line_chart("Entrées par mois", [date(2026, m, 1) for m in (1, 2, 3)], {"Entrées": [12, None, 30]}),
        charts.funnel_chart("Parcours", ["Repérés", "Contactés", "Orientés"], [200, 150, None]),
    ]
    figures = []
    for chart in made:
        head = "".join(f"<th scope='col'>{h}</th>" for h in chart.headers)
        body = "".join(
            "<tr><th scope='row'>" + row[0] + "</th>" + "".join(f"<td>{v}</td>" for v in row[1:]) + "</tr>"
            for row in chart.rows
        )
        figures.append(
            f"<figure><figcaption>{chart.title}</figcaption>{chart.svg}"
            f"<table><caption>Données : {chart.title}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></figure>"
        )
    return (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Graphiques</title></head>"
        f"<body><main><h1>Graphiques</h1>{''.join(figures)}</main></body></html>"
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_charts_have_no_serious_axe_violation_and_fit_the_screen(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(page_html())
    assert axe_violations(page) == []
    widths = page.eval_on_selector_all("svg", "nodes => nodes.map(n => n.getBoundingClientRect().width)")
    assert len(widths) == 3 and all(0 < w <= width for w in widths)


def test_the_strict_csp_blocks_nothing_in_the_charts(browser):
    context = browser.new_context(locale="fr-FR")  # the CSP is enforced here
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.route(
        "http://citemploi.test/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Security-Policy": CSP, "Content-Type": "text/html; charset=utf-8"},
            body=page_html(),
        ),
    )
    page.goto("http://citemploi.test/")
    page.wait_for_load_state()
    # A chart that still had a style attribute would be refused (and logged) under style-src 'self'.
    assert not [m for m in messages if "Content Security Policy" in m]
    fills = page.eval_on_selector_all("svg rect, svg path", "nodes => nodes.map(n => getComputedStyle(n).fill)")
    assert "rgb(0, 114, 178)" in fills  # the first palette colour is applied
    context.close()
