"""Hostile files through the upload page (issue 12 §7, end to end): one clear French message on the page, and no
table of the database changed (not even an import row)."""

from __future__ import annotations

import html

import pytest
from django.apps import apps
from django.urls import reverse

from tests.intake import hostile


def every_table() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.parametrize(("case", "make", "message"), hostile.HOSTILE, ids=[case for case, _m, _f in hostile.HOSTILE])
@pytest.mark.parametrize("kind", ["people", "history"])
def test_hostile_upload_shows_its_message_and_writes_nothing(world, clients, tmp_path, settings, case, make, message,
                                                             kind):  # fmt: skip
    settings.INTAKE_MAX_UPLOAD_BYTES = hostile.OVERSIZED_LIMIT if case == "trop volumineux" else 50 * 1024 * 1024
    path = make(tmp_path)
    if kind == "history" and path.suffix not in (".xlsx", ".zip", ".ods"):
        pytest.skip("la reprise prend un classeur ou un ZIP")
    client = clients["coordinator"]
    client.get(reverse("intake:upload"))
    before = every_table()
    with path.open("rb") as handle:
        response = client.post(
            reverse("intake:upload"),
            {"kind": kind, "structure": world.relais.pk, "source": "Export I-Milo", "file": handle},
        )
    assert response.status_code == 400
    assert message.lower() in html.unescape(response.content.decode()).lower()
    assert every_table() == before
