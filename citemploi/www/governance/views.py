"""Steering pages: instances, a meeting (before, during, after), its documents and decisions (issue 14 §6).

Views are thin: read the input, call a service or a selector, render. Refusals of the services come back as a
message on the page the form was posted from (``www.site.errors.DomainErrorMiddleware``).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.accounts.models import User
from citemploi.evaluation import registry
from citemploi.governance import minutes, selectors, services, services_decisions
from citemploi.governance.ical import meeting_calendar
from citemploi.governance.models import (
    Decision,
    Instance,
    InstanceKind,
    InstanceMember,
    Meeting,
    MeetingDocument,
    Proposal,
)
from citemploi.governance.permissions import (
    can_manage_governance,
    can_move_decision,
    can_prepare,
    can_view_governance,
)
from citemploi.pathways.models import Person
from citemploi.www.governance import forms as f


def actor(request: HttpRequest) -> User:
    """The logged-in author of a write (the login middleware guarantees one on these pages)."""
    return cast(User, request.user)


def require_governance(request: HttpRequest) -> None:
    if not can_view_governance(request.user):
        raise HttpForbidden


def _back(request: HttpRequest, target: Any, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(target)


def _invalid(request: HttpRequest, target: Any, form: forms.BaseForm) -> HttpResponse:
    messages.error(request, _("Saisie invalide : %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(target)


def _meeting(request: HttpRequest, public_id: Any) -> Meeting:
    require_governance(request)
    try:
        return selectors.meeting_for(request.user, public_id)
    except Meeting.DoesNotExist as missing:
        raise Http404 from missing


def _instance(request: HttpRequest, public_id: Any) -> Instance:
    require_governance(request)
    return get_object_or_404(selectors.instances_for(request.user), public_id=public_id)


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.label} ({i.id})") for i in registry.indicators()]


# --- Instances ----------------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    context = {
        "instances": selectors.instances_for(request.user),
        "upcoming": selectors.upcoming_meetings(request.user),
        "form": f.InstanceForm() if can_manage_governance(request.user) else None,
        "feed_url": request.build_absolute_uri(
            reverse("governance:feed", args=[selectors.meeting_feed_token(actor(request))])
        ),
    }
    return render(request, "governance/home.html", context)


@require_POST
def instance_create(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    form = f.InstanceForm(request.POST)
    if not form.is_valid():
        return _invalid(request, "governance:home", form)
    instance = services.instance_create(by=actor(request), **form.cleaned_data)
    return _back(request, instance_url(instance), _("Instance créée."))


def instance_url(instance: Instance) -> str:
    return reverse("governance:instance", args=[instance.public_id])


def instance_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    instance = _instance(request, public_id)
    meetings = list(instance.meetings.order_by("-starts_at"))
    now = timezone.now()
    context = {
        "instance": instance,
        "members": instance.members.select_related("user", "structure").order_by("role", "id"),
        "coming": [m for m in reversed(meetings) if m.ends_at >= now],
        "past": [m for m in meetings if m.ends_at < now],
        "member_form": f.MemberForm() if can_manage_governance(request.user) else None,
        "meeting_form": f.MeetingForm() if can_prepare(request.user, instance) else None,
    }
    return render(request, "governance/instance.html", context)


@require_POST
def member_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    instance = _instance(request, public_id)
    form = f.MemberForm(request.POST)
    if not form.is_valid():
        return _invalid(request, instance_url(instance), form)
    services.instance_member_add(by=actor(request), instance=instance, **form.cleaned_data)
    return _back(request, instance_url(instance), _("Membre ajouté."))


@require_POST
def member_remove(request: HttpRequest, public_id: uuid.UUID, member_id: int) -> HttpResponse:
    instance = _instance(request, public_id)
    member = get_object_or_404(InstanceMember, pk=member_id, instance=instance)
    services.instance_member_remove(by=actor(request), member=member)
    return _back(request, instance_url(instance), _("Membre retiré."))


def _meeting_fields(data: dict[str, Any]) -> services.MeetingFields:
    return services.MeetingFields(**data)


@require_POST
def meeting_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    instance = _instance(request, public_id)
    form = f.MeetingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, instance_url(instance), form)
    meeting = services.meeting_create(
        by=actor(request),
        instance=instance,
        fields=_meeting_fields(form.cleaned_data),
    )
    return _back(request, meeting_url(meeting), _("Réunion créée : ajoutez l'ordre du jour, puis invitez."))


# --- A meeting ----------------------------------------------------------------------------------------------------


def meeting_url(meeting: Meeting) -> str:
    return reverse("governance:meeting", args=[meeting.public_id])


def _people_choices(request: HttpRequest, meeting: Meeting) -> list[tuple[str, str]]:
    if meeting.instance.kind != InstanceKind.CASE_REVIEW or not can_prepare(request.user, meeting.instance):
        return []
    people = Person.objects.visible_to(request.user).order_by("search_name", "pk")[:500]
    return [(str(p.public_id), f"{p.last_name} {p.first_name}") for p in people]


def meeting_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    user = request.user
    prepare = can_prepare(user, meeting.instance)
    items = list(meeting.items.all())
    refs = minutes.person_refs(meeting.minutes) | {i.person_ref for i in items if i.person_ref}
    names = selectors.people_names(user, refs)
    for item in items:
        item.person_name = (  # type: ignore[attr-defined]
            names.get(item.person_ref, minutes.ANONYMOUS) if item.person_ref else ""
        )
    invitations = sorted(meeting.invitations.all(), key=lambda i: (i.user.sort_name, i.pk))
    mine = next((i for i in invitations if i.user_id == user.pk), None)
    decisions = list(meeting.decisions.all())
    previous = selectors.previous_decisions(meeting)
    today = timezone.localdate()
    for decision in [*decisions, *previous]:
        decision.can_move = can_move_decision(user, decision)
        decision.late = services_decisions.is_late(decision, today)
    context = {
        "meeting": meeting,
        "items": items,
        "invitations": invitations,
        "mine": mine,
        "previous": previous,
        "decisions": decisions,
        # h33: the proposed solutions of uncovered needs that this meeting's decisions adopted (one query)
        "adopted_proposals": list(Proposal.objects.filter(decision__meeting=meeting).select_related("need")),
        "minutes_html": minutes.render(meeting.minutes, names),
        "can_prepare": prepare,
        "is_past": meeting.ends_at < timezone.now(),
        "is_today_or_past": timezone.localtime(meeting.starts_at).date() <= timezone.localdate(),
        "reply_form": f.ReplyForm(initial={"reply": mine.reply if mine else ""}, prefix="reply") if mine else None,
        "meeting_form": f.MeetingForm(
            prefix="meeting",
            initial={
                "title": meeting.title,
                "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at),
                "place": meeting.place,
                "visio_url": meeting.visio_url,
                "visibility": meeting.visibility,
            },
        )
        if prepare
        else None,
        "item_form": f.AgendaItemForm(
            indicators=indicator_choices(), people=_people_choices(request, meeting), prefix="item"
        )
        if prepare
        else None,
        "minutes_form": f.MinutesForm(initial={"minutes": meeting.minutes}, prefix="minutes") if prepare else None,
        "document_form": f.DocumentForm(prefix="doc") if prepare else None,
        "decision_form": f.DecisionForm(prefix="decision") if prepare else None,
        "follow_form": f.FollowForm(),
    }
    return render(request, "governance/meeting.html", context)


def meeting_ics(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    response = HttpResponse(meeting_calendar([meeting]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reunion.ics"'
    return response


@require_POST
def meeting_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    form = f.MeetingForm(request.POST, prefix="meeting")
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    services.meeting_update(by=actor(request), meeting=meeting, fields=_meeting_fields(form.cleaned_data))
    return _back(request, meeting_url(meeting), _("Réunion modifiée ; les invités sont prévenus."))


@require_POST
def meeting_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    services.meeting_cancel(by=actor(request), meeting=meeting)
    return _back(request, meeting_url(meeting), _("Réunion annulée ; les invités sont prévenus."))


@require_POST
def item_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    form = f.AgendaItemForm(
        request.POST, indicators=indicator_choices(), people=_people_choices(request, meeting), prefix="item"
    )
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    data = form.cleaned_data
    services.agenda_item_add(
        by=actor(request),
        meeting=meeting,
        title=data["title"],
        owner=data["owner"],
        indicators=data["indicators"],
        person_ref=uuid.UUID(data["person"]) if data.get("person") else None,
    )
    return _back(request, meeting_url(meeting), _("Point ajouté à l'ordre du jour."))


@require_POST
def item_remove(request: HttpRequest, public_id: uuid.UUID, item_id: int) -> HttpResponse:
    meeting = _meeting(request, public_id)
    item = get_object_or_404(meeting.items.all(), pk=item_id)
    services.agenda_item_remove(by=actor(request), item=item)
    return _back(request, meeting_url(meeting), _("Point retiré."))


@require_POST
def invite(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    count = services.meeting_invite(by=actor(request), meeting=meeting)
    return _back(request, meeting_url(meeting), _("%(count)s invitation(s) envoyée(s).") % {"count": count})


@require_POST
def reply(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    invitation = get_object_or_404(meeting.invitations.all(), user=request.user)
    form = f.ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    services.invitation_reply(by=actor(request), invitation=invitation, **form.cleaned_data)
    return _back(request, meeting_url(meeting), _("Réponse enregistrée."))


@require_POST
def attendance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    values = {"oui": True, "non": False, "": None}
    present = {
        int(key.removeprefix("present-")): values[value]
        for key, value in request.POST.items()
        if key.startswith("present-") and key.removeprefix("present-").isdigit() and value in values
    }
    changed = services.attendance_record(by=actor(request), meeting=meeting, present=present)
    return _back(request, meeting_url(meeting), _("Émargement enregistré (%(n)s modification(s)).") % {"n": changed})


@require_POST
def minutes_save(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    form = f.MinutesForm(request.POST, prefix="minutes")
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    services.minutes_save(by=actor(request), meeting=meeting, text=form.cleaned_data["minutes"])
    return _back(request, meeting_url(meeting), _("Compte rendu enregistré."))


@require_POST
def document_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    form = f.DocumentForm(request.POST, request.FILES, prefix="doc")
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    upload = form.cleaned_data["file"]
    services.document_add(
        by=actor(request),
        meeting=meeting,
        name=upload.name,
        size=upload.size,
        content=upload,
    )
    return _back(request, meeting_url(meeting), _("Document joint."))


def document(request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    # Read whole (documents are at most DOCUMENT_MAX_MB) rather than streamed: the file is closed before answering.
    meeting = _meeting(request, public_id)
    doc = get_object_or_404(MeetingDocument, meeting=meeting, public_id=document_id)
    with doc.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, doc.name) or "attachment"
    return response


@require_POST
def decision_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    form = f.DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return _invalid(request, meeting_url(meeting), form)
    services_decisions.decision_record(by=actor(request), meeting=meeting, **form.cleaned_data)
    return _back(request, meeting_url(meeting), _("Décision consignée ; elle entre dans le suivi."))


@require_POST
def decision_follow(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    require_governance(request)
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related("meeting"), public_id=public_id
    )
    form = f.FollowForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting_url(decision.meeting), form)
    services_decisions.decision_follow(by=actor(request), decision=decision, **form.cleaned_data)
    target = request.POST.get("next") == "board" and "governance:board" or meeting_url(decision.meeting)
    return _back(request, target, _("Suivi enregistré."))
