"""Choropleth of the QPV: quantile classes, legend, masked QPV marked « secret statistique » without their value."""

import json

import pytest

from citemploi.evaluation import maps
from tests.factories.territory import load_square_qpv

CODES = [f"QN0429{i}M" for i in range(1, 8)]


@pytest.fixture
def squares(db):
    for index, code in enumerate(CODES):
        load_square_qpv(code=code, lon=4.30 + 0.01 * index, lat=45.44)
    return CODES


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_quantile_classes_split_the_values_evenly():
    values = [float(v) for v in range(1, 11)]
    breaks = maps.quantile_breaks(values)
    assert breaks == [2, 4, 6, 8, 10]
    assert [sum(maps.class_of(v, breaks) == k for v in values) for k in range(5)] == [2, 2, 2, 2, 2]


def test_few_distinct_values_give_fewer_classes_never_an_empty_one():
    values = [0.1, 0.1, 0.1, 0.5, 0.5]
    breaks = maps.quantile_breaks(values)
    assert breaks == [0.1, 0.5]
    assert {maps.class_of(v, breaks) for v in values} == {0, 1}
    assert maps.quantile_breaks([]) == []


def test_the_map_carries_classes_colours_and_a_french_legend(squares):
    values = {code: 0.1 * (index + 1) for index, code in enumerate(squares[:5])}
    values[squares[5]] = 0.42  # masked: its value must not reach the page
    collection = maps.choropleth(values, masked={squares[5]}, codes=squares)
    features = {f["properties"]["code"]: f for f in collection["features"]}
    assert set(features) == set(squares)
    first = features[squares[0]]["properties"]
    assert first["class"] == 0 and first["label"] == "10,0\u00a0%" and first["fill"] == maps.PALETTE[0]
    assert features[squares[4]]["properties"]["class"] == 4
    assert features[squares[4]]["properties"]["fill"] == maps.PALETTE[4]
    secret = features[squares[5]]["properties"]
    assert secret["masked"] is True and secret["label"] == "secret statistique" and secret["value"] is None
    assert secret["class"] is None and "0.42" not in json.dumps(features[squares[5]])
    missing = features[squares[6]]["properties"]
    assert missing["label"] == "sans donnée" and missing["masked"] is False
    legend = collection["legend"]
    assert [entry["label"] for entry in legend[:5]] == [
        "10,0\u00a0%",
        "20,0\u00a0%",
        "30,0\u00a0%",
        "40,0\u00a0%",
        "50,0\u00a0%",
    ]
    assert [entry["count"] for entry in legend[:5]] == [1, 1, 1, 1, 1]
    assert [entry["label"] for entry in legend[5:]] == ["secret statistique", "sans donnée"]
    assert features[squares[0]]["geometry"]["type"] == "Polygon"


def test_a_none_value_is_masked_and_counts_format_as_counts(squares):
    collection = maps.choropleth({squares[0]: None, squares[1]: 1200, squares[2]: 40}, unit="count", codes=squares[:3])
    labels = {f["properties"]["code"]: f["properties"]["label"] for f in collection["features"]}
    assert labels == {squares[0]: "secret statistique", squares[1]: "1\u202f200", squares[2]: "40"}
    assert collection["legend"][0]["label"] == "40" and collection["legend"][1]["label"] == "1\u202f200"


def test_colours_are_distinct_and_readable():
    assert len(set(maps.PALETTE)) == 5
    assert contrast(maps.OUTLINE, "#ffffff") >= 3 and contrast(maps.OUTLINE, maps.PALETTE[-1]) >= 1.5
    for fill, text in zip(maps.PALETTE, maps.TEXT_ON, strict=True):
        assert contrast(fill, text) >= 4.5
    assert contrast(maps.MASKED_FILL, "#1e1e1e") >= 4.5
    # Each class is lighter than the next (a sequential scale reads in grey too, for colour-blind readers).
    assert [luminance(c) for c in maps.PALETTE] == sorted((luminance(c) for c in maps.PALETTE), reverse=True)
