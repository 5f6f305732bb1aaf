"""The migration adding the one-live-hand-off constraint first expires the duplicates that races left."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from citemploi.core.freshness import install_triggers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("pathways", "0006_unknown_facts")
AFTER = ("pathways", "0007_person_version_merged_record_live_handoff")


def test_duplicate_live_handoffs_are_expired_before_the_constraint():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    structure = apps.get_model("accounts", "Structure")
    sender = structure.objects.create(name="Relais", kind="relais_emploi")
    receiver = structure.objects.create(name="Mission locale", kind="mission_locale")
    user = apps.get_model("accounts", "User").objects.create(email="a@exemple.test")
    person = apps.get_model("pathways", "Person").objects.create(first_name="A", last_name="B")
    handoff = apps.get_model("pathways", "Handoff")
    values = {"person": person, "from_structure": sender, "to_structure": receiver, "reason": "x", "sent_by": user}
    first, second = handoff.objects.create(**values), handoff.objects.create(**values)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        apps = executor.loader.project_state([AFTER]).apps
        states = dict(apps.get_model("pathways", "Handoff").objects.values_list("pk", "state"))
        assert states == {first.pk: "envoyee", second.pk: "expiree"}
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
        install_triggers(connection)  # what ``migrate`` does after its plan (post_migrate)
