from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.governance.permissions import can_report_need, can_view_governance, can_view_needs
from citemploi.www.governance import views, views_needs, views_pack, views_roadmap
from citemploi.www.nav import NavItem, register

app_name = "governance"
urlpatterns = [
    path("", views.home, name="home"),
    path("instances/nouvelle/", views.instance_create, name="instance_create"),
    path("instances/<uuid:public_id>/", views.instance_detail, name="instance"),
    path("instances/<uuid:public_id>/membres/", views.member_add, name="member_add"),
    path("instances/<uuid:public_id>/membres/<int:member_id>/retirer/", views.member_remove, name="member_remove"),
    path("instances/<uuid:public_id>/reunions/", views.meeting_create, name="meeting_create"),
    path("reunions/<uuid:public_id>/", views.meeting_detail, name="meeting"),
    path("reunions/<uuid:public_id>/reunion.ics", views.meeting_ics, name="meeting_ics"),
    path("reunions/<uuid:public_id>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<uuid:public_id>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("reunions/<uuid:public_id>/ordre-du-jour/", views.item_add, name="item_add"),
    path("reunions/<uuid:public_id>/ordre-du-jour/<int:item_id>/retirer/", views.item_remove, name="item_remove"),
    path("reunions/<uuid:public_id>/inviter/", views.invite, name="invite"),
    path("reunions/<uuid:public_id>/reponse/", views.reply, name="reply"),
    path("reunions/<uuid:public_id>/emargement/", views.attendance, name="attendance"),
    path("reunions/<uuid:public_id>/compte-rendu/", views.minutes_save, name="minutes"),
    path("reunions/<uuid:public_id>/documents/", views.document_add, name="document_add"),
    path("reunions/<uuid:public_id>/documents/<uuid:document_id>/", views.document, name="document"),
    path("reunions/<uuid:public_id>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<uuid:public_id>/suivi/", views.decision_follow, name="decision_follow"),
    path("suivi/", views_roadmap.board, name="board"),
    path("feuille-de-route/", views_roadmap.roadmap, name="roadmap"),
    path("feuille-de-route/nouvelle-version/", views_roadmap.roadmap_draft, name="roadmap_draft"),
    path("feuille-de-route/<int:number>/ajouter/<slug:what>/", views_roadmap.roadmap_add, name="roadmap_add"),
    path("feuille-de-route/<int:number>/adopter/", views_roadmap.roadmap_adopt, name="roadmap_adopt"),
    path("agenda/<str:token>.ics", views_roadmap.feed, name="feed"),
    path("agenda/nouvelle-adresse/", views_roadmap.feed_regenerate, name="feed_regenerate"),
    path("reunions/<uuid:public_id>/dossier/", views_pack.pack, name="pack"),
    path("reunions/<uuid:public_id>/dossier.pdf", views_pack.pack_pdf, name="pack_pdf"),
    path("besoins/", views_needs.needs, name="needs"),
    path("besoins/signaler/", views_needs.need_report, name="need_report"),
    path("besoins/<uuid:public_id>/", views_needs.need_detail, name="need"),
    path("besoins/<uuid:public_id>/qualifier/", views_needs.need_qualify, name="need_qualify"),
    path("besoins/<uuid:public_id>/etat/", views_needs.need_transition, name="need_transition"),
]

register(
    NavItem(
        label=_("Pilotage"),
        url_name="governance:home",
        description=_("COPIL, COTECH et commissions : réunions, comptes rendus, décisions à suivre, feuille de route."),
        allowed=can_view_governance,
        order=400,
    )
)
register(
    NavItem(
        label=_("Suivi des décisions"),
        url_name="governance:board",
        description=_("Les décisions des instances, par responsable, les retards d'abord."),
        allowed=can_view_governance,
        order=410,
    )
)
register(
    NavItem(
        label=_("Besoins non couverts"),
        url_name="governance:needs",
        description=_("Le registre des besoins sans solution : signaux des parcours et des partenaires, couverture."),
        allowed=can_view_needs,
        order=420,
    )
)
register(
    NavItem(
        label=_("Signaler un besoin non couvert"),
        url_name="governance:need_report",
        description=_("Un besoin d'un public de votre QPV auquel aucune action ne répond : signalez-le."),
        allowed=can_report_need,
        order=430,
    )
)

# --- Solutions of the uncovered needs and the coverage map (h33, issue 15 §4–5) ----------------------------------
from citemploi.www.governance import views_solutions  # noqa: E402

urlpatterns += [
    path("besoins/carte/", views_solutions.needs_map, name="needs_map"),
    path("besoins/carte/signaux/", views_solutions.needs_evidence, name="needs_evidence"),
    path("besoins/<uuid:public_id>/propositions/", views_solutions.proposal_add, name="proposal_add"),
    path("propositions/<uuid:public_id>/modifier/", views_solutions.proposal_edit, name="proposal_edit"),
    path("propositions/<uuid:public_id>/action/", views_solutions.proposal_link, name="proposal_link"),
    path("propositions/<uuid:public_id>/ecarter/", views_solutions.proposal_set_aside, name="proposal_set_aside"),
]
