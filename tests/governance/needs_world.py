"""Shared set-up of the register of uncovered needs' tests: a QPV, people of the referent's relais living in it,
« aucune solution » and « non levable » signals recorded through the pathways services."""

from __future__ import annotations

from citemploi.governance.needs.sync import needs_sync
from citemploi.pathways import services
from citemploi.pathways.choices import UnmetSource
from citemploi.pathways.states import FreinState
from tests.factories.pathways import make_person
from tests.factories.territory import load_square_qpv

QPV_CODE = "QN04299M"


def qpv():
    return load_square_qpv(QPV_CODE)


def resident(world, **fields):
    """A person of the referent's relais living in the QPV, born in 1998 (26 to 49 years old from 2024)."""
    return make_person(by=world.users["referent"], qpv=qpv(), last_name=fields.pop("last_name", "Zorglub"), **fields)


def not_liftable(world, person, theme: str = "mobilite"):
    referent = world.users["referent"]
    frein = services.frein_identify(by=referent, person=person, theme=theme)
    return services.frein_transition(by=referent, frein=frein, target=FreinState.NOT_LIFTABLE)


def no_solution(world, person, thematique: str = "mobilite--preparer-un-permis"):
    return services.unmet_orientation_record(
        by=world.users["referent"], person=person, source=UnmetSource.HANDOFF, thematique=thematique
    )


def signals(world, n: int = 1) -> None:
    """``n`` rounds of: one « aucune solution » (permis) and two mobility freins « non levable »; synchronised."""
    for i in range(n):
        no_solution(world, resident(world, last_name=f"Zorglub{i}a"))
        not_liftable(world, resident(world, last_name=f"Zorglub{i}b"))
        not_liftable(world, resident(world, last_name=f"Zorglub{i}c"))
    needs_sync()
