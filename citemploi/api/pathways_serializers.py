"""Serializers of the pathways API: input and output are separate; output hides what the reader may not see."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from citemploi.api.base import TextOnly
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.pathways.choices import Channel, ContactKind, HandoffShare
from citemploi.pathways.models import Contact, Handoff, Mobilisation, Person
from citemploi.pathways.permissions import SECTION_FIELDS, SENSITIVE_FIELDS, can_see_note, hidden_fields
from citemploi.pathways.states import MobilisationState

_CONTACT, _ADDRESS, _SITUATION = (SECTION_FIELDS[s] for s in (HandoffShare.CONTACT, HandoffShare.ADDRESS,
                                                                 HandoffShare.SITUATION))  # fmt: skip
#: The fields a reader may not be shown (left out of the answer), hence optional in the schema.
HIDDEN_BY_SIGHT = frozenset(_CONTACT + _ADDRESS + _SITUATION + SENSITIVE_FIELDS)


class PersonOutSerializer(serializers.ModelSerializer[Person]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    state = serializers.CharField(source="pathway.state", read_only=True)
    structure = serializers.CharField(source="pathway.structure.name", read_only=True)
    referent = serializers.CharField(source="pathway.referent", read_only=True, allow_null=True)
    qpv = serializers.CharField(source="qpv.code", read_only=True, allow_null=True)
    is_deld = serializers.BooleanField(read_only=True, allow_null=True)
    is_detld = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ("id", "version", "first_name", "last_name", "birth_date", "sex", "state", "structure", "referent",
                  *_CONTACT, *_ADDRESS, *_SITUATION, *SENSITIVE_FIELDS)  # fmt: skip
        extra_kwargs = {
            "version": {"help_text": "Version de la fiche (+1 à chaque modification), aussi dans l'en-tête ETag."}
        }

    def to_representation(self, instance: Person) -> dict[str, Any]:
        """Only the fields the reader may see (``context["sights"]``, from ``selectors.people_for_viewer``)."""
        data = super().to_representation(instance)
        hidden = hidden_fields(self.context["sights"][instance.pk])
        return {k: v for k, v in data.items() if k not in hidden}


class PersonInSerializer(TextOnly, serializers.ModelSerializer[Person]):
    channel = serializers.ChoiceField(choices=Channel.choices, write_only=True)
    spotted_on = serializers.DateField(write_only=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, write_only=True)

    class Meta:
        model = Person
        fields = ("first_name", "last_name", "birth_date", "sex", "email", "phone", "address", "postcode", "city",
                  "education_level", "ft_registered", "ft_registered_since", "ft_category", "rsa", "ass", "aah",
                  "single_parent", "french_below_a1", "student", "in_training", "housing", "former_cui", "rqth",
                  "boe_title", "justice", "ft_id", "imilo_id",
                  "channel", "spotted_on", "place")  # fmt: skip


class PersonPatchSerializer(TextOnly, serializers.ModelSerializer[Person]):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="Version lue (champ « version » ou en-tête ETag). Si la fiche a été modifiée depuis, la "
        "modification est refusée (409) au lieu d'écraser celle de quelqu'un d'autre. L'en-tête If-Match fait de même.",
    )

    class Meta:
        model = Person
        fields = (*PersonInSerializer.Meta.fields[:-3], "version")


class ConflictSerializer(serializers.Serializer[None]):
    """A refused write (409, 412): nothing was changed. ``merged_into`` and ``url`` name the kept record when the
    record was merged meanwhile."""

    detail = serializers.CharField()
    merged_into = serializers.UUIDField(required=False)
    url = serializers.CharField(required=False)


class HandoffOutSerializer(serializers.ModelSerializer[Handoff]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    from_structure = serializers.CharField(source="from_structure.name", read_only=True)
    to_structure = serializers.CharField(source="to_structure.name", read_only=True)

    class Meta:
        model = Handoff
        fields = ("id", "person", "from_structure", "to_structure", "state", "reason", "shared", "sent_at",
                  "acknowledged_at", "first_meeting_on", "refused_at", "refusal_reason", "expired_at")  # fmt: skip


# Input-only serializers are never bound to an instance (hence the None type argument).
class HandoffInSerializer(TextOnly, serializers.Serializer[None]):
    person = serializers.UUIDField()
    to_structure = serializers.UUIDField(help_text="Identifiant public de la structure destinataire.")
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    shared = serializers.ListField(
        child=serializers.ChoiceField(choices=HandoffShare.choices), required=False, default=list
    )
    mobilisation = serializers.UUIDField(required=False, allow_null=True)


class RefuseInSerializer(TextOnly, serializers.Serializer[None]):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True)


class FirstMeetingInSerializer(TextOnly, serializers.Serializer[None]):
    met_on = serializers.DateField()
    enter_scheme = serializers.BooleanField(required=False, default=False)


class ContactOutSerializer(serializers.ModelSerializer[Contact]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    structure = serializers.CharField(source="structure.name", read_only=True)

    class Meta:
        model = Contact
        fields = ("id", "person", "kind", "happened_at", "initiated_by_person", "structure", "note")

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not can_see_note(self.context["request"].user, instance.structure_id):
            data["note"] = ""
        return data


class ContactInSerializer(TextOnly, serializers.Serializer[None]):
    person = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    happened_at = serializers.DateTimeField()
    initiated_by_person = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class MobilisationOutSerializer(serializers.ModelSerializer[Mobilisation]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    scheme = serializers.CharField(source="scheme.code", read_only=True)
    structure = serializers.CharField(source="structure.name", read_only=True)

    class Meta:
        model = Mobilisation
        fields = ("id", "person", "scheme", "structure", "state", "proposed_on", "entered_on", "ended_on")


class MobilisationInSerializer(TextOnly, serializers.Serializer[None]):
    person = serializers.UUIDField()
    scheme = serializers.SlugField(help_text="Code du dispositif (cej, iae, …).")
    structure = serializers.UUIDField(help_text="Identifiant public de la structure en charge.")


class TransitionInSerializer(TextOnly, serializers.Serializer[None]):
    target = serializers.ChoiceField(choices=MobilisationState.choices)
