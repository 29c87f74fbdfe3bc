"""Carers' records, under /carers/ (namespace "carers")."""

from django.urls import path

from .views import carers

app_name = "carers"

urlpatterns = [
    path("", carers.CarerListView.as_view(), name="list"),
    path("new/", carers.CarerCreateView.as_view(), name="new"),
    path("<int:pk>/", carers.CarerDetailView.as_view(), name="detail"),
    path("<int:pk>/change/", carers.CarerUpdateView.as_view(), name="change"),
    path("<int:pk>/approval/", carers.CarerApprovalView.as_view(), name="approval"),
    path("<int:pk>/children/", carers.CarerLinkView.as_view(), name="link"),
    path("links/<int:pk>/remove/", carers.CarerUnlinkView.as_view(), name="unlink"),
]
