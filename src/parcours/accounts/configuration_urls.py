"""Configuration pages for users and roles (admins only).

Mounted by the project urls under /configuration/ in the ``org`` namespace,
next to the organisation's configuration pages (parcours.org.urls).
"""

from django.urls import path

from parcours.accounts import configuration_views as views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<id:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<id:pk>/password/", views.user_password, name="user_password"),
    path(
        "users/<id:pk>/tokens/<id:token_id>/revoke/",
        views.user_token_revoke,
        name="user_token_revoke",
    ),
    path("users/<id:pk>/roles/new/", views.membership_grant, name="membership_grant"),
    path(
        "users/<id:pk>/roles/<id:membership_id>/remove/",
        views.membership_revoke,
        name="membership_revoke",
    ),
]
