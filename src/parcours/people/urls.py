from django.urls import path

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.people import access_log_views, duplicate_views, export, group_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.xlsx", export.person_list_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("new/duplicates/", views.duplicates_check, name="duplicates"),
    path("duplicates/", duplicate_views.duplicate_queue, name="duplicate_queue"),
    path(
        "merge/<id:keep_id>/<id:duplicate_id>/",
        duplicate_views.merge_compare,
        name="merge_compare",
    ),
    path(
        "merge/<id:keep_id>/<id:duplicate_id>/not-the-same/",
        duplicate_views.not_same_person,
        name="not_same_person",
    ),
    path("<id:person_id>/edit/", views.person_edit, name="edit"),
    path("<id:person_id>/exit/", views.person_exit, name="exit"),
    path("<id:person_id>/reactivate/", views.person_reactivate, name="reactivate"),
    path("<id:person_id>/merge/", views.person_merge, name="merge"),
    path("<id:person_id>/merges/<id:record_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<id:person_id>/history/", views.person_history, name="history"),
    path("<id:person_id>/access-log/", views.person_access_log, name="access_log"),
    path("access-log/", access_log_views.access_log, name="access_log_all"),
    path("access-log/export.csv", access_log_views.access_log_export, name="access_log_export"),
    path("<id:person_id>/groups/new/", group_views.group_create, name="group_create"),
    path(
        "<id:person_id>/groups/<id:group_id>/members/",
        group_views.group_add_member,
        name="group_add_member",
    ),
]
