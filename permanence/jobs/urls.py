from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:job>/", views.JobView.as_view(), name="job"),
    path("<uuid:job>/status/", views.JobStatusView.as_view(), name="job-status"),
]
