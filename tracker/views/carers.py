"""Carers' records (issue 16; Somerset 7): administrators keep them; the panel reads them,
with the children linked to each carer and panel's decisions about those children."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView, ServiceFormMixin

from .. import selectors, services
from ..forms_carers import CarerApprovalForm, CarerForm, ChildCarerForm
from ..models import ChildCarer
from ..permissions import can_keep_carers, can_see_carers

# A page of carers: what the database reads and the browser draws, however many households
# the council's carers' files hold.
PER_PAGE = 50


class CarerListView(PermissionRequiredMixin, TemplateView):
    permission = can_see_carers
    template_name = "tracker/carers.html"

    def get_context_data(self, **kwargs):
        carers = selectors.visible_carers(self.request.user)
        page = Paginator(carers, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            carers=list(page),
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            can_keep=can_keep_carers(self.request.user),
            **kwargs,
        )


class CarerMixin:
    @cached_property
    def carer(self):
        return selectors.visible_carer(self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(carer=self.carer, **kwargs)

    def done(self):
        return redirect("carers:detail", self.carer.pk)


class CarerDetailView(AuditedMixin, PermissionRequiredMixin, CarerMixin, TemplateView):
    """The carers' file: their approval, the children linked to them and panel's decisions."""

    permission = can_see_carers
    template_name = "tracker/carer.html"
    audit_model = "tracker.Carer"
    audit_child = None

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            links=selectors.carer_children(self.carer, user),
            decisions=selectors.carer_decisions(self.carer, user),
            can_keep=can_keep_carers(user),
            **kwargs,
        )


class CarerCreateView(PermissionRequiredMixin, ServiceFormMixin, FormView):
    permission = can_keep_carers
    template_name = "tracker/carer_form.html"
    form_class = CarerForm
    extra_context = {"title": "Add carers"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": "Add the carers"}

    def change(self, fields):
        self.carer = services.carer_create(by=self.request.user, **fields)
        self.done_message = f"Added {self.carer.name}."

    def done(self):
        return redirect("carers:detail", self.carer.pk)


class CarerUpdateView(PermissionRequiredMixin, CarerMixin, ServiceFormMixin, FormView):
    permission = can_keep_carers
    template_name = "tracker/carer_form.html"
    form_class = CarerForm

    def get_form_kwargs(self):
        carer = self.carer
        return {
            **super().get_form_kwargs(),
            "submit": "Save",
            "initial": {"name": carer.name, "kind": carer.kind, "reference": carer.reference},
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Change {self.carer.name}", **kwargs)

    def change(self, fields):
        services.carer_update(carer=self.carer, by=self.request.user, **fields)
        self.done_message = f"Saved {self.carer.name}."


class CarerApprovalView(PermissionRequiredMixin, CarerMixin, ServiceFormMixin, FormView):
    """Record the approval the carers' approving panel gave them."""

    permission = can_keep_carers
    template_name = "tracker/carer_approval.html"
    form_class = CarerApprovalForm

    def get_initial(self):
        carer = self.carer
        if not carer.is_approved:
            return {}
        return {
            "approved_for": carer.approved_for,
            "approved_for_permanence": "yes" if carer.approved_for_permanence else "no",
            "approving_panel": carer.approving_panel,
            "approved_on": carer.approved_on,
        }

    def change(self, fields):
        services.carer_approval_record(carer=self.carer, by=self.request.user, **fields)
        self.done_message = f"The approval of {self.carer.name} is recorded."


class CarerLinkView(AuditedMixin, PermissionRequiredMixin, CarerMixin, ServiceFormMixin, FormView):
    """Link a child, by case number, to these carers as current or proposed carers."""

    permission = can_keep_carers
    template_name = "tracker/carer_link.html"
    form_class = ChildCarerForm
    audit_model = "tracker.Carer"
    audit_child = None

    def change(self, fields):
        child = (
            selectors.visible_children(self.request.user)
            .filter(case_number__iexact=fields["case_number"].strip())
            .first()
        )
        if child is None:
            raise ValidationError(
                {"case_number": "There is no child with this case number on the tracker."}
            )
        services.child_carer_link(
            child=child, carer=self.carer, role=fields["role"], by=self.request.user
        )
        self.done_message = f"{child.case_number} is linked to {self.carer.name}."


class CarerUnlinkView(PermissionRequiredMixin, ServiceButtonView):
    permission = can_keep_carers

    @cached_property
    def link(self):
        return get_object_or_404(
            ChildCarer.objects.select_related("carer", "child"), pk=self.kwargs["pk"]
        )

    def act(self):
        services.child_carer_unlink(link=self.link, by=self.request.user)
        self.done_message = (
            f"{self.link.child.case_number} is no longer linked to {self.link.carer}."
        )

    def done(self):
        return redirect("carers:detail", self.link.carer_id)
