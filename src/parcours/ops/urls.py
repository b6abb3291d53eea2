from django.urls import path

from parcours.ops import views

app_name = "ops"

urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/run/", views.job_run, name="job_run"),
]
