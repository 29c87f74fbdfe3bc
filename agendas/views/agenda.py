"""The agenda as a live page (the Lancashire template), agreed by the chair and circulated."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from permanence.roles import Role

from .. import pdfs, selectors, services


def _meeting_for(user, slug: str, pk: int):
    return selectors.visible_meeting(user, slug=slug, pk=pk)


class AgendaView(TemplateView):
    template_name = "agendas/agenda.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = _meeting_for(user, self.kwargs["slug"], self.kwargs["pk"])
        panel = meeting.panel
        return super().get_context_data(
            meeting=meeting,
            panel=panel,
            agenda=selectors.agenda(meeting),
            may_agree=panel.is_chaired_by(user) and not meeting.is_cancelled,
            may_circulate=user.has_any_role(Role.ADMINISTRATOR) and not meeting.is_cancelled,
            **kwargs,
        )


class AgendaPdfView(View):
    """The agenda to download as a PDF, for whoever may read it on the page."""

    def get(self, request, slug, pk):
        meeting = _meeting_for(request.user, slug, pk)
        return pdfs.pdf_download(pdfs.agenda_pdf(meeting), pdfs.agenda_filename(meeting))


class AgendaActionView(View):
    """A button on the agenda page: agree the agenda, or mark it circulated."""

    def post(self, request, slug, pk):
        meeting = _meeting_for(request.user, slug, pk)
        try:
            self.act(meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done_message)
        return redirect("agendas:agenda", slug, pk)


class AgendaAgreeView(AgendaActionView):
    done_message = "You agreed the agenda."

    def act(self, meeting):
        services.agenda_agree(meeting=meeting, chair=self.request.user)


class AgendaCirculateView(AgendaActionView):
    done_message = "The agenda is marked as circulated."

    def act(self, meeting):
        if not self.request.user.has_any_role(Role.ADMINISTRATOR):
            raise PermissionDenied
        services.agenda_mark_circulated(meeting=meeting, by=self.request.user)
