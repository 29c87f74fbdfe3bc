"""A person's calendar: the page where they get, copy and stop their secret link, and the
feed that a calendar app reads through it without signing in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from permanence.audit.services import audit_entry_record
from permanence.models import AuditAction
from permanence.permissions import PermissionRequiredMixin
from permanence.roles import Role
from permanence.service_views import ServiceButtonView

from .. import calendar, selectors, services
from ..permissions import can_keep_a_calendar

# The new link's token waits in the session for the one page that shows it.
NEW_LINK = "calendar:new_link"
# What the audit records as the feed's path: the path itself holds the token.
FEED_PATH = "/calendar/(link).ics"


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("calendar:feed", kwargs={"token": token})


class CalendarLinkView(PermissionRequiredMixin, TemplateView):
    permission = can_keep_a_calendar
    template_name = "agendas/calendar_link.html"

    def get_context_data(self, **kwargs):
        feed = selectors.calendar_feed_of(self.request.user)
        outlived = feed is not None and feed.outlived_its_sign_in
        if outlived:
            feed = None  # stopped by a new password or Sign out everywhere: get a new one
        token = self.request.session.pop(NEW_LINK, None)
        link = feed_url(token) if token and feed else ""
        return super().get_context_data(
            feed=feed,
            outlived=outlived,
            link=link,
            subscribe=link.replace("https://", "webcal://").replace("http://", "webcal://"),
            last_read=selectors.calendar_feed_last_read(feed) if feed else None,
            runs_every_panel=self.request.user.has_any_role(Role.ADMINISTRATOR),
            **kwargs,
        )


class CalendarLinkNewView(PermissionRequiredMixin, ServiceButtonView):
    permission = can_keep_a_calendar
    done_message = "Your new calendar link is ready. Copy it into your calendar app now."

    def act(self):
        token = services.calendar_feed_create(user=self.request.user)
        self.request.session[NEW_LINK] = token

    def done(self):
        return redirect("calendar:link")


class CalendarLinkStopView(PermissionRequiredMixin, ServiceButtonView):
    permission = can_keep_a_calendar
    done_message = "Your calendar link is stopped: calendar apps using it get nothing more."

    def act(self):
        services.calendar_feed_revoke(user=self.request.user)

    def done(self):
        return redirect("calendar:link")


@login_not_required
@require_safe
def calendar_feed(request, token: str):
    """The feed, for a calendar app: the token is the only key. A token never given, or a
    deactivated person's, is not there (404); a link stopped, or made before the person's
    new password or Sign out everywhere, is gone (410). Each read is audited as the
    link's person, from the address that asked."""
    feed = selectors.calendar_feed_by_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    audit = {
        "user": feed.user,
        "request": request,
        "object_type": "agendas.calendarfeed",
        "object_id": feed.pk,
        "label": "Calendar feed",
        "path": FEED_PATH,
    }
    if not feed.works:
        audit_entry_record(action=AuditAction.REFUSED, **audit)
        response = HttpResponse(
            "This calendar link was stopped. Get a new one from your account.",
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    else:
        today = timezone.localdate()
        body = calendar.feed(
            meetings=selectors.calendar_meetings(feed.user, today=today),
            bookings=selectors.calendar_bookings(feed.user, today=today),
        )
        audit_entry_record(action=AuditAction.DOWNLOADED, **audit)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="permanence-panel.ics"'
    # Initials and case numbers: no cache between keeps them; the app asks again hourly.
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex"
    return response
