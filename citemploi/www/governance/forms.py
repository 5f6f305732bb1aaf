"""Forms of the steering pages. Rules are in the services (governance.services*); forms only read the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure, User
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.governance.models import (
    DecisionState,
    InstanceKind,
    MemberRole,
    Proposal,
    Reply,
    RoadmapAction,
    RoadmapAxis,
    RoadmapObjective,
    Visibility,
)
from citemploi.www.partners.forms import DateInput, DateTimeInput

CHOOSE = [("", _("— choisir —"))]


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("sort_name", "pk")


def _structures() -> Any:
    return Structure.objects.filter(is_active=True).order_by("sort_name", "pk")


class InstanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'instance"), choices=CHOOSE + list(InstanceKind.choices))
    name = forms.CharField(label=_("Nom"), max_length=200)
    description = forms.CharField(
        label=_("Objet"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    default_visibility = forms.ChoiceField(label=_("Réunions par défaut"), choices=Visibility.choices)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Personne"), queryset=User.objects.none(), required=False)
    structure = forms.ModelChoiceField(
        label=_("ou structure entière"), queryset=Structure.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=MemberRole.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["structure"].queryset = _structures()  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Début"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Fin"), widget=DateTimeInput())
    place = forms.CharField(label=_("Lieu"), max_length=250, required=False)
    visio_url = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(
        label=_("Visibilité"), choices=[("", _("celle de l'instance")), *Visibility.choices], required=False
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Point"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Porteur"), queryset=User.objects.none(), required=False)
    indicators = forms.MultipleChoiceField(label=_("Indicateurs liés"), choices=(), required=False)
    person = forms.ChoiceField(label=_("Situation examinée (commission)"), choices=(), required=False)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], people: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["indicators"].choices = indicators  # type: ignore[attr-defined]
        if people:
            self.fields["person"].choices = CHOOSE + people  # type: ignore[attr-defined]
        else:
            del self.fields["person"]


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Votre réponse"), choices=CHOOSE + [c for c in Reply.choices if c[0] != Reply.PENDING]
    )
    represented_by = forms.CharField(label=_("Représenté par (nom, fonction)"), max_length=150, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown : **gras**, *italique*, listes « - », titres « ## », liens [texte](https://…). Une personne "
            "examinée s'écrit [[personne:identifiant]] : seuls les membres qui la suivent lisent son nom."
        ),
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


def adoptable_proposals() -> Any:
    """Proposals not adopted yet, on needs still open (the service checks it again)."""
    from citemploi.governance.needs.solutions import PROPOSABLE
    from citemploi.governance.needs.states import ProposalState

    return (
        Proposal.objects.filter(state=ProposalState.PROPOSED, need__state__in=sorted(PROPOSABLE))
        .select_related("need")
        .order_by("need__thematique", "need__qpv_code", "created_at", "pk")
    )


class ProposalChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        from citemploi.governance.needs.coverage_map import thematique_label

        return f"{thematique_label(obj.need.thematique)} · {obj.need.qpv_code or '—'} : {obj.text[:80]}"


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH)
    owner_structure = forms.ModelChoiceField(
        label=_("Structure responsable"), queryset=Structure.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Personne responsable"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())
    roadmap_action = forms.ModelChoiceField(
        label=_("Action de la feuille de route"), queryset=RoadmapAction.objects.none(), required=False
    )
    # h33: a decision may adopt the proposed solution of an uncovered need (governance.needs.solutions)
    proposal = ProposalChoice(
        label=_("Adopte la proposition de solution"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("— aucune —"),
        help_text=_("Une solution proposée pour un besoin non couvert, que cette décision adopte."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_structure"].queryset = _structures()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["roadmap_action"].queryset = RoadmapAction.objects.select_related(  # type: ignore[attr-defined]
            "objective__axis__version"
        ).order_by("-objective__axis__version__number", "objective__axis__position", "position")
        self.fields["proposal"].queryset = adoptable_proposals()  # type: ignore[attr-defined]


class FollowForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Nouvel état"), choices=[("", _("— inchangé —")), *DecisionState.choices], required=False
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH
    )


# --- Roadmap ------------------------------------------------------------------------------------------------------


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la version"), max_length=200)
    note = forms.CharField(
        label=_("Ce qui change"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH
    )


class AxisForm(forms.Form):
    ref = forms.CharField(label=_("Repère"), max_length=20)
    title = forms.CharField(label=_("Intitulé de l'axe"), max_length=250)


class ObjectiveForm(forms.Form):
    axis = forms.ModelChoiceField(label=_("Axe"), queryset=RoadmapAxis.objects.none())
    ref = forms.CharField(label=_("Repère"), max_length=20)
    title = forms.CharField(label=_("Intitulé de l'objectif"), max_length=250)

    def __init__(self, *args: Any, version: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = version.axes.all()  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objectif"), queryset=RoadmapObjective.objects.none())
    ref = forms.CharField(label=_("Repère"), max_length=20)
    title = forms.CharField(label=_("Intitulé de l'action"), max_length=250)

    def __init__(self, *args: Any, version: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = RoadmapObjective.objects.filter(  # type: ignore[attr-defined]
            axis__version=version
        ).select_related("axis")


class TargetForm(forms.Form):
    action = forms.ModelChoiceField(label=_("Action"), queryset=RoadmapAction.objects.none())
    indicator = forms.ChoiceField(label=_("Indicateur"), choices=())
    qpv_code = forms.ChoiceField(label=_("QPV"), choices=(), required=False)
    period_from = forms.DateField(label=_("Du"), widget=DateInput())
    period_to = forms.DateField(label=_("Au"), widget=DateInput())
    value = forms.FloatField(label=_("Cible"))

    def __init__(
        self, *args: Any, version: Any, indicators: list[tuple[str, str]], qpvs: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = RoadmapAction.objects.filter(  # type: ignore[attr-defined]
            objective__axis__version=version
        )
        self.fields["indicator"].choices = CHOOSE + indicators  # type: ignore[attr-defined]
        self.fields["qpv_code"].choices = [("", _("Tout le territoire")), *qpvs]  # type: ignore[attr-defined]


class AdoptForm(forms.Form):
    meeting = forms.ChoiceField(label=_("Réunion qui l'adopte"), choices=())
    decision = forms.ChoiceField(label=_("Décision correspondante"), choices=(), required=False)

    def __init__(self, *args: Any, meetings: list[tuple[str, str]], decisions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = CHOOSE + meetings  # type: ignore[attr-defined]
        self.fields["decision"].choices = [("", _("aucune"))] + decisions  # type: ignore[attr-defined]
