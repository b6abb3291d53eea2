from django.urls import path

from parcours.daily import exports, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "daily"
urlpatterns = [
    path("", views.daily_index, name="index"),
    path("<id:project_id>/", views.report_list, name="list"),
    path("<id:project_id>/report/", views.report_page, name="report"),
    path("<id:project_id>/report/save/", views.report_save, name="save"),
    path("<id:project_id>/report/validate/", views.report_validate, name="validate"),
    path("export/agenda/<id:site_id>.xlsx", exports.agenda_day_export, name="agenda_export"),
    path("export/follow-ups.xlsx", exports.follow_ups_export, name="follow_ups_export"),
]
