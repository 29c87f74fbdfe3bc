from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .signin import views as signin

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("closure-days/", views.ClosureDayListView.as_view(), name="closure-days"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/", views.NotificationView.as_view(), name="notification"),
    path(
        "closure-days/<int:pk>/delete/",
        views.ClosureDayDeleteView.as_view(),
        name="closure-day-delete",
    ),
    path("people/", views.PeopleListView.as_view(), name="people"),
    path("people/add/", views.PersonCreateView.as_view(), name="person-add"),
    path("people/<int:pk>/", views.PersonUpdateView.as_view(), name="person"),
    path(
        "people/<int:pk>/deactivate/",
        views.PersonDeactivateView.as_view(),
        name="person-deactivate",
    ),
    path(
        "people/<int:pk>/reactivate/",
        views.PersonReactivateView.as_view(),
        name="person-reactivate",
    ),
    path("people/<int:pk>/unlock/", views.PersonUnlockView.as_view(), name="person-unlock"),
    path(
        "people/<int:pk>/two-factor/reset/",
        views.PersonTwoFactorResetView.as_view(),
        name="person-two-factor-reset",
    ),
    # Panel seats are the agendas app's: a layer above, reached by its URLs only.
    path("people/", include("agendas.seat_urls")),
    # Signing in and the person's own account (permanence/signin/).
    path("sign-in/", signin.SignInView.as_view(), name="login"),
    path("sign-in/code/", signin.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("sign-in/again/", signin.SignInAgainView.as_view(), name="sign-in-again"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on with the council's Entra ID (permanence/oidc.py); 404 when not set up.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("account/", signin.AccountView.as_view(), name="account"),
    path("account/password/", signin.PasswordChangeView.as_view(), name="password-change"),
    path("account/two-factor/", signin.TwoFactorSetUpView.as_view(), name="two-factor-setup"),
    path(
        "account/two-factor/recovery-codes/",
        signin.RecoveryCodesView.as_view(),
        name="recovery-codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        signin.RecoveryCodesRenewView.as_view(),
        name="recovery-codes-new",
    ),
    path(
        "account/sign-out-everywhere/",
        signin.SignOutEverywhereView.as_view(),
        name="sign-out-everywhere",
    ),
    path("password-reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        signin.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        signin.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("audit/", include("permanence.audit.urls")),
    path("jobs/", include("permanence.jobs.urls")),
    # The person's calendar link (under account/) and the feed it opens: the agendas app's.
    path("", include("agendas.calendar_urls")),
    path("", include("tracker.urls")),  # /children/ and /dashboards/
    path("referrals/", include("tracker.referral_urls")),
    path("carers/", include("tracker.carer_urls")),
    path("new-children-looked-after/", include("agendas.new_to_care_urls")),
    path("panels/", include("agendas.urls")),
    path("bookings/", include("agendas.booking_urls")),
    # A child's planning questions, answered from the tracker: the agendas app's.
    path("children/", include("agendas.planning_urls")),
    path("panels/<slug:slug>/meetings/<int:pk>/", include("minutes.recording_urls")),
    path("", include("minutes.urls")),
    path("django-admin/", admin.site.urls),
]
