"""Every URL pattern has a declared access rule, and each persona gets the declared answer."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz import LOGIN, Access
from tests.conftest import PERSONAS, login_client


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<sans nom> {pattern.pattern}")
    return names


def _modules():
    root = Path(__file__).parent
    for path in sorted(root.glob("*/authz.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.authz")


def _rules() -> dict[str, Access]:
    rules: dict[str, Access] = {}
    for module in _modules():
        rules.update(module.RULES)
    return rules


URL_NAMES = sorted(set(_url_names(get_resolver())))
RULES = _rules()


def test_every_url_pattern_has_an_access_rule():
    missing = [name for name in URL_NAMES if name not in RULES]
    assert not missing, f"URL sans règle d'accès déclarée dans tests/<app>/authz.py : {missing}"
    stale = [name for name in RULES if name not in URL_NAMES]
    assert not stale, f"Règles pour des URL qui n'existent plus : {stale}"


@pytest.mark.parametrize("name", URL_NAMES)
def test_each_persona_gets_the_declared_answer(name, world):
    for module in _modules():
        getattr(module, "setup", lambda w: None)(world)
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    failures = []
    for persona in PERSONAS:
        client = login_client(world.users[persona])
        data = rule.data(world) if rule.data else {}
        response = getattr(client, rule.method)(url, data) if rule.method != "get" else client.get(url)
        expected = rule.expected(persona)
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{persona}: attendu {expected}, obtenu {response.status_code}")
    assert not failures, f"{name} ({url}) : " + " ; ".join(failures)
