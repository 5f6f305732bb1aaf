"""Access rules of the import screens (the authorization matrix, tests/test_authz_matrix.py).

The setup gives the matrix two imports of the referent's relais by the referent: one analysed (its pages) and one
already undone (its actions: each service then refuses the transition, 303 back to the page, nothing changes).
An outsider (another relais) gets 404 for both, like a missing import; roles without casework get 403."""

from __future__ import annotations

from tests.authz import Access

IMPORTERS = frozenset({"referent", "colleague", "outsider", "coordinator"})
MINE = frozenset({"referent", "colleague", "coordinator"})


def setup(world) -> None:
    from django.utils import timezone

    from citemploi.intake.models import Import, State

    if "import" in world.objects:
        return

    def make(state: str, **extra) -> Import:
        return Import.objects.create(
            kind="people", state=state, structure=world.relais, created_by=world.users["referent"],
            original_name="liste.csv", sha256="0" * 64, file_expires_at=timezone.now(),
            mapping={"last_name": "nom", "first_name": "prenom"}, headers=["nom", "prenom"], **extra,
        )  # fmt: skip

    world.objects["import"] = make(State.ANALYSED, counts={"rows": 0, "errors": 0})
    world.objects["import_done"] = make(State.CANCELLED, imported_at=timezone.now(), counts={"processed": True})


def _page(w):
    return {"public_id": w.objects["import"].public_id}


def _done(w):
    return {"public_id": w.objects["import_done"].public_id}


PAGE = Access(allowed=MINE, kwargs=_page, overrides={"outsider": 404})


def _action(**extra):
    return Access(allowed=MINE, kwargs=_done, method="post", ok=303, overrides={"outsider": 404, **extra})


RULES = {
    "intake:list": Access(allowed=IMPORTERS),
    "intake:upload": Access(allowed=IMPORTERS),
    # The history takeover's template (h18); 404 while that part is not installed.
    "intake:history_template": Access(allowed=IMPORTERS),
    "intake:detail": PAGE,
    "intake:status": PAGE,
    "intake:report": Access(allowed=MINE, kwargs=lambda w: {**_page(w), "fmt": "csv"}, overrides={"outsider": 404}),
    "intake:mapping": Access(allowed=MINE, kwargs=_page, method="post", ok=302, overrides={"outsider": 404}),
    "intake:exclude": Access(allowed=MINE, kwargs=_page, method="post", ok=302, overrides={"outsider": 404}),
    "intake:confirm": _action(),
    "intake:spot": _action(),
    # Undo: the author and the coordinator only (the colleague is refused: 403).
    "intake:undo": _action(colleague=403),
}
