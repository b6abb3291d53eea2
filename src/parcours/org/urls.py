"""Configuration pages (admins only): organisation, then users and roles."""

from django.urls import path

from parcours.accounts import manage
from parcours.org import views

app_name = "org"
urlpatterns = [
    path("", views.index, name="index"),
    path("missions/", views.mission_list, name="mission_list"),
    path("missions/new/", views.mission_create, name="mission_create"),
    path("missions/<int:pk>/", views.mission_edit, name="mission_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_edit, name="project_edit"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("activity-types/", views.activity_type_list, name="activity_type_list"),
    path("activity-types/new/", views.activity_type_create, name="activity_type_create"),
    path("activity-types/<int:pk>/", views.activity_type_edit, name="activity_type_edit"),
    path("users/", manage.user_list, name="user_list"),
    path("users/new/", manage.user_create, name="user_create"),
    path("users/<int:pk>/", manage.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", manage.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", manage.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", manage.user_password, name="user_password"),
    path("users/<int:pk>/roles/new/", manage.membership_grant, name="membership_grant"),
    path(
        "users/<int:pk>/roles/<int:membership_id>/remove/",
        manage.membership_revoke,
        name="membership_revoke",
    ),
]
