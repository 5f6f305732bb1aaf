"""The versioned roadmap: progress computed from the indicators, adopted versions frozen and compared."""

from __future__ import annotations

import datetime as dt

import pytest

from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance import selectors, services_roadmap
from citemploi.governance.progress import progress
from tests.factories.governance import copil, meeting
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


def _first_version(coordinator):
    version = services_roadmap.roadmap_draft(by=coordinator, title="Feuille de route 2026")
    axis = services_roadmap.roadmap_axis_add(by=coordinator, version=version, ref="2", title="Aller-vers")
    objective = services_roadmap.roadmap_objective_add(by=coordinator, axis=axis, ref="2.1", title="Repérer")
    action = services_roadmap.roadmap_action_add(
        by=coordinator, objective=objective, ref="2.1.a", title="Permanences en pied d'immeuble"
    )
    target = services_roadmap.roadmap_target_set(
        by=coordinator,
        action=action,
        indicator="spotted",
        qpv_code="",
        period_from=dt.date(YEAR, 1, 1),
        period_to=dt.date(YEAR, 12, 31),
        value=10,
    )
    return version, action, target


def test_a_target_shows_progress_computed_from_the_indicator(world):
    _version, _action, target = _first_version(world.users["coordinator"])
    for _ in range(3):
        make_person(by=world.users["referent"], spotted_on=dt.date.today())
    (found,) = progress([target])
    assert found.value == 3 and found.ratio == 0.3 and found.percent == 30
    make_person(by=world.users["referent"], spotted_on=dt.date.today())
    assert progress([target])[0].value == 4  # never typed: the next reading follows the data


def test_only_the_coordinator_edits_the_roadmap_and_indicators_come_from_the_registry(world):
    with pytest.raises(PermissionDenied):
        services_roadmap.roadmap_draft(by=world.users["state_copilot"], title="x")
    version, action, _target = _first_version(world.users["coordinator"])
    with pytest.raises(ValidationFailed, match="Indicateur inconnu"):
        services_roadmap.roadmap_target_set(
            by=world.users["coordinator"],
            action=action,
            indicator="nombre_magique",
            qpv_code="",
            period_from=dt.date(YEAR, 1, 1),
            period_to=dt.date(YEAR, 12, 31),
            value=1,
        )


def test_a_new_version_keeps_the_old_one_readable_with_the_differences(world):
    coordinator = world.users["coordinator"]
    v1, _action, _target = _first_version(coordinator)
    held = meeting(copil(world), days=-3)
    services_roadmap.roadmap_adopt(by=coordinator, version=v1, meeting=held)
    with pytest.raises(InvalidTransition, match="adoptée"):
        services_roadmap.roadmap_axis_add(by=coordinator, version=v1, ref="3", title="Innover")
    v2 = services_roadmap.roadmap_draft(by=coordinator, title="Feuille de route adaptée")
    with pytest.raises(InvalidTransition, match="en projet"):
        services_roadmap.roadmap_draft(by=coordinator, title="Une troisième")
    services_roadmap.roadmap_axis_add(
        by=coordinator, version=v2, ref="3", title="Innover pour les besoins non couverts"
    )
    (copied_action,) = [
        a for axis in selectors.roadmap_tree(v2) for o in axis.objectives.all() for a in o.actions.all()
    ]
    services_roadmap.roadmap_target_set(
        by=coordinator,
        action=copied_action,
        indicator="spotted",
        qpv_code="",
        period_from=dt.date(YEAR, 1, 1),
        period_to=dt.date(YEAR, 12, 31),
        value=15,
    )
    changes = {(c.kind, c.level, c.after) for c in selectors.roadmap_diff(v1, v2)}
    assert ("ajout", "axe", "Innover pour les besoins non couverts") in changes
    assert ("modification", "cible", "15") in changes
    # the adopted version is untouched
    assert [a.ref for a in selectors.roadmap_tree(v1)] == ["2"]
    assert [t.value for axis in selectors.roadmap_tree(v1) for o in axis.objectives.all()
            for a in o.actions.all() for t in a.targets.all()] == [10]  # fmt: skip
