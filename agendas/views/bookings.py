from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin
from permanence.workdays import calendar
from tracker.selectors import visible_child

from .. import selectors, services
from ..forms.booking_list import BookingListFilterForm
from ..forms.bookings import (
    WAITING_LIST,
    BookingCancelForm,
    BookingChangeForm,
    BookingForm,
    BookingMoveForm,
    ChildBookingForm,
    RequestTypeChoiceForm,
    WaitingListForm,
)
from ..models import Meeting, Panel
from ..permissions import can_book, can_edit_submission, writable_contributions

# A page of the bookings page and of a waiting list: what the database reads and the
# browser draws, however many bookings two years of panels hold.
PER_PAGE = 50


class BookingListView(AuditedMixin, TemplateView):
    """Everyone's own view of the bookings they may see, a page at a time: to come then
    waiting (unless they choose meetings held lately, or only children waiting), of every
    panel or one."""

    template_name = "agendas/booking_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = BookingListFilterForm(self.request.GET)
        filters = form.filters()
        found = selectors.bookings_for_list(self.request.user, today=today, **filters)
        page = Paginator(found, PER_PAGE).get_page(self.request.GET.get("page"))
        bookings = list(page)
        working_days = calendar()
        selectors.checklists(bookings)
        for booking in bookings:
            booking.verbal_update = selectors.nothing_to_send(booking.checklist)
            booking.late = selectors.submission_is_late(
                booking, today=today, working_days=working_days
            )
        return super().get_context_data(
            form=form,
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            bookings=bookings,
            held_since=today - selectors.HELD_WINDOW,
            today=today,
            **filters,
            **kwargs,
        )


class BookingDetailView(AuditedMixin, TemplateView):
    audit_model = "agendas.Booking"
    template_name = "agendas/booking_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        booking = selectors.visible_booking(user, pk=self.kwargs["pk"])
        prefetch_related_objects([booking], selectors.previous_panel())
        today = timezone.localdate()
        meeting = booking.meeting
        checklist = selectors.submission_checklist(booking)
        contributions = selectors.contributions_of(booking)
        return super().get_context_data(
            booking=booking,
            child=booking.child,
            contributions=contributions,
            writable=writable_contributions(user, booking, contributions),
            submission=getattr(booking, "submission", None),
            # The reverse relation from minutes: read without importing it.
            decision=getattr(booking, "decision", None),
            checklist=checklist,
            documents=booking.documents.select_related("requirement", "uploaded_by").order_by(
                "-uploaded_at"
            ),
            may_edit_submission=can_edit_submission(user, booking),
            is_administrator=can_book(user),
            due_date=selectors.submission_due_date(meeting) if meeting else None,
            late=selectors.submission_is_late(booking, today=today, checklist=checklist),
            verbal_update=selectors.nothing_to_send(checklist),
            planning=selectors.planning_checklist(booking.child, booking.panel),
            today=today,
            **kwargs,
        )


class BookingCreateView(AuditedMixin, PermissionRequiredMixin, FormView):
    """Book a child into a meeting: from a free slot on the meeting page, or from a child."""

    permission = can_book
    template_name = "agendas/booking_form.html"
    form_class = BookingForm

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("panel"), panel__slug=kwargs["slug"], pk=kwargs["pk"]
        )
        child_pk = request.GET.get("child")
        self.child = visible_child(request.user, pk=int(child_pk)) if child_pk else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting, "child": self.child}

    def get_initial(self):
        initial = {}
        for name in ("slot", "section"):
            if self.request.GET.get(name, "").isdigit():
                initial[name] = int(self.request.GET[name])
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, child=self.child, **kwargs)

    def form_valid(self, form):
        try:
            booking = services.booking_create(
                meeting=self.meeting, booked_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{booking} is booked.")
        return redirect("agendas:meeting", self.meeting.panel.slug, self.meeting.pk)


class BookingChangeMixin(AuditedMixin, PermissionRequiredMixin, ServiceFormMixin):
    audit_model = "agendas.Booking"
    permission = can_book

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.booking = selectors.visible_booking(request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.booking, **kwargs)

    def done(self):
        return redirect("bookings:detail", self.booking.pk)


class BookingUpdateView(BookingChangeMixin, FormView):
    template_name = "agendas/booking_change.html"
    form_class = BookingChangeForm
    done_message = "The booking is changed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.booking}

    def change(self, fields):
        services.booking_update(booking=self.booking, **fields)


class BookingMoveView(BookingChangeMixin, FormView):
    template_name = "agendas/booking_move.html"
    form_class = BookingMoveForm
    done_message = "The booking is moved."

    @cached_property
    def suggestion(self):
        """The next available panel for this child, in the booking's section."""
        section = self.booking.section or self.booking.request_type.default_section
        if section is None:
            return None
        return selectors.next_available(
            panel=self.booking.panel,
            section=section,
            child=self.booking.child,
            today=timezone.localdate(),
        )

    def get_form_kwargs(self):
        meetings = selectors.upcoming_meetings_of(self.booking.panel, today=timezone.localdate())
        return {**super().get_form_kwargs(), "booking": self.booking, "meetings": meetings}

    def get_initial(self):
        if not self.suggestion:
            return {}
        meeting, slot = self.suggestion
        return {"place": f"{meeting.pk}:{slot.pk if slot else ''}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(suggestion=self.suggestion, **kwargs)

    def change(self, fields):
        meeting_pk, slot_pk = fields["place"]
        if meeting_pk is None:
            services.booking_return_to_waiting_list(booking=self.booking)
            return
        meeting = get_object_or_404(Meeting, pk=meeting_pk, panel=self.booking.panel)
        services.booking_move(
            booking=self.booking,
            meeting=meeting,
            slot=meeting.slots.filter(pk=slot_pk).first() if slot_pk else None,
        )


class BookingCancelView(BookingChangeMixin, FormView):
    template_name = "agendas/booking_cancel.html"
    form_class = BookingCancelForm
    done_message = "The booking is cancelled."

    def change(self, fields):
        services.booking_cancel(booking=self.booking, reason=fields["reason"])


class WaitingListView(AuditedMixin, PermissionRequiredMixin, FormView):
    """The panel's waiting list, and adding a child to it."""

    permission = can_book
    template_name = "agendas/waiting_list.html"
    form_class = WaitingListForm

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(Panel, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panel": self.panel}

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.waiting_list(self.panel), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            panel=self.panel,
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            booking = services.booking_add_to_waiting_list(
                panel=self.panel, booked_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{booking} is on the waiting list.")
        return redirect("agendas:waiting-list", self.panel.slug)


class ChildBookingView(AuditedMixin, PermissionRequiredMixin, FormView):
    """Book a child from their page: choose the request, then take the next available panel."""

    audit_model = "tracker.Child"
    audit_kwarg = "child"
    audit_child = ""

    permission = can_book
    template_name = "agendas/child_booking.html"
    form_class = ChildBookingForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.child = visible_child(request.user, pk=kwargs["child"])
        self.panel = self.child.panel
        if self.panel is None:
            messages.error(request, "Choose the child's panel on their record first.")
            return redirect("tracker:child-update", self.child.pk)
        self.choice = RequestTypeChoiceForm(request.GET or None, panel=self.panel)
        self.request_type = (
            self.choice.cleaned_data["request_type"] if self.choice.is_valid() else None
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def section(self):
        return self.request_type.default_section if self.request_type else None

    @cached_property
    def suggestion(self):
        if self.section is None:
            return None
        return selectors.next_available(
            panel=self.panel, section=self.section, child=self.child, today=timezone.localdate()
        )

    def get_form(self, form_class=None):
        if self.request_type is None:
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self):
        meetings = selectors.upcoming_meetings_of(self.panel, today=timezone.localdate())
        return {
            **super().get_form_kwargs(),
            "child": self.child,
            "section": self.section,
            "meetings": meetings,
        }

    def get_initial(self):
        if not self.suggestion:
            return {"place": WAITING_LIST}
        meeting, slot = self.suggestion
        return {"place": f"{meeting.pk}:{slot.pk if slot else ''}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            child=self.child,
            panel=self.panel,
            choice=self.choice,
            request_type=self.request_type,
            suggestion=self.suggestion,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.request_type is None:
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        (meeting_pk, slot_pk), fields = form.cleaned_data["place"], form.cleaned_data
        common = {
            "child": self.child,
            "request_type": self.request_type,
            "reason": fields["reason"],
            "notes": fields["notes"],
            "booked_by": self.request.user,
        }
        try:
            if meeting_pk is None:
                booking = services.booking_add_to_waiting_list(panel=self.panel, **common)
            else:
                meeting = get_object_or_404(Meeting, pk=meeting_pk, panel=self.panel)
                booking = services.booking_create(
                    meeting=meeting,
                    slot=meeting.slots.filter(pk=slot_pk).first() if slot_pk else None,
                    section=self.section,
                    **common,
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{booking} is booked.")
        return redirect("bookings:detail", booking.pk)
