from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.views.generic import DeleteView, FormView, TemplateView
from django_tables2 import RequestConfig

from . import outbox, selectors, services
from .access import RoleRequiredMixin
from .forms import (
    ClosureDayForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    add_service_errors,
)
from .models import ClosureDay, Notification, NotificationStatus
from .roles import Role
from .tables import ClosureDayTable


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass


class HomeView(TemplateView):
    template_name = "permanence/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        role_labels = sorted(Role(role).label for role in user.roles)
        return super().get_context_data(role_labels=role_labels, **kwargs)


@login_not_required
def health(request):
    """For load balancers and the people on call: 200 when the database answers."""
    health = selectors.system_health()
    last_seen = health["worker_last_seen"]
    body = {**health, "worker_last_seen": last_seen.isoformat() if last_seen else None}
    return JsonResponse(body, status=200 if health["database"] == "ok" else 503)


@login_not_required
def favicon(request):
    return redirect(static("build/govuk/assets/images/favicon.ico"), permanent=True)


class ClosureDayListView(RoleRequiredMixin, FormView):
    allowed_roles = (Role.ADMINISTRATOR,)
    template_name = "permanence/closure_days.html"
    form_class = ClosureDayForm
    success_url = reverse_lazy("closure-days")

    def get_context_data(self, **kwargs):
        table = ClosureDayTable(ClosureDay.objects.all())
        RequestConfig(self.request).configure(table)
        return super().get_context_data(table=table, **kwargs)

    def form_valid(self, form):
        try:
            day = services.closure_day_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{date_format(day.date)} is now a closure day.")
        return redirect(self.success_url)


class ClosureDayDeleteView(RoleRequiredMixin, DeleteView):
    allowed_roles = (Role.ADMINISTRATOR,)
    model = ClosureDay
    template_name = "permanence/closure_day_confirm_delete.html"
    success_url = reverse_lazy("closure-days")

    def form_valid(self, form):
        services.closure_day_delete(closure_day=self.object)
        messages.success(self.request, f"{date_format(self.object.date)} is a working day again.")
        return redirect(self.success_url)


class OutboxView(RoleRequiredMixin, TemplateView):
    """Every email the service has written, newest first: what went, what waits, what failed."""

    allowed_roles = (Role.ADMINISTRATOR,)
    template_name = "permanence/outbox.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        if status not in NotificationStatus.values:
            status = ""
        page = Paginator(selectors.outbox(status=status), 50).get_page(self.request.GET.get("page"))
        counts = selectors.outbox_counts()
        return super().get_context_data(
            page=page,
            status=status,
            statuses=[
                (value, label, counts.get(value, 0)) for value, label in NotificationStatus.choices
            ],
            **kwargs,
        )


class NotificationView(RoleRequiredMixin, TemplateView):
    """One email as it was sent, with a button to send it again."""

    allowed_roles = (Role.ADMINISTRATOR,)
    template_name = "permanence/notification.html"

    def get_context_data(self, **kwargs):
        notification = get_object_or_404(Notification, pk=self.kwargs["pk"])
        return super().get_context_data(notification=notification, **kwargs)

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk)
        outbox.notification_resend(notification=notification)
        messages.success(request, f"The email to {notification.to} is queued to send again.")
        return redirect("notification", pk)
