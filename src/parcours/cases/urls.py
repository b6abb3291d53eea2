from django.urls import path

from parcours.cases import case_views, library_views, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "cases"
urlpatterns = [
    path("person/<id:person_id>/", views.person_page, name="person"),
    path("person/<id:person_id>/pathway/", views.pathway_start, name="pathway_start"),
    path("person/<id:person_id>/case/", case_views.case_open, name="case_open"),
    path("pathway/<id:pathway_id>/", views.pathway_page, name="pathway"),
    path("pathway/<id:pathway_id>/step/<slug:key>/", views.step_done, name="step_done"),
    path("pathway/<id:pathway_id>/close/", views.pathway_close, name="pathway_close"),
    path("project/<id:project_id>/pathways/", views.project_pathways, name="pathways"),
    path("project/<id:project_id>/caseload/", case_views.caseload, name="caseload"),
    path("case/<id:case_id>/", case_views.case_page, name="case"),
    path("case/<id:case_id>/edit/", case_views.case_edit, name="case_edit"),
    path("case/<id:case_id>/close/", case_views.case_close, name="case_close"),
    path("case/<id:case_id>/goal/", case_views.goal_add, name="goal_add"),
    path("case/<id:case_id>/task/", case_views.task_add, name="task_add"),
    path("case/<id:case_id>/conference/", case_views.conference_new, name="conference_new"),
    path("conference/<id:conference_id>/contribute/", case_views.contribute, name="contribute"),
    path("task/<id:task_id>/", case_views.task_update, name="task_update"),
    path("protocols/", library_views.protocol_list, name="protocols"),
    path("protocols/new/", library_views.protocol_new, name="protocol_new"),
    path("protocols/<id:protocol_id>/", library_views.protocol_page, name="protocol"),
    path(
        "protocols/<id:protocol_id>/version/",
        library_views.protocol_version,
        name="protocol_version",
    ),
    path(
        "protocols/file/<id:version_id>/", library_views.protocol_download, name="protocol_download"
    ),
    path("project/<id:project_id>/lessons/", library_views.lessons, name="lessons"),
    path("project/<id:project_id>/lessons/new/", library_views.lesson_new, name="lesson_new"),
    path("project/<id:project_id>/lessons.xlsx", library_views.lessons_xlsx, name="lessons_xlsx"),
    path("project/<id:project_id>/lessons.docx", library_views.lessons_docx, name="lessons_docx"),
]
