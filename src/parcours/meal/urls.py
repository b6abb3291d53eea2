from django.urls import path

from parcours.lib.replica import replica_reads
from parcours.meal import plan_views, views

app_name = "meal"

urlpatterns = [
    path("", views.index, name="index"),
    # Read-only pages of computed figures: from the read replica when there is one.
    path("project/<int:project_id>/", replica_reads()(views.dashboard), name="dashboard"),
    path("mission/<int:mission_id>/", replica_reads()(views.mission), name="mission"),
    path("indicator/<int:indicator_id>/", replica_reads()(views.indicator), name="indicator"),
    path("project/<int:project_id>/logframe/", plan_views.logframe_view, name="logframe"),
    path(
        "project/<int:project_id>/logframe/print/", plan_views.logframe_print, name="logframe_print"
    ),
    path("project/<int:project_id>/logframe.xlsx", plan_views.logframe_xlsx, name="logframe_xlsx"),
    path("project/<int:project_id>/logframe/new/", plan_views.objective_new, name="objective_new"),
    path("objective/<int:objective_id>/", plan_views.objective_edit, name="objective_edit"),
    path(
        "project/<int:project_id>/indicators/new/", plan_views.indicator_new, name="indicator_new"
    ),
    path("indicator/<int:indicator_id>/edit/", plan_views.indicator_edit, name="indicator_edit"),
    path("indicator/<int:indicator_id>/plan/", plan_views.indicator_plan, name="indicator_plan"),
    path("project/<int:project_id>/export/", views.export_page, name="export"),
]
