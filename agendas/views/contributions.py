"""A member writes their contribution for one booked child (or a representative does);
an administrator sets which contributions a panel expects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin

from .. import selectors, services
from ..forms import ContributionForm, ExpectedContributionsForm
from ..models import Panel
from ..permissions import can_set_up_panels, can_write_contribution


class ContributionView(AuditedMixin, PermissionRequiredMixin, FormView):
    audit_model = "agendas.Booking"

    permission = can_write_contribution
    template_name = "agendas/contribution_form.html"
    form_class = ContributionForm

    @cached_property
    def contribution(self):
        return selectors.visible_contribution(
            self.request.user, booking=self.kwargs["pk"], kind=self.kwargs["kind"]
        )

    def permission_object(self):
        return self.contribution

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contribution": self.contribution}

    def get_context_data(self, **kwargs):
        contribution = self.contribution
        seat = contribution.seat
        return super().get_context_data(
            contribution=contribution,
            booking=contribution.booking,
            as_representative=seat is None or seat.user_id != self.request.user.pk,
            member=seat.user if seat is not None else None,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            contribution = services.contribution_write(
                contribution=self.contribution, by=self.request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        standing_in = (
            f" for {contribution.represented_member}" if contribution.by_representative else ""
        )
        messages.success(
            self.request, f"{contribution.get_kind_display()} contribution saved{standing_in}."
        )
        return redirect("bookings:detail", contribution.booking_id)


class ExpectedContributionsView(PermissionRequiredMixin, FormView):
    """Which contributions the panel expects for every child, from which seat, by when."""

    permission = can_set_up_panels
    template_name = "agendas/expected_contributions.html"
    form_class = ExpectedContributionsForm

    @cached_property
    def panel(self):
        return get_object_or_404(Panel, slug=self.kwargs["slug"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panel": self.panel}

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=self.panel, **kwargs)

    def form_valid(self, form):
        try:
            services.expected_contributions_set(panel=self.panel, expected=form.expected())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The members’ contributions are saved.")
        return redirect(reverse("agendas:panel-detail", args=[self.panel.slug]) + "#contributions")
