"""Building a meeting's tracking list from the tracker, in one step: choose the rule or a
saved tracker filter, see who it finds and why, untick anyone, add the rest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from tracker.selectors import saved_filters

from .. import selectors, services
from ..models import Meeting
from ..permissions import can_book


class TrackingListView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    permission = can_book
    template_name = "agendas/tracking_list.html"

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.select_related("panel"),
            panel__slug=self.kwargs["slug"],
            pk=self.kwargs["pk"],
        )

    @cached_property
    def section(self):
        return get_object_or_404(
            selectors.tracking_sections(self.meeting), pk=self.kwargs["section"]
        )

    def rule(self, data) -> str | None:
        rule = data.get("rule", "")
        if rule in selectors.LIST_RULES or selectors.saved_filter_of(rule):
            return rule
        return None

    def get_context_data(self, **kwargs):
        rule = kwargs.pop("rule", None) or self.rule(self.request.GET)
        candidates = []
        if rule:
            try:
                candidates = selectors.tracking_candidates(
                    meeting=self.meeting, section=self.section, rule=rule
                )
            except ValidationError as error:
                kwargs.setdefault("error", " ".join(error.messages))
        ticked = kwargs.pop("ticked", None)
        error = kwargs.get("error")
        return super().get_context_data(
            errors=[{"text": error, "href": "#children"}] if error else [],
            meeting=self.meeting,
            panel=self.meeting.panel,
            section=self.section,
            rules=selectors.LIST_RULES,
            saved_rules=[(selectors.saved_rule(saved), saved) for saved in saved_filters()],
            rule=rule,
            candidates=candidates,
            ticked=ticked,
            to_add=sum(1 for c in candidates if not c.on_this_agenda),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        rule = self.rule(request.POST)
        if rule is None:
            return redirect(request.path)
        chosen = {int(pk) for pk in request.POST.getlist("child") if pk.isdigit()}
        try:
            found = selectors.tracking_candidates(
                meeting=self.meeting, section=self.section, rule=rule
            )
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        # In the order the list showed them: those not discussed last time first.
        children = [c.child for c in found if c.child.pk in chosen]
        if not children:
            return self.render_to_response(
                self.get_context_data(
                    rule=rule, ticked=chosen, error="Tick at least one child to add."
                )
            )
        try:
            result = services.tracking_list_add(
                meeting=self.meeting,
                section=self.section,
                children=children,
                booked_by=request.user,
            )
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(rule=rule, ticked=chosen, error=" ".join(error.messages))
            )
        added = len(result.added)
        text = f"{added} {'child' if added == 1 else 'children'} added to “{self.section.name}”."
        if result.already:
            text += f" {result.already} already on this agenda were left where they are."
        messages.success(request, text)
        return redirect("agendas:meeting", self.meeting.panel.slug, self.meeting.pk)
