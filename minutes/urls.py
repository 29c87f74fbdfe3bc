"""After the meeting: minutes, case notes, approvals, actions, emergency decisions
(namespace "minutes")."""

from django.urls import path

from .views import actions, after, approvals, emergency, money, onward, performance, tasks

app_name = "minutes"

urlpatterns = [
    path(
        "panels/<slug:slug>/meetings/<int:pk>/minutes/", after.MinutesView.as_view(), name="minutes"
    ),
    path(
        "panels/<slug:slug>/meetings/<int:pk>/minutes.pdf",
        after.MinutesPdfView.as_view(),
        name="minutes-pdf",
    ),
    path(
        "panels/<slug:slug>/meetings/<int:pk>/minutes/tracker/",
        after.MinutesTrackerView.as_view(),
        name="minutes-tracker",
    ),
    path(
        "panels/<slug:slug>/meetings/<int:pk>/minutes/ratify/",
        after.MinutesRatifyView.as_view(),
        name="minutes-ratify",
    ),
    path(
        "panels/<slug:slug>/meetings/<int:pk>/minutes/distributed/",
        after.MinutesDistributeView.as_view(),
        name="minutes-distributed",
    ),
    path("decisions/<int:pk>/amend/", after.DecisionAmendView.as_view(), name="decision-amend"),
    path("decisions/<int:pk>/case-note/", after.CaseNoteView.as_view(), name="case-note"),
    # After the decision, Somerset 3.8 and 3.9 (minutes/views/onward.py)
    path(
        "decisions/<int:pk>/complex-cases-referral/",
        onward.ComplexCasesReferralView.as_view(),
        name="complex-cases-referral",
    ),
    path(
        "decisions/<int:pk>/care-order-revocation/",
        onward.RevocationRecommendView.as_view(),
        name="revocation-recommend",
    ),
    path(
        "decisions/<int:pk>/care-order-revocation/outcome/",
        onward.RevocationOutcomeView.as_view(),
        name="revocation-outcome",
    ),
    path("decisions/<int:pk>/case-note.pdf", after.CaseNotePdfView.as_view(), name="case-note-pdf"),
    path(
        "decisions/<int:pk>/case-note/recorded/",
        after.RecordedOnFileView.as_view(),
        name="case-note-recorded",
    ),
    path("approvals/", approvals.ApprovalListView.as_view(), name="approvals"),
    path("approvals/<int:pk>/", approvals.ApproveView.as_view(), name="approve"),
    path("finance/", money.FinanceView.as_view(), name="finance"),
    path("finance/commitments.csv", money.FinanceCsvView.as_view(), name="finance-csv"),
    path("actions/", actions.MyActionsView.as_view(), name="my-actions"),
    path("tasks/", tasks.MyTasksView.as_view(), name="my-tasks"),
    path(
        "actions/<int:pk>/complete/", actions.ActionCompleteView.as_view(), name="action-complete"
    ),
    path(
        "emergency-decisions/",
        emergency.EmergencyDecisionView.as_view(),
        name="emergency-decisions",
    ),
    path(
        "dashboards/panels/",
        performance.PanelPerformanceView.as_view(),
        name="panel_performance",
    ),
]
