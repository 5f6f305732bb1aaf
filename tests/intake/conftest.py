"""Intake fixtures: the test territory (square QPV + local BAN addresses) and files in the shipped shapes."""

from __future__ import annotations

import pytest

from tests.intake import samples


@pytest.fixture
def territory(db, settings):
    settings.GEOCODER = "ban_local"
    return samples.load_territory()


@pytest.fixture
def imilo_file(tmp_path):
    """An « Export I-Milo » of 40 fictitious people, two rows with an error (date, postcode)."""
    headers, rows = samples.as_rows("Export I-Milo", samples.people(40))
    rows[3][headers.index("Date de naissance")] = "31/02/1990"
    rows[7][headers.index("Code postal")] = "42A00"
    return samples.write_xlsx(tmp_path / "export-imilo.xlsx", headers, rows)


def committed():
    """Run the on-commit callbacks (the queued background tasks: immediate backend in tests) at the block's end."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def table_counts() -> dict[str, int]:
    """Row count of every table of the apps an import writes to (history tables excepted: they keep the trail)."""
    from django.apps import apps

    counts = {}
    for label in ("pathways", "accounts", "territory"):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts
