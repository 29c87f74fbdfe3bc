"""The agenda as a live page (the Lancashire template), agreed by the chair and circulated."""

from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView

from .. import pdfs, selectors, services
from ..permissions import can_agree_agenda, can_circulate, can_give_theme


def _meeting_for(user, slug: str, pk: int):
    return selectors.visible_meeting(user, slug=slug, pk=pk)


class AgendaView(AuditedMixin, TemplateView):
    audit_model = "agendas.Meeting"
    audit_child = None
    template_name = "agendas/agenda.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = _meeting_for(user, self.kwargs["slug"], self.kwargs["pk"])
        panel = meeting.panel
        return super().get_context_data(
            meeting=meeting,
            panel=panel,
            agenda=selectors.agenda(meeting),
            may_agree=can_agree_agenda(user, meeting) and not meeting.is_cancelled,
            may_circulate=can_circulate(user, meeting) and not meeting.is_cancelled,
            may_give_theme=can_give_theme(user, meeting) and not meeting.is_cancelled,
            **kwargs,
        )


class AgendaPdfView(AuditedMixin, View):
    """The agenda to download as a PDF, for whoever may read it on the page."""

    audit_model = "agendas.Meeting"
    audit_child = None

    def get(self, request, slug, pk):
        meeting = _meeting_for(request.user, slug, pk)
        return pdfs.pdf_download(pdfs.agenda_pdf(meeting), pdfs.agenda_filename(meeting))


class AgendaActionView(ServiceButtonView):
    """A button on the agenda page: agree the agenda, or mark it circulated."""

    @cached_property
    def meeting(self):
        return _meeting_for(self.request.user, self.kwargs["slug"], self.kwargs["pk"])

    def done(self):
        return redirect("agendas:agenda", self.kwargs["slug"], self.kwargs["pk"])


class AgendaAgreeView(AgendaActionView):
    """`agenda_agree` refuses anyone but the panel's chair or deputy, with the reason the
    agenda page shows."""

    done_message = "You agreed the agenda."

    def act(self):
        services.agenda_agree(meeting=self.meeting, chair=self.request.user)


class AgendaCirculateView(PermissionRequiredMixin, AgendaActionView):
    permission = can_circulate
    done_message = "The agenda is marked as circulated."

    def permission_object(self):
        return self.meeting

    def act(self):
        services.agenda_mark_circulated(meeting=self.meeting, by=self.request.user)
