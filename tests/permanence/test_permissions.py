"""How a view declares what it needs (`permanence.permissions.PermissionRequiredMixin`): what
the user may not see is a 404 before anything is refused, a refusal is a 403, and a button's
URL answers a GET with 405 before anyone is asked."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from agendas.models import Meeting, PanelMembership
from permanence.permissions import PermissionRequiredMixin, can_read_outbox
from permanence.roles import Role
from tests.factories import PanelFactory

pytestmark = pytest.mark.django_db

asked = []


def can_open(user, thing) -> bool:
    asked.append(thing)
    return thing == "open"


class Page(PermissionRequiredMixin, View):
    permission = can_read_outbox

    def get(self, request):
        return HttpResponse("the page")


class Thing(PermissionRequiredMixin, View):
    permission = can_open

    def permission_object(self):
        if self.kwargs["thing"] == "missing":
            raise Http404
        return self.kwargs["thing"]

    def get(self, request, thing):
        return HttpResponse(thing)


class Button(Thing):
    http_method_names = ["post"]

    def post(self, request, thing):
        return HttpResponse("pressed")


def call(view, user, method="get", **kwargs):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view.as_view()(request, **kwargs)


def test_a_page_for_some_roles_refuses_the_rest_with_403(make_user):
    assert call(Page, make_user(Role.ADMINISTRATOR)).status_code == 200
    with pytest.raises(PermissionDenied):
        call(Page, make_user(Role.SOCIAL_WORKER))


def test_the_predicate_is_asked_about_the_views_object(make_user):
    asked.clear()
    user = make_user(Role.SOCIAL_WORKER)
    assert call(Thing, user, thing="open").content == b"open"
    with pytest.raises(PermissionDenied):
        call(Thing, user, thing="shut")
    assert asked == ["open", "shut"]


def test_what_the_user_may_not_see_is_not_found_before_anything_is_refused(make_user):
    asked.clear()
    with pytest.raises(Http404):
        call(Thing, make_user(Role.SOCIAL_WORKER), thing="missing")
    assert asked == []


def test_a_get_on_a_buttons_url_is_405_before_anyone_is_asked(make_user):
    asked.clear()
    user = make_user(Role.SOCIAL_WORKER)
    assert call(Button, user, thing="shut").status_code == 405
    assert asked == []
    with pytest.raises(PermissionDenied):
        call(Button, user, "post", thing="shut")
    assert call(Button, user, "post", thing="open").content == b"pressed"


def test_those_who_read_the_minutes_may_not_save_their_notes_by_any_method(client, make_user):
    member = make_user(Role.PANEL_MEMBER)
    panel = PanelFactory(slug="somerset", name="Somerset Permanence Panel")
    PanelMembership.objects.create(panel=panel, role_on_panel="Health", user=member)
    meeting = Meeting.objects.create(
        panel=panel, date=date(2027, 1, 14), starts_at=time(9, 30), ends_at=time(12, 30)
    )
    url = reverse("minutes:minutes", args=[panel.slug, meeting.pk])
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"notes": "Changed"}).status_code == 403
    assert client.put(url, "notes=Changed").status_code == 403
