from django.urls import path

from . import views

app_name = "agendas"

urlpatterns = [
    path("", views.PanelListView.as_view(), name="panel-list"),
]
