from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView

from permanence.forms import add_service_errors
from permanence.jobs.views import followed
from permanence.permissions import PermissionRequiredMixin
from tracker import selectors as tracker_selectors

from .. import selectors, services
from ..forms import (
    AgendaSectionForm,
    BreakForm,
    DocumentRequirementForm,
    PanelForm,
    PanelMembershipForm,
    RequestTypeForm,
)
from ..models import (
    AgendaSection,
    BookingMode,
    Break,
    DocumentRequirement,
    Panel,
    PanelMembership,
    RequestType,
)
from ..permissions import can_record_emergency_decisions, can_set_up_panels


class PanelListView(ListView):
    template_name = "agendas/panel_list.html"
    context_object_name = "panels"

    def get_queryset(self):
        return selectors.panel_list()


def _section_times(panel: Panel, timetable) -> list[dict]:
    """Each section with when it runs, in words, and the start of each of its slots."""
    rows_by_section = defaultdict(list)
    for row in timetable:
        if row.section is not None:
            rows_by_section[row.section.pk].append(row)
    entries = []
    for section in panel.sections.all():
        rows = rows_by_section[section.pk]
        if rows:
            when = f"{rows[0].starts_at:%H:%M} to {rows[-1].ends_at:%H:%M}"
        elif panel.slot_minutes and section.booking == BookingMode.SLOT:
            when = f"Any of the day's {panel.slot_minutes}-minute slots"
        else:
            when = "No set time"
        slot_times = [f"{row.starts_at:%H:%M}" for row in rows if row.kind == "slot"]
        entries.append({"section": section, "when": when, "slot_times": slot_times})
    return entries


class PanelDetailView(DetailView):
    template_name = "agendas/panel_detail.html"
    context_object_name = "panel"

    def get_queryset(self):
        return selectors.panels_with_set_up()

    def get_context_data(self, **kwargs):
        panel = self.object
        next_meetings = panel.meeting_dates(start=timezone.localdate(), count=3)
        timetable = panel.timetable()
        return super().get_context_data(
            timetable=timetable,
            sections=_section_times(panel, timetable),
            next_meetings=next_meetings,
            meetings=selectors.upcoming_meetings(panel=panel, today=timezone.localdate()),
            deadlines=selectors.panel_deadlines(panel=panel, meeting_date=next_meetings[0]),
            can_edit=can_set_up_panels(self.request.user),
            can_record_emergency=can_record_emergency_decisions(self.request.user),
            **kwargs,
        )


def _form_failed(view, form, error: ValidationError):
    add_service_errors(form, error)
    return view.form_invalid(form)


class PanelUpdateView(PermissionRequiredMixin, UpdateView):
    permission = can_set_up_panels
    model = Panel
    form_class = PanelForm
    template_name = "agendas/panel_form.html"
    context_object_name = "panel"

    def form_valid(self, form):
        try:
            panel = services.panel_update(panel=self.object, **form.cleaned_data)
        except ValidationError as error:
            return _form_failed(self, form, error)
        messages.success(
            self.request,
            followed(
                f"{panel.name}: settings saved.",
                tracker_selectors.dates_being_recomputed(),
                what="Children's dates are being recomputed",
            ),
        )
        return redirect("agendas:panel-detail", slug=panel.slug)


class PanelPartMixin(PermissionRequiredMixin):
    """A page that adds, changes or removes one part of a panel's set-up."""

    permission = can_set_up_panels
    model = None
    noun = ""  # in the council's words: "section", "break", "request type"…
    anchor = ""  # where the part is listed on the panel's page

    @cached_property
    def panel(self) -> Panel:
        return get_object_or_404(Panel, slug=self.kwargs["slug"])

    @cached_property
    def part(self):
        if "pk" not in self.kwargs:
            return self.model(panel=self.panel)
        return get_object_or_404(self.model, pk=self.kwargs["pk"], panel=self.panel)

    def get_success_url(self) -> str:
        return reverse("agendas:panel-detail", args=[self.panel.slug]) + f"#{self.anchor}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panel=self.panel,
            part=self.part,
            noun=self.noun,
            back_url=self.get_success_url(),
            **kwargs,
        )


class PanelPartFormView(PanelPartMixin, FormView):
    template_name = "agendas/panel_part_form.html"

    def save(self, fields: dict):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.part}

    def form_valid(self, form):
        adding = self.part.pk is None
        try:
            part = self.save(form.cleaned_data)
        except ValidationError as error:
            return _form_failed(self, form, error)
        done = "added" if adding else "saved"
        messages.success(self.request, f"{self.noun.capitalize()} {done}: {part}.")
        return redirect(self.get_success_url())


class PanelPartDeleteView(PanelPartMixin, TemplateView):
    template_name = "agendas/panel_part_confirm_delete.html"
    consequence = ""

    def delete(self, part) -> None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(consequence=self.consequence, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            self.delete(self.part)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.get_success_url())
        messages.success(request, f"{self.noun.capitalize()} removed: {self.part}.")
        return redirect(self.get_success_url())


class SectionMixin:
    model = AgendaSection
    form_class = AgendaSectionForm
    noun = "section"
    anchor = "sections"


class SectionCreateView(SectionMixin, PanelPartFormView):
    def get_initial(self):
        last = self.panel.sections.aggregate(last=Max("order"))["last"] or 0
        return {"order": last + 1}

    def save(self, fields):
        return services.agenda_section_create(panel=self.panel, **fields)


class SectionUpdateView(SectionMixin, PanelPartFormView):
    def save(self, fields):
        return services.agenda_section_update(section=self.part, **fields)


class SectionDeleteView(SectionMixin, PanelPartDeleteView):
    consequence = "Request types that usually go in this section will have no usual section."

    def delete(self, part):
        services.agenda_section_delete(section=part)


class BreakMixin:
    model = Break
    form_class = BreakForm
    noun = "break"
    anchor = "timetable"


class BreakCreateView(BreakMixin, PanelPartFormView):
    def save(self, fields):
        return services.break_create(panel=self.panel, **fields)


class BreakUpdateView(BreakMixin, PanelPartFormView):
    def save(self, fields):
        return services.break_update(pause=self.part, **fields)


class BreakDeleteView(BreakMixin, PanelPartDeleteView):
    def delete(self, part):
        services.break_delete(pause=part)


class RequestTypeMixin:
    model = RequestType
    form_class = RequestTypeForm
    noun = "request type"
    anchor = "request-types"


class RequestTypeCreateView(RequestTypeMixin, PanelPartFormView):
    def save(self, fields):
        return services.request_type_create(panel=self.panel, **fields)


class RequestTypeUpdateView(RequestTypeMixin, PanelPartFormView):
    def save(self, fields):
        return services.request_type_update(request_type=self.part, **fields)


class RequestTypeDeleteView(RequestTypeMixin, PanelPartDeleteView):
    consequence = "The documents listed for it are removed too."

    def delete(self, part):
        services.request_type_delete(request_type=part)


class DocumentMixin:
    model = DocumentRequirement
    form_class = DocumentRequirementForm
    noun = "document"
    anchor = "request-types"


class DocumentCreateView(DocumentMixin, PanelPartFormView):
    def get_initial(self):
        # The "Add a document" link under a request type arrives with it chosen.
        return {"request_type": self.request.GET.get("request_type")}

    def save(self, fields):
        return services.document_requirement_create(panel=self.panel, **fields)


class DocumentUpdateView(DocumentMixin, PanelPartFormView):
    def save(self, fields):
        return services.document_requirement_update(document=self.part, **fields)


class DocumentDeleteView(DocumentMixin, PanelPartDeleteView):
    def delete(self, part):
        services.document_requirement_delete(document=part)


class MemberMixin:
    model = PanelMembership
    form_class = PanelMembershipForm
    noun = "member"
    anchor = "members"


class MemberCreateView(MemberMixin, PanelPartFormView):
    def save(self, fields):
        return services.panel_membership_create(panel=self.panel, **fields)


class MemberUpdateView(MemberMixin, PanelPartFormView):
    def save(self, fields):
        return services.panel_membership_update(membership=self.part, **fields)


class MemberDeleteView(MemberMixin, PanelPartDeleteView):
    def delete(self, part):
        services.panel_membership_delete(membership=part)
