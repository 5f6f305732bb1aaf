from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.governance.permissions import can_prepare_newsletter
from citemploi.www.nav import NavItem, register
from citemploi.www.public import promotion, views

app_name = "public"
urlpatterns = [
    path("", views.about, name="about"),
    path("relais-emploi/", views.relais, name="relais"),
    path("relais-emploi/carte.json", views.relais_map_data, name="relais_map_data"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/widget/", promotion.agenda_widget, name="agenda_widget"),
    path("actions/<uuid:public_id>/", views.action, name="action"),
    path("lettre/", promotion.newsletter_page, name="newsletter"),
    path("lettre/courriel/", promotion.newsletter_email, name="newsletter_email"),
    path("lettre/courriel/lettre.html", promotion.newsletter_email_html, name="newsletter_email_html"),
    path("lettre/courriel/lettre.txt", promotion.newsletter_email_text, name="newsletter_email_text"),
]

register(
    NavItem(
        label=_("Lettre d'information"),
        url_name="public:newsletter_email",
        description=_(
            "La lettre du mois (agenda, nouvelles actions, veille) en version courriel, à coller dans l'outil "
            "d'envoi de la Métropole ; le widget agenda pour les sites des partenaires."
        ),
        allowed=can_prepare_newsletter,
        order=430,
    )
)
