from django.core.files.base import ContentFile
from django.utils import timezone

from citemploi.schemes import selectors
from citemploi.schemes.models import GoodPractice, GoodPracticeAttachment, Scheme, VeilleEntry, VeilleStatus
from tests.authz import CASEWORKERS, Access

COORDINATOR = frozenset({"coordinator"})


def setup(world):
    if "scheme" in world.objects:
        return
    world.objects["scheme"] = Scheme.objects.get(code="cej")
    world.objects["veille"] = VeilleEntry.objects.create(
        date=timezone.localdate(),
        title="Note publiée",
        summary="Résumé.",
        status=VeilleStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    practice = GoodPractice.objects.create(
        title="Pratique", territory="Loire", description="Description.", author=world.users["referent"]
    )
    world.objects["practice"] = practice
    world.objects["attachment"] = GoodPracticeAttachment.objects.create(
        practice=practice, file=ContentFile(b"contenu", name="fiche.txt"), name="fiche.txt"
    )
    # A feed reader is anonymous: the personal feed address (of the referent) is all it has.
    world.objects["feed_token"] = selectors.veille_feed_token(world.users["referent"])


def _scheme(w):
    return {"public_id": w.objects["scheme"].public_id}


def _veille(w):
    return {"public_id": w.objects["veille"].public_id}


RULES = {
    "schemes:list": Access(),
    "schemes:detail": Access(kwargs=_scheme),
    "schemes:parameter_edit": Access(allowed=COORDINATOR, kwargs=lambda w: _scheme(w) | {"key": "age_max"}),
    "schemes:veille": Access(),
    "schemes:validity_edit": Access(allowed=COORDINATOR, kwargs=_scheme),
    "schemes:veille_feed": Access(),
    "schemes:veille_feed_personal": Access(public=True, kwargs=lambda w: {"token": w.objects["feed_token"]}),
    "schemes:veille_feed_regenerate": Access(method="post", ok=302),
    "schemes:veille_create": Access(allowed=COORDINATOR),
    "schemes:veille_detail": Access(kwargs=_veille),
    "schemes:veille_edit": Access(allowed=COORDINATOR, kwargs=_veille),
    "schemes:veille_publish": Access(
        allowed=COORDINATOR, method="post", ok=302, kwargs=_veille, data=lambda w: {"action": "publish"}
    ),
    "schemes:practices": Access(),
    "schemes:practice_create": Access(allowed=COORDINATOR | CASEWORKERS),
    "schemes:practice_detail": Access(kwargs=lambda w: {"public_id": w.objects["practice"].public_id}),
    "schemes:practice_edit": Access(
        allowed=COORDINATOR | {"referent"}, kwargs=lambda w: {"public_id": w.objects["practice"].public_id}
    ),
    "schemes:attachment": Access(kwargs=lambda w: {"public_id": w.objects["attachment"].public_id}),
}
