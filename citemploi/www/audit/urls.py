from django.urls import path

from citemploi.www.audit import views

app_name = "audit"
urlpatterns = [
    path("modifications/", views.changes, name="changes"),
    path("acces/", views.accesses, name="accesses"),
    path("connexions/", views.logins, name="logins"),
]
