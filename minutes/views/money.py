"""Money under a scheme of delegation: the chair decides each amount, and the finance view
lists what was approved."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from agendas.models import BookingAmount
from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors, error_links
from permanence.permissions import PermissionRequiredMixin
from permanence.spreadsheets import table_response

from .. import finance, selectors, services
from ..forms.amounts import AmountVerdictForm
from ..models import Decision
from ..money import APPROVING_EFFECTS
from ..permissions import can_read_finance
from ..presenters import approval_text
from .recording import RecordingMixin


class DecisionAmountsView(RecordingMixin, TemplateView):
    """After panel agrees a request, the chair approves, changes or refuses each amount."""

    audit_model = "agendas.Booking"
    audit_kwarg = "booking"
    audit_child = "child"
    template_name = "minutes/decision_amounts.html"

    @cached_property
    def booking(self):
        return get_object_or_404(selectors.running_order(self.meeting), pk=self.kwargs["booking"])

    def get_booking(self):
        return self.booking

    @property
    def decision(self):
        # Read afresh: the service changes the decision's approval.
        return Decision.objects.select_related("outcome").filter(booking=self.booking).first()

    def amount_forms(self, data=None) -> list[AmountVerdictForm]:
        amounts = BookingAmount.objects.filter(booking=self.get_booking())
        return [AmountVerdictForm(data, amount=amount) for amount in amounts]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(amount_forms=self.amount_forms()))

    def post(self, request, *args, **kwargs):
        amount_forms = self.amount_forms(request.POST)
        page = forms.Form(data={})  # carries a refusal that belongs to no one amount
        page.is_valid()
        if self.decision is None:
            page.add_error(None, "Record panel's decision first.")
        elif all([form.is_valid() for form in amount_forms]):
            try:
                services.decision_amounts_decide(
                    decision=self.decision,
                    verdicts=[form.service_row() for form in amount_forms],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(page, error)
            else:
                messages.success(request, "Panel's decision on the amounts is saved.")
                return redirect(
                    "decisions:decision", self.meeting.panel.slug, self.meeting.pk, self.booking.pk
                )
        return self.render_to_response(
            self.get_context_data(amount_forms=amount_forms, page_form=page)
        )

    def get_context_data(self, **kwargs):
        page = kwargs.pop("page_form", None)
        amount_forms = kwargs["amount_forms"]
        decision = self.decision
        booking = self.get_booking()
        return super().get_context_data(
            booking=booking,
            decision=decision,
            agrees=decision is not None and decision.outcome.effect in APPROVING_EFFECTS,
            approval=approval_text(decision, booking.panel) if decision else "",
            errors=error_links(*([page] if page else []), *amount_forms),
            **kwargs,
        )


class FinanceMixin(AuditedMixin, PermissionRequiredMixin):
    audit_model = ""  # many children: recorded under the URL's name
    permission = can_read_finance

    @cached_property
    def commitments(self):
        return finance.approved_commitments(self.request.user)


# A page of commitments: what the database reads and the browser draws, however many years
# of panels' approvals there are.
PER_PAGE = 50


class FinanceView(FinanceMixin, TemplateView):
    template_name = "minutes/finance.html"

    def get_context_data(self, **kwargs):
        page = Paginator(self.commitments, PER_PAGE).get_page(self.request.GET.get("page"))
        amounts = list(page)
        months = sorted({amount.booking.meeting.date.replace(day=1) for amount in amounts})
        totals = finance.totals_a_year(self.commitments, months)
        return super().get_context_data(
            months=finance.by_month(amounts, totals),
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            **kwargs,
        )


class FinanceCsvView(FinanceMixin, View):
    def get(self, request, *args, **kwargs):
        return table_response(
            columns=finance.CSV_COLUMNS,
            # Row by row from the database: the rows are never all held as objects at once.
            rows=finance.csv_rows(self.commitments.iterator(chunk_size=2000)),
            filename="approved-commitments",
            file_format="csv",
        )
