from django.urls import path

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<id:project_id>/sitrep/", views.sitrep, name="sitrep"),
    path("<id:project_id>/sitrep/save/", views.sitrep_save, name="sitrep_save"),
    path("<id:project_id>/sitrep/validate/", views.sitrep_validate, name="sitrep_validate"),
    path("<id:project_id>/sitrep/reopen/", views.sitrep_reopen, name="sitrep_reopen"),
    path("<id:project_id>/sitrep/changes/", views.sitrep_changes, name="sitrep_changes"),
    path("<id:project_id>/sitrep.pdf", views.sitrep_pdf, name="sitrep_pdf"),
    path("<id:project_id>/sitrep.xlsx", views.sitrep_xlsx, name="sitrep_xlsx"),
    path("<id:project_id>/sitrep.docx", views.sitrep_docx, name="sitrep_docx"),
    # The mission report: ?mission=<id>&period=2026-Q4
    path("mission/", views.mission, name="mission"),
    path("mission/save/", views.mission_save, name="mission_save"),
    path("mission/validate/", views.mission_validate, name="mission_validate"),
    path("mission/reopen/", views.mission_reopen, name="mission_reopen"),
    path("mission/changes/", views.mission_changes, name="mission_changes"),
    path("mission.pdf", views.mission_pdf, name="mission_pdf"),
    path("mission.xlsx", views.mission_xlsx, name="mission_xlsx"),
    path("mission.docx", views.mission_docx, name="mission_docx"),
]
