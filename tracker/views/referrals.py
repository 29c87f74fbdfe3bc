"""Referrals (North Somerset 3.2-3.3): sending one, the administrator's queue, the sender's
own list, and accepting or declining one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin
from permanence.workdays import calendar

from .. import selectors, services
from ..forms_referrals import ReferralAcceptForm, ReferralDeclineForm, ReferralForm
from ..models import Child
from ..permissions import can_decide_referral, can_manage_referrals, can_send_referrals

# A page of referrals: what the database reads and the browser draws, however many years of
# referrals the queue holds.
PER_PAGE = 50


def paged(request, referrals) -> dict:
    """A page of `referrals`, each with its deadline, for the referrals template."""
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    return {
        "referrals": selectors.with_deadlines(page, calendar()),
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }


class ReferralSendView(PermissionRequiredMixin, ServiceFormMixin, FormView):
    """The short form. From a child's page (`?child=ID`) it starts with their details."""

    permission = can_send_referrals
    template_name = "tracker/referral_form.html"
    form_class = ReferralForm
    done_message = "Your referral is sent to the panel administrators."

    def get_initial(self):
        pk = self.request.GET.get("child", "")
        if not pk.isdigit():
            return {}
        child = selectors.visible_child(self.request.user, pk=int(pk))
        return {
            "case_number": child.case_number,
            "first_name": child.first_name,
            "last_name": child.last_name,
            "date_of_birth": child.date_of_birth,
            "team": child.team_id,
        }

    def change(self, fields):
        self.referral = services.referral_send(sent_by=self.request.user, **fields)

    def done(self):
        return redirect("referrals:detail", self.referral.pk)


class ReferralQueueView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """The administrators' queue: open referrals first, oldest deadline first."""

    permission = can_manage_referrals
    template_name = "tracker/referrals.html"

    def get_context_data(self, **kwargs):
        referrals = selectors.visible_referrals(self.request.user)
        return super().get_context_data(
            **paged(self.request, referrals.for_the_queue()),
            open_count=referrals.open().count(),
            today=timezone.localdate(),
            title="Referrals",
            **kwargs,
        )


class MyReferralsView(PermissionRequiredMixin, TemplateView):
    permission = can_send_referrals
    template_name = "tracker/referrals.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **paged(self.request, selectors.referrals_sent_by(self.request.user)),
            mine=True,
            today=timezone.localdate(),
            title="My referrals",
            **kwargs,
        )


class ReferralDetailView(AuditedMixin, TemplateView):
    """A referral: to its sender and the administrators (anyone else: not found)."""

    audit_model = "tracker.Referral"
    audit_child = ""

    template_name = "tracker/referral.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        referral = selectors.visible_referral(user, pk=self.kwargs["pk"])
        selectors.with_deadlines([referral], calendar())
        administrator = can_manage_referrals(user)
        on_tracker = (
            Child.objects.filter(case_number__iexact=referral.case_number).first()
            if administrator and referral.is_open
            else None
        )
        return super().get_context_data(
            referral=referral,
            can_decide=administrator and referral.is_open,
            on_tracker=on_tracker,
            today=timezone.localdate(),
            **kwargs,
        )


class ReferralDecisionMixin(AuditedMixin, PermissionRequiredMixin, ServiceFormMixin):
    audit_model = "tracker.Referral"
    audit_child = ""
    permission = can_decide_referral

    @cached_property
    def referral(self):
        return selectors.visible_referral(self.request.user, pk=self.kwargs["pk"])

    def permission_object(self):
        return self.referral

    def get(self, request, *args, **kwargs):
        if not self.referral.is_open:
            messages.info(
                request, f"This referral is {self.referral.get_status_display().lower()}."
            )
            return redirect("referrals:detail", self.referral.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(referral=self.referral, **kwargs)


class ReferralAcceptView(ReferralDecisionMixin, FormView):
    """Accepting puts the child on the tracker, then offers the next available panel with
    room: the booking page for the child, which chooses it as it always does."""

    template_name = "tracker/referral_decide.html"
    form_class = ReferralAcceptForm
    extra_context = {"title": "Accept the referral"}

    @cached_property
    def matched(self) -> Child | None:
        return Child.objects.filter(case_number__iexact=self.referral.case_number).first()

    def get_form_kwargs(self):
        needs_panel = self.matched is None or self.matched.panel_id is None
        return {**super().get_form_kwargs(), "needs_panel": needs_panel}

    def get_context_data(self, **kwargs):
        return super().get_context_data(matched=self.matched, **kwargs)

    def change(self, fields):
        self.child = services.referral_accept(
            referral=self.referral, by=self.request.user, panel=fields.get("panel")
        )
        self.done_message = (
            f"{self.child.full_name} ({self.child.case_number}) is on the tracker. "
            "Book them into the next available panel."
        )

    def done(self):
        # By name: the booking page belongs to agendas, a layer the tracker never imports.
        return redirect(reverse("bookings:new", args=[self.child.pk]))


class ReferralDeclineView(ReferralDecisionMixin, FormView):
    template_name = "tracker/referral_decide.html"
    form_class = ReferralDeclineForm
    extra_context = {"title": "Decline the referral"}
    done_message = "The referral is declined."

    def change(self, fields):
        services.referral_decline(
            referral=self.referral, by=self.request.user, reason=fields["reason"]
        )

    def done(self):
        return redirect("referrals:list")
