from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.pathways.permissions import can_view_cohort
from citemploi.www import nav
from citemploi.www.pathways import actions, views
from citemploi.www.pathways.urls_appointments import urlpatterns as appointment_urlpatterns

app_name = "pathways"
P = "<uuid:public_id>/"
urlpatterns = [
    path("", views.cohort, name="cohort"),
    path("nouvelle/", views.person_new, name="person_new"),
    path("portefeuilles/", views.caseload, name="caseload"),
    path("fusion/", views.merge, name="merge"),
    path("doublons-a-verifier/", views.duplicate_reviews, name="duplicate_reviews"),
    path("doublons-a-verifier/<int:pk>/verifie/", views.duplicate_review_resolve, name="duplicate_review_resolve"),
    path("doublons-a-verifier/<int:pk>/fusion/", views.duplicate_review_merge, name="duplicate_review_merge"),
    path("notifications/", views.preferences, name="preferences"),
    path(P, views.person, name="person"),
    path(P + "modifier/", views.person_edit, name="person_edit"),
    path(P + "localisation/", actions.person_relocate, name="person_relocate"),
    path(P + "information/", actions.notice_new, name="notice_new"),
    path(P + "information/<uuid:notice_id>/opposition/", actions.notice_object, name="notice_object"),
    path(P + "consentements/", actions.consent_new, name="consent_new"),
    path(P + "consentements/<uuid:consent_id>/retrait/", actions.consent_revoke, name="consent_revoke"),
    path(P + "consentements/<uuid:consent_id>/recepisse/", views.consent_receipt, name="consent_receipt"),
    path(P + "referent/", actions.referent, name="referent"),
    path(P + "etat/", actions.pathway_state, name="pathway_state"),
    path(P + "freins/", actions.frein_new, name="frein_new"),
    path(P + "inscriptions/", actions.registration_period_new, name="registration_period_new"),
    path(P + "freins/<uuid:frein_id>/", actions.frein_state, name="frein_state"),
    path(P + "dispositifs/", actions.mobilisation_new, name="mobilisation_new"),
    path(P + "dispositifs/proposer/", actions.mobilisation_propose, name="mobilisation_propose"),
    path(P + "dispositifs/<uuid:mobilisation_id>/", actions.mobilisation_state, name="mobilisation_state"),
    path(P + "orientations/", actions.handoff_new, name="handoff_new"),
    path(P + "orientations/<uuid:handoff_id>/accuser/", actions.handoff_acknowledge, name="handoff_acknowledge"),
    path(P + "orientations/<uuid:handoff_id>/refuser/", actions.handoff_refuse, name="handoff_refuse"),
    path(
        P + "orientations/<uuid:handoff_id>/premier-rdv/", actions.handoff_first_meeting, name="handoff_first_meeting"
    ),
    path(P + "contacts/", actions.contact_new, name="contact_new"),
    path(P + "sortie/", actions.exit_new, name="exit_new"),
    path(P + "suivis/<uuid:followup_id>/", actions.followup, name="followup"),
    path(P + "metiers/", actions.job_new, name="job_new"),
]
urlpatterns += appointment_urlpatterns  # the receiver's side of a hand-off, the agenda, the alerts inbox

nav.register(
    nav.NavItem(
        label=_("Cohorte"),
        url_name="pathways:cohort",
        description=_("Les personnes suivies : recherche, filtres, fiches et parcours."),
        allowed=can_view_cohort,
        order=20,
    )
)
nav.register(
    nav.NavItem(
        label=_("Alertes"),
        url_name="pathways:alerts",
        description=_("Orientations à accuser, premiers rendez-vous en retard, parcours sans contact, suivis à faire."),
        allowed=can_view_cohort,
        order=21,
    )
)
nav.register(
    nav.NavItem(
        label=_("Doublons à vérifier"),
        url_name="pathways:duplicate_reviews",
        description=_("Paires de fiches peut-être de la même personne (création d'une fiche, imports) : côte à côte."),
        allowed=can_view_cohort,
        order=22,
    )
)
