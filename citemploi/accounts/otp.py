"""Second factor (TOTP): who must pass it, enrolling and removing devices, recovery codes, the admin's reset.

Rules (issue 9 item 1): a device is enrolled only by a user who has no confirmed device yet, or whose session has
already passed the second factor (the web view checks the session); removing a device asks for a current code;
every device change is e-mailed to the owner (no personal data in the mail); recovery codes are single-use and
stored as SHA-256 digests; a lost phone is reset only by an admin, never for oneself, and logged.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from citemploi.core.errors import PermissionDenied, ValidationFailed
from citemploi.core.mail import mail_later

if TYPE_CHECKING:
    from citemploi.accounts.models import User

RECOVERY_CODE_COUNT = 10


def needs_second_factor(user: object) -> bool:
    """True when the user's role requires TOTP and the session has not passed it yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_role(*settings.OTP_REQUIRED_ROLES):  # type: ignore[attr-defined]
        return False
    if settings.DEMO_MODE and user.is_demo_account:  # type: ignore[attr-defined]
        return False
    return not user.is_verified()  # type: ignore[attr-defined]


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def may_enrol(user: User, *, session_verified: bool) -> bool:
    """A new device may be paired by a user without any confirmed device, or from a session that passed the
    second factor. With a confirmed device and only the password, never (that was the bypass)."""
    return session_verified or not has_confirmed_device(user)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being paired (created on first call)."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Application"})
    return device


@transaction.atomic
def device_confirm(*, user: User, device: TOTPDevice, token: str, session_verified: bool) -> list[str]:
    """Confirm ``device`` with a code it produced. Returns the new recovery codes (to show once) at the first
    enrolment, an empty list when the user already has some."""
    if not may_enrol(user, session_verified=session_verified):
        raise PermissionDenied(_("Saisissez d'abord un code de votre application actuelle."))
    locked = TOTPDevice.objects.select_for_update(of=("self",)).get(pk=device.pk, user=user)
    if locked.confirmed or not locked.verify_token(token):
        raise ValidationFailed(_("Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché."))
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    device.confirmed = True
    _mail_owner(
        user,
        _("Nouvel appareil de double authentification"),
        _("Un nouvel appareil de double authentification a été ajouté à votre compte le %(date)s."),
    )
    if user.recovery_codes.filter(used_at__isnull=True).exists():
        return []
    return recovery_codes_generate(user=user)


def device_remove(*, user: User, device: TOTPDevice, token: str) -> None:
    """Remove one of the user's devices; a current code of any of their devices (or a recovery code) is asked.
    (Not one transaction with the code check: a wrong code must keep counting in django-otp's throttling.)"""
    if device.user_id != user.pk:
        raise PermissionDenied
    if not (_any_device_accepts(user, token) or recovery_code_use(user=user, code=token, notify=False)):
        raise PermissionDenied(_("Code incorrect : l'appareil n'a pas été retiré."))
    with transaction.atomic():
        device.delete()
        if not has_confirmed_device(user):
            user.recovery_codes.all().delete()
        _mail_owner(
            user,
            _("Appareil de double authentification retiré"),
            _("Un appareil de double authentification a été retiré de votre compte le %(date)s."),
        )


def _any_device_accepts(user: User, token: str) -> bool:
    return any(device.verify_token(token) for device in TOTPDevice.objects.filter(user=user, confirmed=True))


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones (returned once, stored hashed)."""
    from citemploi.accounts.models import RecoveryCode

    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = b32encode(secrets.token_bytes(10)).decode()  # 80 bits, 16 characters
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    user.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(code)) for code in codes])
    return codes


def recovery_code_use(*, user: User, code: str, notify: bool = True) -> bool:
    """Spend one recovery code of ``user``: True once per code (a conditional update, safe under races)."""
    if len(_normalise(code)) != 16:
        return False
    spent = user.recovery_codes.filter(digest=_digest(code), used_at__isnull=True).update(used_at=timezone.now())
    if spent and notify:
        _mail_owner(
            user,
            _("Code de secours utilisé"),
            _(
                "Un code de secours de double authentification a été utilisé pour vous connecter le %(date)s. "
                "Il ne servira plus."
            ),
        )
    return bool(spent)


def recovery_codes_left(user: User) -> int:
    return user.recovery_codes.filter(used_at__isnull=True).count()


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> None:
    """Lost phone: the admin removes every device and recovery code of ``user``, who pairs a new app at the next
    login. Logged (SecondFactorReset) and e-mailed to the owner."""
    from citemploi.accounts.models import Role, SecondFactorReset

    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Seule l'administration technique peut réinitialiser la double authentification."))
    if actor.pk == user.pk:
        raise PermissionDenied(
            _("Vous ne pouvez pas réinitialiser votre propre double authentification : demandez à une autre personne.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    user.recovery_codes.all().delete()
    SecondFactorReset.objects.create(user=user, reset_by=actor)
    _mail_owner(
        user,
        _("Double authentification réinitialisée"),
        _(
            "La double authentification de votre compte a été réinitialisée par l'administration technique le "
            "%(date)s. À votre prochaine connexion, vous associerez une nouvelle application."
        ),
    )


def _mail_owner(user: User, subject: str, sentence: str) -> None:
    when = timezone.localtime().strftime("%d/%m/%Y à %H:%M")
    body = "\n\n".join(
        [
            _("Bonjour,"),
            sentence % {"date": when},
            _(
                "Si vous n'êtes pas à l'origine de ce changement, prévenez sans attendre la coordination de la Cité "
                "de l'emploi et l'administration technique, puis changez votre mot de passe."
            ),
            settings.SITE_URL,
        ]
    )
    mail_later(to=[user.email], subject=subject, body=body)
