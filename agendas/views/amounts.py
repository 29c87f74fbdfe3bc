"""The amounts of money a request asks panel to agree (issue 16)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin

from .. import selectors, services
from ..forms.amounts import BookingAmountForm
from ..permissions import can_edit_submission


class BookingAmountsView(AuditedMixin, PermissionRequiredMixin, FormView):
    """Those who send the submission list its amounts; a button takes one off again."""

    audit_model = "agendas.Booking"
    audit_child = "child"
    permission = can_edit_submission
    template_name = "agendas/booking_amounts.html"
    form_class = BookingAmountForm

    @cached_property
    def booking(self):
        return selectors.visible_booking(self.request.user, pk=self.kwargs["pk"])

    def permission_object(self):
        return self.booking

    def get_context_data(self, **kwargs):
        booking = self.booking
        # hasattr: minutes' decision, read by its reverse relation without importing it.
        decided = hasattr(booking, "decision")
        return super().get_context_data(
            booking=booking,
            amounts=booking.amounts.all(),
            decided=decided,
            removable=booking.request_type.carries_amounts and not decided,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "remove" not in request.POST:
            return super().post(request, *args, **kwargs)
        amount = get_object_or_404(self.booking.amounts, pk=request.POST["remove"])
        try:
            services.booking_amount_remove(booking_amount=amount)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{amount.description}” is taken off the request.")
        return redirect("bookings:amounts", self.booking.pk)

    def form_valid(self, form):
        try:
            amount = services.booking_amount_add(
                booking=self.booking, added_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{amount} is added to the request.")
        return redirect("bookings:amounts", self.booking.pk)
