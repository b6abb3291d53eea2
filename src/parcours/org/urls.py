from django.urls import path

from parcours.org import views

app_name = "org"
urlpatterns = [
    path("", views.index, name="index"),
]
