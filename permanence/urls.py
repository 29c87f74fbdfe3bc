from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

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
    # Panel seats are the agendas app's: a layer above, reached by its URLs only.
    path("people/", include("agendas.seat_urls")),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on with the council's Entra ID (permanence/oidc.py); 404 when not set up.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("audit/", include("permanence.audit.urls")),
    path("children/", include("tracker.urls")),
    path("referrals/", include("tracker.referral_urls")),
    path("new-children-looked-after/", include("agendas.new_to_care_urls")),
    path("panels/", include("agendas.urls")),
    path("bookings/", include("agendas.booking_urls")),
    path("panels/<slug:slug>/meetings/<int:pk>/", include("minutes.recording_urls")),
    path("", include("minutes.urls")),
    path("django-admin/", admin.site.urls),
]
