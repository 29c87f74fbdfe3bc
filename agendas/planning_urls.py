"""A child's planning questions answered from the tracker, under /children/ (namespace
"planning"): the questions are a panel's, so the page is the agendas app's."""

from django.urls import path

from .views import planning

app_name = "planning"

urlpatterns = [
    path(
        "<int:pk>/planning-questions/",
        planning.ChildPlanningAnswersView.as_view(),
        name="child",
    ),
]
