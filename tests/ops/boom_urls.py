"""The project's URLs plus one that fails, to see the 500 page."""

from django.urls import path

from parcours.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("secret detail: DATABASE_URL=postgres://parcours:hunter2@db")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
