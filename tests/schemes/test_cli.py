"""``citemploi eligibility check``: the contract partner tooling relies on (docs/eligibility.md)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(tmp_path, profiles, date="2024-06-01") -> list[dict]:
    path = tmp_path / "profils.json"
    path.write_text(profiles if isinstance(profiles, str) else json.dumps(profiles), encoding="utf-8")
    out = StringIO()
    call_command("eligibility", "check", "--date", date, str(path), stdout=out)
    return json.loads(out.getvalue())


def by_scheme(output: dict) -> dict:
    return {(r["scheme"], r["route"]): r for r in output["results"]}


PERSON = {
    "id": "p1",
    "birth_date": "1990-03-15",
    "qpv_resident": True,
    "ft_registered_since": "2023-01-10",
    "ft_category": "A",
    "rsa": "none",
}


@pytest.mark.django_db
def test_one_result_per_scheme_and_route(tmp_path):
    [output] = run(tmp_path, [PERSON])
    assert output["id"] == "p1"
    results = by_scheme(output)
    assert len(results) == 26  # 24 schemes, the IAE has 3 routes
    assert {"iae"} == {scheme for scheme, route in results if route}
    first = output["results"][0]
    assert set(first) == {"scheme", "route", "answer", "reasons", "rule_version"}
    assert set(first["reasons"][0]) == {"rule", "text"}


@pytest.mark.django_db
def test_emplois_francs_before_and_after_closure(tmp_path):
    [before] = run(tmp_path, [PERSON], "2024-06-01")
    [after] = run(tmp_path, [PERSON], "2026-06-01")
    assert by_scheme(before)[("emplois_francs", None)]["answer"] == "eligible"
    closed = by_scheme(after)[("emplois_francs", None)]
    assert closed["answer"] == "not_eligible"
    assert closed["reasons"][0]["rule"] == "catalogue.closed"


@pytest.mark.django_db
def test_missing_key_is_unknown(tmp_path):
    [output] = run(tmp_path, [{"id": 7}])
    assert by_scheme(output)[("cej", None)]["answer"] == "to_check"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{pas du json", "JSON invalide"),
        ('{"id": 1}', "liste JSON"),
        ('[{"id": 1, "age": 3}]', "clé(s) inconnue(s) age"),
        ('[{"birth_date": "2024-13-01"}]', "date invalide"),
        ('[{"rsa": "oui"}]', "valeur 'oui' non prévue"),
        ('[{"rqth": "yes"}]', "true, false ou null"),
        ("[3]", "objet JSON"),
    ],
)
def test_malformed_files_are_refused_with_a_french_message(tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(tmp_path, content)


@pytest.mark.django_db
def test_bad_date_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run(tmp_path, [PERSON], "01/06/2024")
    with pytest.raises(CommandError, match="introuvable"):
        call_command("eligibility", "check", "--date", "2024-06-01", str(tmp_path / "absent.json"))
