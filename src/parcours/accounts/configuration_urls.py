"""Configuration pages for users and roles (admins only).

Mounted by the project urls under /configuration/ in the ``org`` namespace,
next to the organisation's configuration pages (parcours.org.urls).
"""

from django.urls import path

from parcours.accounts import configuration_views as views

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/roles/new/", views.membership_grant, name="membership_grant"),
    path(
        "users/<int:pk>/roles/<int:membership_id>/remove/",
        views.membership_revoke,
        name="membership_revoke",
    ),
]
