"""Every relation to Person in the project is handled by the merge and by retention (issue 9 item 14).

The relations are read from the model registry (foreign keys, one-to-one, many-to-many, generic relations), so a
new model pointing at a person fails here until `person_merge` and `retention_purge` declare how they handle it.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation

from citemploi.pathways import services
from citemploi.pathways.models import Person, PersonRegistration
from citemploi.pathways.registrations import person_registration_add
from citemploi.pathways.retention import HANDLED_RELATIONS
from citemploi.pathways.services.people import MERGE_HANDLED_RELATIONS
from tests.factories.partners import ActionFactory
from tests.factories.pathways import make_person


def person_relations() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=True):
            if field.auto_created and not field.concrete:
                continue  # reverse side of a relation: the forward side is listed on its own model
            if (
                isinstance(field, GenericForeignKey | GenericRelation)
                or getattr(field, "related_model", None) is Person
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_the_merge_handles_every_relation_to_a_person():
    assert person_relations() - MERGE_HANDLED_RELATIONS == set()


def test_retention_handles_every_relation_to_a_person():
    assert person_relations() - HANDLED_RELATIONS == set()


def test_no_partners_model_points_at_a_person():
    assert not {r for r in person_relations() if r.startswith("partners.")}


@pytest.mark.django_db
def test_the_merge_moves_the_action_registrations(world):
    agent = world.users["referent"]
    keep = make_person(by=agent, birth_date=dt.date(1990, 1, 1))
    absorb = make_person(by=agent, birth_date=dt.date(1990, 1, 1))
    action = ActionFactory(carrier=world.relais)
    registration = person_registration_add(
        by=agent, action=action, first_name="A", last_name="B", person_id=absorb.public_id
    )
    services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb)
    assert PersonRegistration.objects.get(registration=registration).person == keep


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_moves_existing_links_to_pathways():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from citemploi.core.freshness import install_triggers

    before = [("partners", "0003_registration_person"), ("pathways", "0005_duplicate_review")]
    after = [("partners", "0004_person_registrations"), ("pathways", "0008_person_registrations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    structure = old.get_model("accounts", "Structure").objects.create(name="Relais", kind="relais")
    person = old.get_model("pathways", "Person").objects.create(first_name="A", last_name="B")
    action = old.get_model("partners", "Action").objects.create(
        carrier=structure, title="Atelier", axis=1, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 6)
    )
    registration = old.get_model("partners", "Registration").objects.create(
        action=action, first_name="A", last_name="B", person=person
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        link = new.get_model("pathways", "PersonRegistration").objects.get()
        assert (link.person_id, link.registration_id) == (person.pk, registration.pk)
    finally:  # back to the latest schema for the next tests, whatever migrations came after ours
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        install_triggers(connection)  # what ``migrate`` does after its plan (post_migrate)
