"""Factories of the pathways app: people registered through the service, as a user would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from citemploi.accounts.models import Structure, User
from citemploi.pathways import services
from citemploi.pathways.models import Person
from citemploi.schemes.models import Scheme

_counter = itertools.count(1)


def make_person(
    *, by: User, structure: Structure | None = None, referent: bool = True, spotted_on: dt.date | None = None, **fields
) -> Person:
    """A person spotted by ``by`` in ``by``'s structure, ``by`` as referent unless ``referent=False``."""
    n = next(_counter)
    values = {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "birth_date": dt.date(1998, 1, 1) + dt.timedelta(days=n % 365),  # stays in 1998 (tests read the year)
    }
    values.update(fields)
    # What a registration says goes through the typed input; anything else (a QPV result…) is set afterwards,
    # as the geocoder would.
    known = {f.name for f in dataclasses.fields(services.PersonFields)}
    extra = {name: values.pop(name) for name in list(values) if name not in known}
    person = services.person_register(
        by=by,
        structure=structure or by.primary_structure,
        channel="permanence",
        spotted_on=spotted_on or dt.date.today(),
        locate=False,
        fields=services.PersonFields(**values),
    )
    if extra:
        Person.objects.filter(pk=person.pk).update(**extra)
    if referent:
        services.referent_assign(by=by, person=person, referent=by)
    return Person.objects.get(pk=person.pk)


def scheme(code: str = "cej") -> Scheme:
    return Scheme.objects.get(code=code)
