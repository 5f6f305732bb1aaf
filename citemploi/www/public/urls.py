from django.urls import path

from citemploi.www.public import views

app_name = "public"
urlpatterns = [
    path("", views.about, name="about"),
    path("relais-emploi/", views.relais, name="relais"),
    path("relais-emploi/carte.json", views.relais_map_data, name="relais_map_data"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("actions/<uuid:public_id>/", views.action, name="action"),
]
