"""Configuration pages (admins only) for the organisation.

The project urls mount them under /configuration/ in the ``org`` namespace,
together with the users-and-roles pages (parcours.accounts.configuration_urls).
"""

from django.urls import path

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.org import views

app_name = "org"
urlpatterns = [
    path("", views.index, name="index"),
    path("missions/", views.mission_list, name="mission_list"),
    path("missions/new/", views.mission_create, name="mission_create"),
    path("missions/<id:pk>/", views.mission_edit, name="mission_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<id:pk>/", views.project_edit, name="project_edit"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<id:pk>/", views.site_edit, name="site_edit"),
    path("activity-types/", views.activity_type_list, name="activity_type_list"),
    path("activity-types/new/", views.activity_type_create, name="activity_type_create"),
    path("activity-types/<id:pk>/", views.activity_type_edit, name="activity_type_edit"),
]
