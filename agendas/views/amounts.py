"""The amounts of money a request asks panel to agree (issue 16)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from permanence.forms import add_service_errors

from .. import services
from ..forms.amounts import BookingAmountForm
from .submissions import SubmissionEditorMixin


class BookingAmountsView(SubmissionEditorMixin, FormView):
    """Those who send the submission list its amounts; a button takes one off again."""

    template_name = "agendas/booking_amounts.html"
    form_class = BookingAmountForm

    def get_context_data(self, **kwargs):
        booking = self.booking
        # hasattr: minutes' decision, read by its reverse relation without importing it.
        decided = hasattr(booking, "decision")
        return super().get_context_data(
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
