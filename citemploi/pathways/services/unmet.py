"""« Aucune solution »: an orientation or a scheme proposal that could not be made because no action answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import ValidationFailed
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import UnmetSource
from citemploi.pathways.models import Person, UnmetOrientation
from citemploi.pathways.services.common import REFERENT_ONLY, edits, event, guarded, own_structure
from citemploi.pathways.unmet import age_band_of, situation_of, unmet_recorded

#: A full thématique or a whole category of data·inclusion.
_THEMATIQUES = {value for value, _label in ref.THEMATIQUE_CHOICES} | {value for value, _l in ref.CATEGORIE_CHOICES}


def _send() -> None:
    unmet_recorded.send(sender=UnmetOrientation)


def notify_unmet() -> None:
    """Tell the register of needs, once the transaction commits, that a signal was recorded — once per transaction
    (an import that closes a thousand freins enqueues one synchronisation; a rollback drops it with the rest)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)


@guarded(lambda by, person, **_: edits(by, person), REFERENT_ONLY)
@transaction.atomic
def unmet_orientation_record(*, by: User, person: Person, source: str, thematique: str) -> UnmetOrientation:
    """Record that no action answers this person's need (« aucune solution »): the thématique, the person's QPV,
    age band and situation, the acting structure and today. The register of needs counts it (never the name)."""
    if source not in UnmetSource.values:
        raise ValidationFailed(_("Origine inconnue."), field="source")
    if thematique not in _THEMATIQUES:
        raise ValidationFailed(_("Choisissez une thématique de la liste."), field="thematique")
    day = timezone.localdate()
    person = Person.objects.select_related("qpv").get(pk=person.pk)
    record = UnmetOrientation.objects.create(
        source=source,
        thematique=thematique,
        qpv_code=person.qpv.code if person.qpv else "",
        age_band=age_band_of(person.birth_year, day),
        situation=situation_of(person),
        on=day,
        structure=own_structure(by),
        person=person,
        recorded_by=by,
    )
    label = ref.THEMATIQUE_LABELS.get(thematique) or ref.CATEGORIE_LABELS.get(thematique, thematique)
    event(person=person, kind="unmet.recorded", label=f"Aucune solution : {label}", by=by)
    notify_unmet()
    return record
