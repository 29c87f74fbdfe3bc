"""How long records are kept: the administrators' report of records past their disposal
date, and the legal hold that stops disposal. Nothing is deleted here."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin

from .. import retention, selectors, services
from ..forms_retention import LegalHoldForm, LiftLegalHoldForm
from ..permissions import can_keep_records

PER_PAGE = 50


class RetentionReportView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    permission = can_keep_records
    template_name = "tracker/retention.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        page = Paginator(selectors.records_past_disposal(today), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, today=today, **kwargs)


class LegalHoldView(AuditedMixin, PermissionRequiredMixin, ServiceFormMixin, FormView):
    """Place a legal hold with its reason, or lift the one in place."""

    permission = can_keep_records
    template_name = "tracker/legal_hold.html"
    audit_model = "tracker.Child"
    audit_child = ""

    @cached_property
    def child(self):
        return selectors.visible_child(self.request.user, pk=self.kwargs["pk"])

    def get_form_class(self):
        return LiftLegalHoldForm if self.child.on_legal_hold else LegalHoldForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            child=self.child, basis=retention.disposal_basis(self.child), **kwargs
        )

    def change(self, fields):
        if self.child.on_legal_hold:
            services.child_legal_hold_lift(child=self.child, by=self.request.user)
            self.done_message = f"The legal hold on {self.child.case_number} is lifted."
        else:
            services.child_legal_hold_place(
                child=self.child, reason=fields["reason"], by=self.request.user
            )
            self.done_message = f"{self.child.case_number} is on legal hold."

    def done(self):
        return redirect("tracker:child", self.child.pk)
