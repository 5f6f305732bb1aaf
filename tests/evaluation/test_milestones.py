"""The milestones stored on each person (``citemploi.pathways.milestones``) are always those their records give.

Property-style: every service of ``citemploi.pathways.services`` is wrapped so that after EACH call — while the
40-person cohort of issue 13 is built (repérages, contacts, hand-offs sent / acknowledged / met / refused /
expired, schemes proposed and entered, exits, freins, referents) — the stored values of every person are compared
with the values recomputed here in Python from the records (an independent definition, not the UPDATE's). Then a
merge, an import's undo and the retention purge; the history import is checked in ``test_cohort_via_history``.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections import Counter

import pytest
from django.utils import timezone

from citemploi.intake.kinds import record_created
from citemploi.intake.models import Import, State
from citemploi.intake.undo import undo
from citemploi.pathways import services
from citemploi.pathways.choices import ExitCategory
from citemploi.pathways.milestones import FIELDS
from citemploi.pathways.models import Exit, Handoff, Mobilisation, Person, ReferentAssignment, Reperage
from citemploi.pathways.retention import retention_purge
from tests.evaluation.cohort import D
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db

DYNAMIC = {ExitCategory.DURABLE, ExitCategory.TRANSITION, ExitCategory.POSITIVE}


def _min(values):
    values = [v for v in values if v is not None]
    return min(values) if values else None


def _by_person(model) -> dict[int, list]:
    rows: dict[int, list] = {}
    for row in model.objects.order_by("pk"):
        rows.setdefault(row.person_id, []).append(row)
    return rows


def recomputed() -> dict[int, tuple]:
    """Each person's milestones, from the records, in Python (a handful of queries for everyone)."""
    reperages, assignments = _by_person(Reperage), _by_person(ReferentAssignment)
    handoffs, mobilisations, exits = _by_person(Handoff), _by_person(Mobilisation), _by_person(Exit)
    out = {}
    for pk in Person.objects.values_list("pk", flat=True):
        first = min(reperages.get(pk, []), key=lambda r: (r.spotted_on, r.pk), default=None)
        sent = [timezone.localdate(h.sent_at) for h in handoffs.get(pk, [])]
        schemes = mobilisations.get(pk, [])
        out[pk] = (
            first.spotted_on if first else None,
            first.channel if first else "",
            _min(a.started_at for a in assignments.get(pk, [])),
            _min([*sent, *(m.proposed_on for m in schemes)]),
            _min(m.entered_on for m in schemes),
            _min(e.exited_on for e in exits.get(pk, []) if e.category in DYNAMIC),
        )
    return out


def stored() -> dict[int, tuple]:
    return {pk: tuple(rest) for pk, *rest in Person.objects.values_list("pk", *FIELDS)}


@pytest.fixture
def checked(monkeypatch):
    """Every pathways service, checked after each call; returns the count of calls per service."""
    calls: Counter[str] = Counter()

    def wrap(name, fn):
        @functools.wraps(fn)
        def checking(*args, **kwargs):
            result = fn(*args, **kwargs)
            calls[name] += 1
            assert stored() == recomputed(), f"after {name}"
            return result

        return checking

    for name, fn in vars(services).items():
        if inspect.isfunction(fn) and fn.__module__.startswith("citemploi.pathways.services"):
            monkeypatch.setattr(services, name, wrap(name, fn))
    return calls


def test_after_every_write_of_the_cohort_the_stored_milestones_are_the_records(checked, cohort):
    kinds = {
        "person_register",
        "contact_record",
        "handoff_send",
        "handoff_acknowledge",
        "handoff_first_meeting",
        "handoff_refuse",
        "handoffs_expire",
        "mobilisation_propose",
        "mobilisation_transition",
        "exit_record",
        "frein_identify",
        "frein_transition",
    }
    assert kinds <= set(checked), kinds - set(checked)
    assert sum(checked.values()) > 100
    values = stored()
    assert all(v[0] is not None for v in values.values())  # everyone has a repérage
    assert any(v[4] is not None for v in values.values()) and any(v[5] is not None for v in values.values())


def test_referent_assignment_merge_undo_and_purge_keep_them(checked, world, mission_locale):
    referent, coordinator = world.users["referent"], world.users["coordinator"]
    keep = make_person(by=referent, spotted_on=D(2025, 3, 1), first_name="Léa", last_name="Garder")
    absorb = make_person(by=referent, spotted_on=D(2025, 1, 15), first_name="Léa", last_name="Absorber")
    services.referent_assign(by=coordinator, person=keep, referent=world.users["colleague"])
    services.contact_record(by=referent, person=absorb, kind="rdv", happened_at=timezone.now())
    mobilisation = services.mobilisation_propose(
        by=referent, person=absorb, scheme=scheme("cej"), structure=mission_locale
    )
    services.exit_record(by=referent, person=absorb, exited_on=timezone.localdate(), situation="cdi")
    kept = services.person_merge(by=coordinator, keep=keep, absorb=absorb)
    row = stored()[kept.pk]
    assert row[0] == D(2025, 1, 15) and row[3] is not None and row[5] is not None  # the absorbed history counts
    # An import's undo removes what it created: the milestones follow.
    batch = Import.objects.create(
        kind="history", state=State.IMPORTED, structure=world.relais, created_by=coordinator,
        original_name="suivi.xlsx", sha256="0" * 64, file_expires_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip
    record_created(batch, [Mobilisation.objects.get(pk=mobilisation.pk), Exit.objects.get(person=kept)])
    undo(by=coordinator, batch=batch)
    assert stored() == recomputed()
    assert stored()[kept.pk][3] is None and stored()[kept.pk][5] is None
    # The retention purge deletes a never-accompanied person's hand-offs.
    lone = make_person(by=referent, spotted_on=D(2024, 1, 10), last_name="Seule")
    Person.objects.filter(pk=lone.pk).update(
        created_at=timezone.now() - dt.timedelta(days=800), retention_from=timezone.now() - dt.timedelta(days=800)
    )
    retention_purge()
    assert stored() == recomputed()
