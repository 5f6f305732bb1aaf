"""Writes of the steering app: instances, members, meetings, agenda, invitations, attendance, minutes, documents.

Decisions and the roadmap are in ``services_decisions.py`` and ``services_roadmap.py``. Each service checks its
rule first (``core.errors.PermissionDenied``), locks what two people may change at once and saves only the
changed fields; e-mails leave after the commit through ``core.mail.mail_later``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.core.documents import check_document
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.core.mail import mail_later
from citemploi.governance import ical
from citemploi.governance.ical import meeting_link
from citemploi.governance.models import (
    AgendaItem,
    Instance,
    InstanceKind,
    InstanceMember,
    Invitation,
    Meeting,
    MeetingDocument,
    MeetingFeedKey,
    MemberRole,
    Reply,
    Visibility,
)
from citemploi.governance.permissions import can_manage_governance, can_prepare


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("instance").get(pk=meeting.pk)


# --- Instances ----------------------------------------------------------------------------------------------------


@transaction.atomic
def instance_create(
    *, by: User, kind: str, name: str, description: str = "", default_visibility: str = Visibility.MEMBERS
) -> Instance:
    """A new instance (COPIL, COTECH, partners' meeting, commission de situations, working group)."""
    _require(can_manage_governance(by), _("Seule la coordination crée les instances."))
    if kind not in InstanceKind.values:
        raise ValidationFailed(_("Type d'instance inconnu."), field="kind")
    return Instance.objects.create(
        kind=kind, name=name.strip(), description=description, default_visibility=default_visibility, created_by=by
    )


@transaction.atomic
def instance_member_add(
    *,
    by: User,
    instance: Instance,
    user: User | None = None,
    structure: Structure | None = None,
    role: str = MemberRole.MEMBER,
) -> InstanceMember:
    """Add a person or a whole structure to an instance (co-chair, member or guest); adding again changes the role."""
    _require(can_manage_governance(by), _("Seule la coordination compose les instances."))
    if (user is None) == (structure is None):
        raise ValidationFailed(_("Choisissez une personne ou une structure, pas les deux."), field="user")
    if role not in MemberRole.values:
        raise ValidationFailed(_("Rôle inconnu."), field="role")
    Instance.objects.select_for_update(of=("self",)).get(pk=instance.pk)
    lookup: dict[str, Any] = {"user": user} if user is not None else {"structure": structure}
    member, created = InstanceMember.objects.get_or_create(instance=instance, **lookup, defaults={"role": role})
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role", "updated_at"])
    return member


@transaction.atomic
def instance_member_remove(*, by: User, member: InstanceMember) -> None:
    _require(can_manage_governance(by), _("Seule la coordination compose les instances."))
    InstanceMember.objects.filter(pk=member.pk).delete()


# --- Meetings -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFields:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    visio_url: str = ""
    visibility: str = ""


def _check_dates(fields: MeetingFields) -> None:
    if fields.ends_at <= fields.starts_at:
        raise ValidationFailed(_("La fin de la réunion doit suivre son début."), field="ends_at")
    if not fields.place and not fields.visio_url:
        raise ValidationFailed(_("Indiquez un lieu ou un lien de visioconférence."), field="place")


@transaction.atomic
def meeting_create(*, by: User, instance: Instance, fields: MeetingFields) -> Meeting:
    """Plan a meeting of the instance; its visibility defaults to the instance's."""
    _require(can_prepare(by, instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    _check_dates(fields)
    return Meeting.objects.create(
        instance=instance,
        title=fields.title.strip(),
        starts_at=fields.starts_at,
        ends_at=fields.ends_at,
        place=fields.place,
        visio_url=fields.visio_url,
        visibility=fields.visibility or instance.default_visibility,
        created_by=by,
    )


@transaction.atomic
def meeting_update(*, by: User, meeting: Meeting, fields: MeetingFields) -> Meeting:
    """Change the date, place or title; invitees already invited get the updated invitation."""
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    if meeting.cancelled:
        raise InvalidTransition(_("La réunion est annulée."))
    _check_dates(fields)
    changed = [
        name
        for name in ("title", "starts_at", "ends_at", "place", "visio_url", "visibility")
        if getattr(fields, name) and getattr(meeting, name) != getattr(fields, name)
    ]
    for name in changed:
        setattr(meeting, name, getattr(fields, name))
    if changed:
        meeting.sequence += 1
        meeting.save(update_fields=[*changed, "sequence", "updated_at"])
        if meeting.invitations_sent_at is not None:
            _mail_invitations(meeting, list(meeting.invitations.select_related("user")), update=True)
    return meeting


@transaction.atomic
def meeting_cancel(*, by: User, meeting: Meeting) -> Meeting:
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    if meeting.cancelled:
        return meeting
    meeting.cancelled = True
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled", "sequence", "updated_at"])
    if meeting.invitations_sent_at is not None:
        _mail_invitations(meeting, list(meeting.invitations.select_related("user")), update=True)
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    by: User,
    meeting: Meeting,
    title: str,
    owner: User | None = None,
    indicators: Sequence[str] = (),
    action: Any = None,
    person_ref: Any = None,
) -> AgendaItem:
    """Add a point to the agenda (at the end); a commission de situations may examine one person."""
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    if person_ref is not None and meeting.instance.kind != InstanceKind.CASE_REVIEW:
        raise ValidationFailed(_("Seule une commission de situations examine la situation d'une personne."))
    last = meeting.items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title.strip(),
        owner=owner,
        indicators=list(indicators),
        action=action,
        person_ref=person_ref,
    )


@transaction.atomic
def agenda_item_remove(*, by: User, item: AgendaItem) -> None:
    meeting = _locked_meeting(item.meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    AgendaItem.objects.filter(pk=item.pk).delete()


# --- Invitations, replies, attendance -------------------------------------------------------------------------------


def instance_accounts(instance: Instance) -> list[User]:
    """Every active account the instance reaches: members in person and active members of member structures."""
    users = {m.user for m in instance.members.select_related("user") if m.user is not None and m.user.is_active}
    structures = [m.structure_id for m in instance.members.all() if m.structure_id is not None]
    if structures:
        users |= set(
            User.objects.filter(
                is_active=True, memberships__structure_id__in=structures, memberships__is_active=True
            ).distinct()
        )
    return sorted(users, key=lambda u: (u.sort_name, u.pk))


@transaction.atomic
def meeting_invite(*, by: User, meeting: Meeting) -> int:
    """Invite every account of the instance not invited yet: one e-mail each with the .ics; returns how many."""
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence préparent les réunions."))
    if meeting.cancelled:
        raise InvalidTransition(_("La réunion est annulée."))
    if meeting.ends_at <= timezone.now():
        raise InvalidTransition(_("La réunion est passée : on n'y invite plus."))
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        Invitation(meeting=meeting, user=user, sent_at=now)
        for user in instance_accounts(meeting.instance)
        if user.pk not in invited
    ]
    Invitation.objects.bulk_create(new)
    if new:
        meeting.invitations_sent_at = now
        meeting.save(update_fields=["invitations_sent_at", "updated_at"])
        _mail_invitations(meeting, new, update=False)
    return len(new)


def _mail_invitations(meeting: Meeting, invitations: Sequence[Invitation], *, update: bool) -> None:
    body_ics = ical.meeting_calendar([meeting])
    when = timezone.localtime(meeting.starts_at)
    subject = (
        _("Réunion annulée : %(title)s")
        if meeting.cancelled
        else _("Réunion modifiée : %(title)s")
        if update
        else _("Invitation : %(title)s")
    ) % {"title": meeting.title}
    where = meeting.place or meeting.visio_url
    link = meeting_link(meeting)
    for invitation in invitations:
        body = _(
            "Bonjour,\n\n%(instance)s — %(title)s\nle %(day)s à %(hour)s, %(where)s.\n\n"
            "Répondre (présent, excusé, représenté) et lire l'ordre du jour : %(link)s\n\n"
            "L'invitation pour votre agenda est jointe (fichier .ics)."
        ) % {
            "instance": meeting.instance.name,
            "title": meeting.title,
            "day": when.strftime("%d/%m/%Y"),
            "hour": when.strftime("%H:%M"),
            "where": where,
            "link": link,
        }
        mail_later(
            to=[invitation.user.email],
            subject=subject,
            body=body,
            attachments=[("reunion.ics", body_ics, "text/calendar")],
        )


@transaction.atomic
def invitation_reply(*, by: User, invitation: Invitation, reply: str, represented_by: str = "") -> Invitation:
    """The invitee answers: present, excused, or represented by someone (named)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=invitation.pk)
    _require(invitation.user_id == by.pk, _("Seule la personne invitée répond à son invitation."))
    if reply not in {Reply.PRESENT, Reply.EXCUSED, Reply.REPRESENTED}:
        raise ValidationFailed(_("Réponse inconnue."), field="reply")
    if reply == Reply.REPRESENTED and not represented_by.strip():
        raise ValidationFailed(_("Indiquez qui vous représente."), field="represented_by")
    if invitation.meeting.cancelled:
        raise InvalidTransition(_("La réunion est annulée."))
    invitation.reply = reply
    invitation.represented_by = represented_by.strip() if reply == Reply.REPRESENTED else ""
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "represented_by", "replied_at", "updated_at"])
    return invitation


@transaction.atomic
def attendance_record(*, by: User, meeting: Meeting, present: Mapping[int, bool | None]) -> int:
    """Record on the day who attended (invitation id → present, absent or unknown); returns how many changed."""
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence tiennent l'émargement."))
    if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
        raise InvalidTransition(_("L'émargement se fait le jour de la réunion ou après."))
    changed = []
    for invitation in meeting.invitations.select_for_update(of=("self",)):
        if invitation.pk in present and invitation.attended != present[invitation.pk]:
            invitation.attended = present[invitation.pk]
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attended"])
    return len(changed)


# --- Minutes and documents ----------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, by: User, meeting: Meeting, text: str) -> Meeting:
    """Write the minutes (Markdown, rendered through the sanitiser at every display)."""
    meeting = _locked_meeting(meeting)
    _require(
        can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence rédigent le compte rendu.")
    )
    if len(text) > int(settings.MINUTES_MAX_CHARS):
        raise ValidationFailed(
            _("Compte rendu trop long : au plus %(max)s caractères.") % {"max": settings.MINUTES_MAX_CHARS},
            field="minutes",
        )
    if meeting.minutes != text:
        meeting.minutes = text
        meeting.minutes_updated_at = timezone.now()
        meeting.save(update_fields=["minutes", "minutes_updated_at", "updated_at"])
    return meeting


@transaction.atomic
def document_add(*, by: User, meeting: Meeting, name: str, size: int, content: IO[bytes]) -> MeetingDocument:
    """Attach a document (size and kind checked by ``core.documents``)."""
    meeting = _locked_meeting(meeting)
    _require(can_prepare(by, meeting.instance), _("Seules la coordination et la coprésidence joignent des documents."))
    check_document(name, size, content)
    document = MeetingDocument(meeting=meeting, name=name[:200], size=size, uploaded_by=by)
    document.file.save(name, File(content), save=False)
    document.save()
    return document


# --- Personal feed ------------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_feed_regenerate(*, by: User) -> int:
    """A new address for the user's meetings feed; the old one stops working. Returns the new version."""
    key, _created = MeetingFeedKey.objects.select_for_update(of=("self",)).get_or_create(user=by)
    key.version += 1
    key.save(update_fields=["version", "updated_at"])
    return key.version
