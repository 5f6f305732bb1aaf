from django.urls import path

from citemploi.www.site import views

app_name = "www"
urlpatterns = [
    path("", views.home, name="home"),
    path("legal/<slug:page>/", views.legal, name="legal"),
    path("brand.css", views.brand_css, name="brand_css"),
]
