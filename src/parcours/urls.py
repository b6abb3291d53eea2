from django.urls import include, path

from parcours import views
from parcours.api.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("parcours.accounts.urls")),
    path("", include("parcours.dossier.urls")),
    path("people/", include("parcours.people.urls")),
    path("care/", include("parcours.care.urls")),
    path("configuration/", include("parcours.org.urls")),
    path("api/v1/", api.urls),
]
