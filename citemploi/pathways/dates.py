"""Date rules of the pathways domain (issue 10, item 6), checked by the services before any write.

Each rule raises `ValidationFailed` with the French message and the name of the service argument at fault
(``field``), which is also the name of the form field: forms show the message on that field, the API under that key.

- a person is 14 to 100 years old (``MIN_AGE``, ``MAX_AGE``);
- past events cannot be in the future (repérage, contact, notice, objection, consent, exit, frein, first meeting,
  follow-up, France Travail registration); planned appointments are the only dates allowed ahead;
- an exit is on or after the repérage, the entry in the pathway and the start of every mobilisation it closes
  (its entry for a scheme entered, its proposal otherwise); a contract ends on or after the exit;
- a follow-up comes after the exit; a withdrawal after the consent; an objection after the notice; a first meeting
  after the hand-off was sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.core.errors import ValidationFailed

MIN_AGE = 14
MAX_AGE = 100

#: The message of "cannot be in the future", per service argument (= form field).
FUTURE_MESSAGES: dict[str, str | Promise] = {
    "spotted_on": _("La date de repérage ne peut pas être dans le futur."),
    "assigned_at": _("La date de désignation du référent ne peut pas être dans le futur."),
    "state_changed_at": _("La date du changement d'état ne peut pas être dans le futur."),
    "happened_at": _(
        "La date du contact ne peut pas être dans le futur : enregistrez le contact une fois qu'il a eu lieu."
    ),
    "informed_on": _("La date de remise de la notice ne peut pas être dans le futur."),
    "objected_on": _("La date de l'opposition ne peut pas être dans le futur."),
    "given_on": _("La date du consentement ne peut pas être dans le futur."),
    "revoked_on": _("La date du retrait du consentement ne peut pas être dans le futur."),
    "exited_on": _("La date de sortie ne peut pas être dans le futur."),
    "identified_on": _("La date d'identification du frein ne peut pas être dans le futur."),
    "met_on": _("La date du premier rendez-vous ne peut pas être dans le futur."),
    "done_on": _("La date du suivi ne peut pas être dans le futur."),
    "ft_registered_since": _("La date d'inscription à France Travail ne peut pas être dans le futur."),
    "birth_date": _("La date de naissance ne peut pas être dans le futur."),
    "closed_on": _("La date de clôture du frein ne peut pas être dans le futur."),
    "proposed_on": _("La date de proposition du dispositif ne peut pas être dans le futur."),
    "mobilisation_on": _("La date de ce changement du dispositif ne peut pas être dans le futur."),
    "sent_at": _("La date d'envoi de l'orientation ne peut pas être dans le futur."),
    "answered_at": _("La date de réponse à l'orientation ne peut pas être dans le futur."),
}


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def age_on(birth_date: date, day: date) -> int:
    """Full years between ``birth_date`` and ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_past(value: date | datetime | None, *, field: str, today: date | None = None) -> None:
    """A past event: refused when after today (the day, in the local time zone)."""
    if value is not None and _day(value) > (today or timezone.localdate()):
        raise ValidationFailed(str(FUTURE_MESSAGES[field]), field=field)


def check_not_before(
    value: date | datetime | None,
    earliest: date | datetime | None,
    *,
    field: str,
    message: str,
    params: dict[str, object] | None = None,
) -> None:
    """``value`` must be on or after ``earliest``; ``message`` gets the earliest date as ``%(date)s``."""
    if value is not None and earliest is not None and _day(value) < _day(earliest):
        raise ValidationFailed(message % {**(params or {}), "date": _fmt(_day(earliest))}, field=field)


def check_birth_date(birth_date: date | None, *, today: date | None = None) -> None:
    """A person followed is 14 to 100 years old."""
    if birth_date is None:
        return
    today = today or timezone.localdate()
    check_past(birth_date, field="birth_date", today=today)
    age = age_on(birth_date, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationFailed(
            gettext(
                "Une personne accompagnée a entre %(min)s et %(max)s ans : avec cette date de naissance, elle aurait "
                "%(age)s ans. Vérifiez la date."
            )
            % {"min": MIN_AGE, "max": MAX_AGE, "age": age},
            field="birth_date",
        )


def check_person(*, birth_date: date | None, ft_registered_since: date | None) -> None:
    """The dates of the person's record."""
    check_birth_date(birth_date)
    check_past(ft_registered_since, field="ft_registered_since")


def check_exit(
    *,
    exited_on: date,
    contract_end_on: date | None,
    spotted_on: date | None,
    entered_on: date | None,
    closes: Iterable[tuple[str, date | None, date | None]],
) -> None:
    """An exit: not in the future, on or after the repérage, the entry in the pathway and the start of every
    mobilisation it closes (``closes``: scheme name, entry date or None, proposal date)."""
    check_past(exited_on, field="exited_on")
    check_not_before(
        exited_on,
        spotted_on,
        field="exited_on",
        message=gettext("La sortie ne peut pas précéder le repérage (%(date)s)."),
    )
    check_not_before(
        exited_on,
        entered_on,
        field="exited_on",
        message=gettext("La sortie ne peut pas précéder l'entrée en parcours (%(date)s)."),
    )
    for scheme, entered, proposed in closes:
        if entered is not None:
            message = gettext("La sortie ne peut pas précéder l'entrée dans le dispositif %(scheme)s (%(date)s).")
        else:
            message = gettext("La sortie ne peut pas précéder la proposition du dispositif %(scheme)s (%(date)s).")
        check_not_before(exited_on, entered or proposed, field="exited_on", message=message, params={"scheme": scheme})
    check_not_before(
        contract_end_on,
        exited_on,
        field="contract_end_on",
        message=gettext("La fin prévue du contrat ne peut pas précéder la date de sortie (%(date)s)."),
    )
