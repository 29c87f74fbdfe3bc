"""Referrals (intake), under /referrals/ (namespace "referrals"): apart from /children/, so
the menu's "Tracker" is not also lit on the referrals pages."""

from django.urls import path

from .views import referrals

app_name = "referrals"

urlpatterns = [
    path("", referrals.ReferralQueueView.as_view(), name="list"),
    path("mine/", referrals.MyReferralsView.as_view(), name="mine"),
    path("new/", referrals.ReferralSendView.as_view(), name="new"),
    path("<int:pk>/", referrals.ReferralDetailView.as_view(), name="detail"),
    path("<int:pk>/accept/", referrals.ReferralAcceptView.as_view(), name="accept"),
    path("<int:pk>/decline/", referrals.ReferralDeclineView.as_view(), name="decline"),
]
