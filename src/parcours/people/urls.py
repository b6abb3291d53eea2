from django.urls import path

from parcours.people import group_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("new/duplicates/", views.duplicates_check, name="duplicates"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/exit/", views.person_exit, name="exit"),
    path("<int:person_id>/reactivate/", views.person_reactivate, name="reactivate"),
    path("<int:person_id>/merge/", views.person_merge, name="merge"),
    path("<int:person_id>/merges/<int:record_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<int:person_id>/history/", views.person_history, name="history"),
    path("<int:person_id>/access-log/", views.person_access_log, name="access_log"),
    path("<int:person_id>/groups/new/", group_views.group_create, name="group_create"),
    path(
        "<int:person_id>/groups/<int:group_id>/members/",
        group_views.group_add_member,
        name="group_add_member",
    ),
]
