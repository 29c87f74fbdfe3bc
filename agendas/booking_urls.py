"""Pages for one booking and its submission, under /bookings/ (namespace "bookings")."""

from django.urls import path

from .views import amounts, bookings, contributions, planning, submissions

app_name = "bookings"

urlpatterns = [
    path("", bookings.BookingListView.as_view(), name="list"),
    path("new/<int:child>/", bookings.ChildBookingView.as_view(), name="new"),
    path("<int:pk>/", bookings.BookingDetailView.as_view(), name="detail"),
    path("<int:pk>/change/", bookings.BookingUpdateView.as_view(), name="change"),
    path("<int:pk>/move/", bookings.BookingMoveView.as_view(), name="move"),
    path("<int:pk>/cancel/", bookings.BookingCancelView.as_view(), name="cancel"),
    # Submission pages (agendas/views/submissions.py) follow.
    path("<int:pk>/submission/", submissions.SubmissionUpdateView.as_view(), name="submission"),
    path(
        "<int:pk>/documents/upload/",
        submissions.DocumentUploadView.as_view(),
        name="document-upload",
    ),
    path(
        "documents/<int:pk>/",
        submissions.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("<int:pk>/submit/", submissions.SubmitView.as_view(), name="submit"),
    path("<int:pk>/amounts/", amounts.BookingAmountsView.as_view(), name="amounts"),
    path(
        "<int:pk>/guardians-feedback/",
        submissions.GuardiansFeedbackView.as_view(),
        name="guardians-feedback",
    ),
    path(
        "<int:pk>/contributions/<slug:kind>/",
        contributions.ContributionView.as_view(),
        name="contribution",
    ),
    # The panel's planning questions, answered in the submission (agendas/views/planning.py).
    path(
        "<int:pk>/planning-questions/",
        planning.BookingPlanningAnswersView.as_view(),
        name="planning-questions",
    ),
]
