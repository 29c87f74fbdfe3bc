"""Recording the meeting: running order, decisions, attendance (namespace "decisions")."""

from django.urls import path

from .views import money, recording, tracking

app_name = "decisions"

urlpatterns = [
    path("running-order/", recording.RunningOrderView.as_view(), name="running-order"),
    path("running-order/<int:booking>/", recording.DecisionView.as_view(), name="decision"),
    path(
        "running-order/<int:booking>/amounts/",
        money.DecisionAmountsView.as_view(),
        name="amounts",
    ),
    path(
        "running-order/next-agenda/",
        recording.NextAgendaAgreeView.as_view(),
        name="next-agenda-agree",
    ),
    path("attendance/", recording.AttendanceView.as_view(), name="attendance"),
    path("tracking/<int:section>/", tracking.TrackingView.as_view(), name="tracking"),
    path(
        "tracking/<int:section>/attend/<int:booking>/",
        tracking.AttendanceRequestView.as_view(),
        name="tracking-attend",
    ),
]
