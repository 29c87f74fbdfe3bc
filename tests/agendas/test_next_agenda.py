"""Knowsley's Part 4, "Agree next agenda": at each meeting the chair agrees the next
meeting's agenda, and its children's social workers and team managers are told ("Team
Managers and Social workers will be aware of the agenda as it is agreed at the previous
meeting").

Knowsley meets on the first Tuesday: 5 January, 2 February and 2 March 2027. At the
January panel the chair agrees February's agenda.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agendas import pdfs, selectors, services
from agendas.models import AgendaSection
from permanence.models import Notification
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import ChildFactory

from .test_pdfs import text_of

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)
PART_4 = "Part 4: Agree next agenda"


def at(day: date, hour: int = 11):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def first_tuesdays(knowsley_meetings):
    assert [meeting.date for meeting in knowsley_meetings] == [JANUARY, FEBRUARY, MARCH]
    return knowsley_meetings


@pytest.fixture
def january(first_tuesdays):
    return first_tuesdays[0]


@pytest.fixture
def february(first_tuesdays):
    return first_tuesdays[1]


@pytest.fixture
def dan(knowsley, social_worker, team_manager, team):
    return ChildFactory(
        first_name="Dan",
        last_name="Lovelace",
        case_number="200451",
        panel=knowsley,
        social_worker=social_worker,
        team_manager=team_manager,
        team=team,
    )


@pytest.fixture
def february_bookings(book, february, dan, knowsley, social_worker):
    """Dan in Part 2's first slot, and Eve in Part 3's, for February."""
    eve = ChildFactory(
        first_name="Eve",
        last_name="Stone",
        case_number="200452",
        panel=knowsley,
        social_worker=social_worker,
        team=social_worker.team,
    )
    return [
        book(february, dan, request="Staying Put"),
        book(february, eve, request="Placement scrutiny"),
    ]


def confirmations() -> list[Notification]:
    return list(
        Notification.objects.filter(kind="booking_confirmed")
        .select_related("recipient")
        .order_by("about", "recipient__email")
    )


# The section ------------------------------------------------------------------------------


def test_knowsleys_part_4_agrees_the_next_agenda_and_no_other_section_does(knowsley):
    agreeing = AgendaSection.objects.filter(agrees_next_agenda=True)
    assert [(s.panel.slug, s.name) for s in agreeing] == [("knowsley", PART_4)]


def test_a_panel_agrees_its_next_agenda_in_one_section_at_most(knowsley):
    other = knowsley.sections.get(order=3)
    other.agrees_next_agenda = True
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_the_section_form_sets_it_where_sections_are_edited(administrator_client, knowsley):
    part_4 = knowsley.sections.get(name=PART_4)
    page = administrator_client.get(f"/panels/knowsley/sections/{part_4.pk}/change/")
    assert page.context["form"]["agrees_next_agenda"].value() is True
    data = {
        "order": 4,
        "name": PART_4,
        "definition": part_4.definition,
        "booking": "section",
        "capacity": 0,
        "time_budget_minutes": 15,
    }  # the box unticked
    response = administrator_client.post(
        f"/panels/knowsley/sections/{part_4.pk}/change/", data=data
    )
    assert response.status_code == 302
    part_4.refresh_from_db()
    assert part_4.agrees_next_agenda is False


# The next meeting's draft agenda -----------------------------------------------------------


def test_the_draft_is_the_next_meetings_children_in_running_order(january, february_bookings):
    draft = selectors.next_agenda(january)
    assert draft.section.name == PART_4
    assert draft.meeting == february_bookings[0].meeting
    assert [b.child.first_name for b in draft.bookings] == ["Dan", "Eve"]
    assert draft.agreed is False


def test_a_cancelled_meeting_is_passed_over_and_with_none_left_there_is_no_draft(
    first_tuesdays, january, february
):
    with at(date(2026, 12, 1)):
        services.meeting_cancel(meeting=february, reason="Chair unwell")
    assert selectors.next_agenda(january).meeting == first_tuesdays[2]
    draft = selectors.next_agenda(first_tuesdays[2])
    assert (draft.meeting, draft.bookings) == (None, [])


def test_a_panel_that_agrees_no_agenda_at_its_meetings_has_no_draft(meeting):
    assert selectors.next_agenda(meeting) is None
    assert selectors.agenda(meeting).next_agenda is None


# Agreeing it at the meeting ----------------------------------------------------------------


def test_the_chair_agrees_the_next_agenda_at_the_meeting(january, february, chair):
    with at(JANUARY):
        agreed = services.next_agenda_agree(meeting=january, chair=chair)
    assert agreed == february
    february.refresh_from_db()
    assert february.agenda_agreed_by == chair
    assert february.agenda_agreed_at_meeting == january
    assert february.agenda_agreed_at == datetime(2027, 1, 5, 11, tzinfo=LONDON)
    assert list(january.next_agendas_agreed.all()) == [february]
    assert selectors.next_agenda(january).agreed


def test_each_booking_is_confirmed_to_its_social_worker_and_team_manager_once(
    january,
    february_bookings,
    chair,
    social_worker,
    team_manager,
    django_capture_on_commit_callbacks,
):
    dan, eve = february_bookings
    with at(JANUARY), django_capture_on_commit_callbacks(execute=True):
        services.next_agenda_agree(meeting=january, chair=chair)
    assert [(n.about, n.recipient, n.due_on) for n in confirmations()] == [
        (f"booking:{dan.pk}", social_worker, FEBRUARY),
        (f"booking:{dan.pk}", team_manager, FEBRUARY),
        (f"booking:{eve.pk}", social_worker, FEBRUARY),  # Eve has no team manager
    ]
    sent = [email for email in mail.outbox if email.subject.startswith("Agenda agreed")]
    assert len(sent) == 3
    assert sent[0].subject == (
        "Agenda agreed: DL (200451) is on the agenda for Knowsley Multi-Agency Permanency "
        "Panel, Tuesday 2 February 2027"
    )
    assert not [email for email in sent if "Dan" in email.subject or "Lovelace" in email.subject]
    body = sent[0].body
    assert "The chair agreed the agenda for Knowsley Multi-Agency Permanency Panel on " in body
    assert "Tuesday 2 February 2027, at the panel of Tuesday 5 January 2027." in body
    assert "Dan Lovelace (200451) is on it." in body
    assert "Time: 10:15 to 10:30" in body  # Part 2's first 15-minute slot
    assert "Request: Staying Put" in body
    assert f"/bookings/{dan.pk}/" in body


def test_a_tracked_child_is_confirmed_as_a_tracking_review_that_asks_nothing(
    book, january, february, dan, chair
):
    book(february, dan, request="Adoption tracking")
    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
    [to_the_social_worker, _] = confirmations()
    body = to_the_social_worker.body_text
    assert "A tracking review needs nothing written, and you need not attend unless" in body
    assert "Send the submission" not in body and "verbal update" not in body


def test_agreeing_again_is_refused_with_who_agreed_it_and_when(january, february, chair):
    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
        with pytest.raises(ValidationError) as refused:
            services.next_agenda_agree(meeting=january, chair=chair)
    assert refused.value.messages == [
        "The agenda for Tuesday 2 February 2027 is already agreed: Cara Chair agreed it on "
        "Tuesday 5 January 2027 at 11:00."
    ]


def test_an_agenda_agreed_on_its_own_page_is_already_agreed(january, february, chair):
    services.agenda_agree(meeting=february, chair=chair)
    with at(JANUARY), pytest.raises(ValidationError, match="is already agreed"):
        services.next_agenda_agree(meeting=january, chair=chair)
    february.refresh_from_db()
    assert february.agenda_agreed_at_meeting is None  # agreed on its page, not at a meeting


def test_a_changed_agenda_is_agreed_again_and_only_the_child_booked_since_is_told(
    book, january, february, february_bookings, chair, knowsley
):
    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
    assert len(confirmations()) == 3
    fay = ChildFactory(panel=knowsley, social_worker=february_bookings[0].social_worker)
    with at(JANUARY, 12):
        late = services.booking_create(
            meeting=february,
            child=fay,
            request_type=knowsley.request_types.get(name="Staying Put"),
            reason="Staying Put with her carers",
            booked_by=chair,
        )
        services.next_agenda_agree(meeting=january, chair=chair)
    assert len(confirmations()) == 4
    assert confirmations()[-1].about == f"booking:{late.pk}"


def test_it_is_refused_when_there_is_no_next_meeting(first_tuesdays, chair):
    march = first_tuesdays[2]
    with at(MARCH), pytest.raises(ValidationError) as refused:
        services.next_agenda_agree(meeting=march, chair=chair)
    assert refused.value.messages == [
        "The Knowsley Multi-Agency Permanency Panel has no meeting scheduled after Tuesday 2 "
        "March 2027. Ask an administrator to schedule it, then agree its agenda."
    ]


def test_it_is_refused_before_the_day_of_the_meeting(january, chair):
    with at(date(2027, 1, 4)), pytest.raises(ValidationError) as refused:
        services.next_agenda_agree(meeting=january, chair=chair)
    assert refused.value.messages == [
        f"The panel meets on Tuesday 5 January 2027: agree the next agenda there, in {PART_4}."
    ]


def test_it_is_refused_at_a_cancelled_meeting(january, chair):
    with at(date(2026, 12, 1)):
        services.meeting_cancel(meeting=january, reason="Chair unwell")
    january.refresh_from_db()
    with at(JANUARY), pytest.raises(ValidationError, match="This meeting is cancelled"):
        services.next_agenda_agree(meeting=january, chair=chair)


def test_only_the_chair_or_deputy_agrees_it(january, february, knowsley, make_user, administrator):
    deputy = make_user(Role.CHAIR, first_name="Dee")
    services.panel_update(panel=knowsley, deputy_chair=deputy)
    with at(JANUARY):
        for someone in (administrator, make_user(Role.PANEL_MEMBER)):
            with pytest.raises(ValidationError, match="Only the panel's chair or deputy"):
                services.next_agenda_agree(meeting=january, chair=someone)
        services.next_agenda_agree(meeting=january, chair=deputy)
    february.refresh_from_db()
    assert february.agenda_agreed_by == deputy


def test_a_panel_that_agrees_no_agenda_at_its_meetings_refuses(meeting, chair):
    with at(meeting.date), pytest.raises(ValidationError) as refused:
        services.next_agenda_agree(meeting=meeting, chair=chair)
    assert refused.value.messages == [
        "The Lancashire Permanence Panel does not agree its next agenda at its meetings."
    ]


# Shown on both meetings' agendas ---------------------------------------------------------


def test_the_web_agenda_ends_with_the_next_meetings_draft_at_part_4(
    client, chair, january, february, february_bookings
):
    client.force_login(chair)
    page = client.get(f"/panels/knowsley/meetings/{january.pk}/agenda/").content.decode()
    part_4 = page[page.index(f"4. {PART_4}") :]
    assert "No children are booked into this part" not in part_4
    assert f'href="/panels/knowsley/meetings/{february.pk}/agenda/"' in part_4
    assert part_4.index("Dan Lovelace") < part_4.index("Eve Stone")
    assert "Not agreed yet" in part_4

    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
    page = client.get(f"/panels/knowsley/meetings/{january.pk}/agenda/").content.decode()
    assert "Cara Chair agreed it on Tuesday 5 January 2027 at 11:00, at this meeting." in page


def test_the_next_meetings_agenda_and_page_say_where_it_was_agreed(
    client, chair, january, february
):
    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
    client.force_login(chair)
    for url in (
        f"/panels/knowsley/meetings/{february.pk}/agenda/",
        f"/panels/knowsley/meetings/{february.pk}/",
    ):
        page = " ".join(client.get(url).content.decode().split())
        assert (
            "Cara Chair, Tuesday 5 January 2027 at 11:00, at the panel of "
            f'<a class="govuk-link" href="/panels/knowsley/meetings/{january.pk}/">'
            "Tuesday 5 January 2027</a>"
        ) in page, url


def test_the_pdf_agenda_lists_the_draft_at_part_4_and_says_where_it_was_agreed(
    chair, january, february, february_bookings
):
    text = text_of(pdfs.agenda_pdf(january))
    part_4 = text[text.index(f"AGENDA ITEM 4 – {PART_4}") :]
    assert (
        "The draft agenda for the panel's next meeting, Tuesday 2 February 2027: to be " in part_4
    )
    assert part_4.index("Dan Lovelace") < part_4.index("Eve Stone")
    assert "No children are booked into this item" not in part_4

    with at(JANUARY):
        services.next_agenda_agree(meeting=january, chair=chair)
    february.refresh_from_db()
    assert "agreed by Cara Chair on Tuesday 5 January 2027, at this meeting." in " ".join(
        text_of(pdfs.agenda_pdf(january)).split()
    )
    assert (
        "Agreed by the chair Cara Chair, Tuesday 5 January 2027, at the panel of Tuesday 5 "
        "January 2027"
    ) in " ".join(text_of(pdfs.agenda_pdf(february)).split())


def test_the_meeting_page_reads_the_draft_in_a_fixed_number_of_queries(
    client, chair, book, january, february, knowsley, django_assert_max_num_queries
):
    client.force_login(chair)
    url = f"/panels/knowsley/meetings/{january.pk}/agenda/"
    book(february, request="Staying Put")
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for _ in range(3):
        book(february, request="Placement scrutiny")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("/bookings/") >= 4
