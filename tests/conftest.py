"""Test fixtures shared by the whole suite: personas, the HTTP clients logged in as each, query-count pinning.

Strictness: undefined template variables raise (config.test_settings), warnings are errors (pyproject).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from citemploi.accounts.models import Role, Structure, User
from tests.factories.accounts import StructureFactory, user_with_role

PERSONAS = (
    "anonymous",
    "referent",
    "colleague",
    "outsider",
    "coordinator",
    "state_copilot",
    "steering_member",
    "admin",
)


@pytest.fixture(autouse=True)
def _fresh_figures() -> Iterator[None]:
    """Computed figures are cached under the data version (citemploi/core/freshness.py); each test rolls its
    data back, and the SQLite counter with it, so no figure may outlive its test."""
    caches["figures"].clear()
    yield


@dataclass
class World:
    """The standard cast: a relais with a referent and a colleague, another relais (the outsider), the
    coordination, the State, a steering member and the admin. Apps add their own objects in ``objects``."""

    relais: Structure
    other_relais: Structure
    coordination: Structure
    state: Structure
    users: dict[str, User | None]
    objects: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def scheme_catalogue(transactional_db):
    """For transactional tests: each one ends with a flush that also empties what data migrations seeded (the
    catalogue of schemes), so a later one on the same worker finds it empty. Seed it again as the migrations do
    (idempotent). (serialized_rollback does not help: the flush recreates the content types it would restore.)"""
    from django.apps import apps

    from citemploi.schemes.models import SchemeParameter

    if SchemeParameter.objects.exists():  # not flushed yet (first transactional test of this worker)
        return
    for name in ("0002_seed_schemes", "0004_seed_parameters"):
        importlib.import_module(f"citemploi.schemes.migrations.{name}").seed(apps, None)


@pytest.fixture
def world(db) -> World:
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    other = StructureFactory(relais=True, name="Relais emploi Terrenoire")
    coordination = StructureFactory(coordination=True)
    state = StructureFactory(state=True)
    users: dict[str, User | None] = {
        "anonymous": None,
        "referent": user_with_role(Role.RELAIS_AGENT, relais, email="referente@exemple.test"),
        "colleague": user_with_role(Role.RELAIS_AGENT, relais, email="collegue@exemple.test"),
        "outsider": user_with_role(Role.RELAIS_AGENT, other, email="exterieur@exemple.test"),
        "coordinator": user_with_role(Role.COORDINATOR, coordination, email="coordination@exemple.test"),
        "state_copilot": user_with_role(Role.STATE_COPILOT, state, email="etat@exemple.test"),
        "steering_member": user_with_role(Role.STEERING_MEMBER, state, email="copil@exemple.test"),
        "admin": user_with_role(Role.ADMIN, coordination, email="admin@exemple.test"),
    }
    return World(relais=relais, other_relais=other, coordination=coordination, state=state, users=users)


def login_client(user: User | None) -> Client:
    """A client logged in as ``user`` (anonymous when None), second factor passed when the role needs one."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.has_role(Role.COORDINATOR, Role.ADMIN):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clients(world: World) -> dict[str, Client]:
    return {name: login_client(user) for name, user in world.users.items()}


@contextmanager
def assert_max_queries(limit: int) -> Iterator[CaptureQueriesContext]:
    """Pin the number of SQL queries of a block: fails when it exceeds ``limit`` (and shows them). The figures kept
    until the data changes (core/freshness.py) are forgotten first: the block is counted as it computes them."""
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    count = len(ctx.captured_queries)
    if count > limit:
        listing = "\n".join(q["sql"] for q in ctx.captured_queries)
        pytest.fail(f"{count} requêtes SQL, plafond {limit} :\n{listing}")


@pytest.fixture
def max_queries():
    return assert_max_queries
