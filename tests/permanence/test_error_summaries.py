"""An empty form gets one GOV.UK error summary that names each field, and no banners; a
refusal with several reasons (send to panel with nothing done) is one summary too."""

import re
from datetime import date

import pytest
import time_machine
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.urls import reverse

from permanence.roles import Role
from tests.factories import ActionFactory, DecisionFactory, approved_carers_for, winter_meetings

pytestmark = pytest.mark.django_db

SUMMARY = 'class="govuk-error-summary"'


@pytest.fixture(autouse=True)
def traveller():
    with time_machine.travel(date(2026, 12, 1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(somerset):
    """Somerset's first panel of 2027."""
    return winter_meetings(somerset, end=date(2027, 1, 31))[0]


@pytest.fixture
def booking(book, meeting):
    booking = book(meeting, request="Matching", reason="Match with the long term foster carers")
    approved_carers_for(booking.child)  # Somerset matches only carers approved for permanence
    return booking


@pytest.fixture
def decision(booking, chair, traveller):
    traveller.move_to(booking.meeting.date)
    return DecisionFactory(
        booking=booking,
        outcome="Ratify the request, with timescales for the action plan",
        rationale="The carers are approved for permanence.",
        recorded_by=chair,
    )


@pytest.fixture
def action(decision, administrator):
    return ActionFactory(
        decision=decision,
        description="Send the matching report",
        owner=administrator,
        due_date=date(2027, 2, 1),
    )


# (page, who may use it, what it needs): every form page where an empty submit is refused.
PAGES = {
    "closure day": ("closure-days", Role.ADMINISTRATOR, lambda f: {}),
    "panel": ("agendas:panel-change", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "schedule": ("agendas:schedule", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "meeting": (
        "agendas:meeting-change",
        Role.ADMINISTRATOR,
        lambda f: {"slug": "somerset", "pk": f("meeting").pk},
    ),
    "cancel meeting": (
        "agendas:meeting-cancel",
        Role.ADMINISTRATOR,
        lambda f: {"slug": "somerset", "pk": f("meeting").pk},
    ),
    "book": (
        "agendas:booking-add",
        Role.ADMINISTRATOR,
        lambda f: {"slug": "somerset", "pk": f("meeting").pk},
    ),
    "waiting list": ("agendas:waiting-list", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "section": ("agendas:section-add", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "break": ("agendas:break-add", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "request type": (
        "agendas:request-type-add",
        Role.ADMINISTRATOR,
        lambda f: {"slug": "somerset"},
    ),
    "document": ("agendas:document-add", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "member": ("agendas:member-add", Role.ADMINISTRATOR, lambda f: {"slug": "somerset"}),
    "change booking": ("bookings:change", Role.ADMINISTRATOR, lambda f: {"pk": f("booking").pk}),
    "move booking": ("bookings:move", Role.ADMINISTRATOR, lambda f: {"pk": f("booking").pk}),
    "cancel booking": ("bookings:cancel", Role.ADMINISTRATOR, lambda f: {"pk": f("booking").pk}),
    "upload": ("bookings:document-upload", Role.ADMINISTRATOR, lambda f: {"pk": f("booking").pk}),
    "amend decision": (
        "minutes:decision-amend",
        Role.ADMINISTRATOR,
        lambda f: {"pk": f("decision").pk},
    ),
    "complete action": (
        "minutes:action-complete",
        Role.ADMINISTRATOR,
        lambda f: {"pk": f("action").pk},
    ),
    "emergency decision": ("minutes:emergency-decisions", Role.ADMINISTRATOR, lambda f: {}),
    "new child": ("tracker:child-create", Role.ADMINISTRATOR, lambda f: {}),
    "import": ("tracker:import", Role.ADMINISTRATOR, lambda f: {}),
    "sign in": ("login", None, lambda f: {}),
    "password reset": ("password_reset", None, lambda f: {}),
}


def first_box(field) -> str:
    if isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"{field.auto_id}_1"
    return field.id_for_label or f"{field.auto_id}_0"


def summary_items(html: str) -> list[str]:
    summary = html.split(SUMMARY, 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", summary, flags=re.S)


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_form_gets_one_error_summary_naming_each_field(page, request, client):
    name, role, kwargs = PAGES[page]
    request.getfixturevalue("somerset")
    url = reverse(name, kwargs=kwargs(request.getfixturevalue))
    if role:
        client.force_login(request.getfixturevalue("administrator"))
    response = client.post(url, {})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(SUMMARY) == 1
    assert "govuk-notification-banner" not in html
    form = response.context["form"]
    field_errors = [(name, error) for name, errors in form.errors.items() for error in errors]
    assert field_errors
    items = summary_items(html)
    assert len(items) == len(field_errors)
    links = {re.search(r'href="#([^"]+)"', item)[1] for item in items if "href" in item}
    assert links == {first_box(form[field]) for field, _ in field_errors if field != "__all__"}
    for link in links:
        assert f'id="{link}"' in html
    assert "This field is required" not in html
    assert "<title>Error: " in html


def test_send_to_panel_with_nothing_done_is_one_error_summary(client, booking, administrator):
    client.force_login(administrator)
    response = client.post(reverse("bookings:submit", args=[booking.pk]), follow=True)
    html = response.content.decode()
    assert html.count(SUMMARY) == 1
    assert "govuk-notification-banner" not in html
    assert len(summary_items(html)) > 1


def test_an_empty_decision_gets_one_error_summary(client, booking, chair, traveller):
    traveller.move_to(booking.meeting.date)
    client.force_login(chair)
    url = reverse(
        "decisions:decision",
        kwargs={"slug": "somerset", "pk": booking.meeting.pk, "booking": booking.pk},
    )
    html = client.post(url, {}).content.decode()
    assert html.count(SUMMARY) == 1
    assert "govuk-notification-banner" not in html
    assert summary_items(html) == [
        '<a href="#id_outcome_1">Choose panel&#x27;s decision.</a>',
        '<a href="#id_rationale">Give panel&#x27;s rationale for the decision.</a>',
    ]


@pytest.mark.parametrize(
    ("length", "refused"), [(1000, False), (1001, True)], ids=["at the limit", "one over"]
)
def test_text_over_its_limit_is_refused_on_the_field_and_kept(
    client, booking, administrator, length, refused
):
    client.force_login(administrator)
    reason = "x" * length
    response = client.post(reverse("bookings:cancel", args=[booking.pk]), {"reason": reason})
    if not refused:
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert summary_items(html) == [
        '<a href="#id_reason">Your answer must be 1,000 characters or fewer</a>'
    ]
    assert reason in html  # what was typed is still there to shorten
    assert 'data-maxlength="1000"' in html


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("31", "12", "1999"), "Enter a date on or after 1 January 2000"),
        (("4", "1", "2000"), None),  # 1 to 3 January 2000 were a weekend and bank holidays
        (("1", "12", "2031"), None),
        (("2", "12", "2031"), "Enter a date no more than 5 years ahead"),
    ],
)
def test_a_closure_day_out_of_range_is_refused_on_its_field(client, administrator, day, message):
    client.force_login(administrator)
    data = {"date_0": day[0], "date_1": day[1], "date_2": day[2], "description": "Closed"}
    response = client.post(reverse("closure-days"), data)
    if message is None:
        assert response.status_code == 302
        return
    items = summary_items(response.content.decode())
    assert len(items) == 1
    assert items[0].startswith(f'<a href="#id_date_0">{message}')
