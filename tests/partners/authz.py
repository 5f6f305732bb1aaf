"""Authorization matrix of the census (partners) and of the public pages (public)."""

from __future__ import annotations

from citemploi.partners.models import Revision
from tests.authz import LOGGED_IN, Access

EDITORS = frozenset({"referent", "colleague", "coordinator"})
COORDINATOR = frozenset({"coordinator"})
PUBLIC = Access(public=True)
API_ANONYMOUS: dict[str, int | str] = {"anonymous": 401}


def setup(world) -> None:
    from tests.factories.partners import ActionFactory, ServiceFactory

    if "partners_service" in world.objects:
        return
    service = ServiceFactory(structure=world.relais)
    action = ActionFactory(carrier=world.relais)
    draft = ServiceFactory(structure=world.relais, is_published=False)
    world.objects["partners_service"] = service
    world.objects["partners_action"] = action
    world.objects["partners_revision"] = Revision.objects.create(service=draft, data={"name": "Nouveau nom"})


def _structure(w):
    return {"structure_id": w.relais.public_id}


def _service(w):
    return {"public_id": w.objects["partners_service"].public_id}


def _action(w):
    return {"public_id": w.objects["partners_action"].public_id}


# Editing someone else's entries answers 404 (like a missing one); roles that never edit get 403.
EDIT = {"allowed": EDITORS, "overrides": {"outsider": 404}}
# Operations on an action (sessions, funders, results, registrations): 404 to everyone but its structure and the
# coordinator.
OPERATE = {"allowed": EDITORS, "method": "post", "ok": 302, "denied": 404, "kwargs": _action}

RULES = {
    "partners:directory": Access(),
    "partners:structure": Access(kwargs=lambda w: {"public_id": w.relais.public_id}),
    "partners:profile_edit": Access(allowed=COORDINATOR, kwargs=lambda w: {"public_id": w.relais.public_id}),
    "partners:service_create": Access(kwargs=_structure, **EDIT),
    "partners:action_create": Access(kwargs=_structure, **EDIT),
    "partners:service": Access(kwargs=_service),
    "partners:service_edit": Access(kwargs=_service, **EDIT),
    "partners:action": Access(kwargs=_action),
    "partners:action_edit": Access(kwargs=_action, **EDIT),
    "partners:session_add": Access(**OPERATE),
    "partners:funder_add": Access(**OPERATE),
    "partners:results": Access(**OPERATE),
    "partners:registration_add": Access(**OPERATE),
    "partners:attendance": Access(**OPERATE),
    "partners:calendar": Access(),
    "partners:map": Access(),
    "partners:map_data": Access(),
    "partners:completeness": Access(),
    "partners:coverage": Access(),
    "partners:export": Access(kwargs=lambda w: {"what": "services", "fmt": "csv"}),
    "partners:moderation": Access(allowed=COORDINATOR),
    "partners:revision": Access(
        allowed=COORDINATOR, kwargs=lambda w: {"public_id": w.objects["partners_revision"].public_id}
    ),
    "public:about": PUBLIC,
    "public:relais": PUBLIC,
    "public:relais_map_data": PUBLIC,
    "public:agenda": PUBLIC,
    "public:agenda_ics": PUBLIC,
    "public:action": Access(public=True, kwargs=_action),
    # Promotion (issue 15 §7): the letter and the widget are public; the letter's e-mail version is the coordinator's.
    "public:newsletter": PUBLIC,
    "public:agenda_widget": PUBLIC,
    "public:newsletter_email": Access(allowed=COORDINATOR),
    "public:newsletter_email_html": Access(allowed=COORDINATOR),
    "public:newsletter_email_text": Access(allowed=COORDINATOR),
    # The API answers 401 to anonymous requests (token or session authentication), never a login redirect.
    "api:partners_services": Access(allowed=LOGGED_IN, overrides=API_ANONYMOUS),
    "api:partners_service": Access(kwargs=_service, overrides=API_ANONYMOUS),
    "api:partners_actions": Access(overrides=API_ANONYMOUS),
    "api:partners_action": Access(kwargs=_action, overrides=API_ANONYMOUS),
}
