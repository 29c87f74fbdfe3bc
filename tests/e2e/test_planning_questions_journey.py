"""Somerset's planning questions and key dates (issue 16, Somerset 3.1): the social worker
answers the panel's questions in the submission by keyboard, one of them "no"; the
administrator sees that concern on the child's page; the key planning dates filter the
tracker. Every page passes axe."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import PlanningAnswer
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import BookingFactory, PanelFactory, TeamFactory, UserFactory, winter_meetings
from tracker import services

from .keyboard import activate, press, sign_in_by_keyboard, tab_to, type_date, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERED_ON = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PLANNING_MEETING = date(2026, 11, 12)
MATCHING_MEETING = date(2026, 11, 26)


@pytest.fixture
def somerset_story():
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    panel = PanelFactory(preset="somerset", chair=chair)
    team = TeamFactory(name="Children in Care West")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER], team=team, email="sw@council.example", first_name="Sam"
    )

    def child(number, first_name, **fields):
        return services.child_create(
            case_number=f"SO{number}",
            first_name=first_name,
            last_name="Planned",
            panel=panel,
            team=team,
            social_worker=worker,
            looked_after_since=date(2026, 6, 1),
            **fields,
        )

    bea = child(1, "Bea")
    # Cal's planning meeting was held; Dot's sibling assessment is needed, not done.
    child(2, "Cal", permanence_planning_meeting_date=date(2026, 10, 8))
    child(3, "Dot", sibling_assessment_required_date=date(2026, 10, 1))
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(
            meeting=winter_meetings(panel)[0], child=bea, booked_by=administrator
        )
    return {
        "panel": panel,
        "bea": bea,
        "booking": booking,
        "worker": worker,
        "administrator": administrator,
        "questions": list(panel.planning_questions.all()),
    }


def answer(page, question, label: str) -> None:
    """Tab into the question's radios and arrow to the answer, as a keyboard user does."""
    first = page.locator(f"#id_question_{question.pk}_1")
    target = page.locator(f"input[name='question_{question.pk}'][value='{label}']")
    tab_to(page, f"#id_question_{question.pk}_1", 80)
    for _ in range(4):
        if target.evaluate("element => element === document.activeElement"):
            if not target.is_checked():
                page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()
    assert first.count() == 1


def test_the_social_worker_answers_and_the_administrator_sees_the_concern(
    page, assert_accessible, somerset_story
):
    booking, bea = somerset_story["booking"], somerset_story["bea"]
    held, people, return_home = somerset_story["questions"][:3]
    with time_machine.travel(ANSWERED_ON, tick=True):
        sign_in_by_keyboard(page, somerset_story["worker"].email)
        page.goto(f"/bookings/{booking.pk}/")
        expect(page.locator("#planning-unanswered")).to_contain_text("8 of 8 questions")
        assert_accessible(page)
        activate(page, "a:has-text('Answer the planning questions')")
        expect(page.get_by_role("heading", level=1)).to_have_text("Planning questions")
        assert_accessible(page)

        answer(page, held, "yes")
        type_date(page, f"question_{held.pk}_date", PLANNING_MEETING)
        answer(page, people, "no")
        type_into(page, f"#id_question_{people.pk}_note", "No family finder allocated yet")
        answer(page, return_home, "not_applicable")
        press(page, "Save answers")

        expect(page).to_have_url(re.compile(rf"/bookings/{booking.pk}/$"))
        expect(page.get_by_text("Planning questions saved: 3 answers changed.")).to_be_visible()
        expect(page.locator("#planning-concerns")).to_contain_text("1 concern")
        expect(page.locator("#planning-answers")).to_contain_text("Concern No")
        assert_accessible(page)
    assert PlanningAnswer.objects.get(question=held).on_date == PLANNING_MEETING
    assert PlanningAnswer.objects.get(question=people).booking == booking

    page.context.clear_cookies()
    with time_machine.travel(ANSWERED_ON, tick=True):
        sign_in_by_keyboard(page, somerset_story["administrator"].email)
        page.goto(f"/children/{bea.pk}/")
        card = page.locator("#planning-questions")
        expect(card).to_contain_text("1 concern")
        expect(card).to_contain_text("No family finder allocated yet")
        expect(card).to_contain_text("in the submission")
        assert_accessible(page)

        # The "yes" with its date recorded the planning meeting as the child's key date.
        expect(page.locator("#planning-meeting")).to_contain_text("Thursday 12 November 2026")

        # The administrator records the matching meeting, from the tracker.
        activate(page, "a:has-text('Change details')")
        # The key dates are the form's last fieldset: past every other date on the record.
        tab_to(page, "#id_matching_meeting_date_0", 200)
        for part in (MATCHING_MEETING.day, MATCHING_MEETING.month, MATCHING_MEETING.year):
            page.keyboard.type(str(part))
            page.keyboard.press("Tab")
        press(page, "Save child")
        expect(page.locator("#matching-meeting")).to_contain_text("Thursday 26 November 2026")
        assert_accessible(page)

        # The key dates filter the tracker.
        page.goto("/children/")
        activate(page, "summary:has-text('Filter children')")
        tab_to(page, "#id_planning_meeting", 60)
        page.locator("#id_planning_meeting").select_option("held")
        press(page, "Apply filters")
        expect(page).to_have_url(re.compile(r"planning_meeting=held"))
        table = page.locator("table")
        expect(table).to_contain_text("Bea Planned")
        expect(table).to_contain_text("Cal Planned")
        expect(table).not_to_contain_text("Dot Planned")
        assert_accessible(page)

        page.goto("/children/?matching_meeting=held")
        expect(page.locator("table")).to_contain_text("Bea Planned")
        expect(page.locator("table")).not_to_contain_text("Cal Planned")

        page.goto("/children/?sibling_assessment=needed")
        expect(page.locator("table")).to_contain_text("Dot Planned")
        expect(page.locator("table")).not_to_contain_text("Bea Planned")
        expect(page.locator("table")).to_contain_text("Needed since")
        assert_accessible(page)


def test_the_administrator_adds_a_question_and_the_chair_reads_the_concern_on_the_tracking_row(
    page, assert_accessible, somerset_story
):
    panel, bea = somerset_story["panel"], somerset_story["bea"]
    people = somerset_story["questions"][1]
    meeting = somerset_story["booking"].meeting
    section = panel.sections.get(tracking=True)
    with time_machine.travel(BOOKED_ON, tick=False):
        cal = services.child_create(
            case_number="SO9", first_name="Cal", last_name="Tracked", panel=panel
        )
        agendas_services.tracking_list_add(
            meeting=meeting,
            section=section,
            children=[cal],
            booked_by=somerset_story["administrator"],
        )
        agendas_services.planning_answers_save(
            child=cal,
            answers={people: agendas_services.Answer("no", None, "Family finder on leave")},
            by=somerset_story["worker"],
        )
    with time_machine.travel(ANSWERED_ON, tick=True):
        sign_in_by_keyboard(page, somerset_story["administrator"].email)
        page.goto("/panels/somerset/")
        expect(page.locator("#planning-questions + p")).to_contain_text("a “no” is a concern")
        assert_accessible(page)
        # A long page of set-up: start from the members' button just above the questions.
        page.locator("a:has-text('Add a member')").focus()
        activate(page, "a:has-text('Add a planning question')", "Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("planning question")
        assert_accessible(page)
        type_into(page, "#id_text", "Has the child's voice been heard?")
        # A "no" is a concern unless the administrator unticks it.
        expect(page.locator("#id_no_is_concern")).to_be_checked()
        press(page, "Save question")
        expect(page.get_by_text("Planning question added")).to_be_visible()
        assert_accessible(page)
        assert panel.planning_questions.get(text="Has the child's voice been heard?").no_is_concern

    page.context.clear_cookies()
    with time_machine.travel(meeting.date, tick=True):
        sign_in_by_keyboard(page, panel.chair.email)
        page.goto(f"/panels/somerset/meetings/{meeting.pk}/tracking/{section.pk}/")
        row = page.locator(f"#planning-{cal.pk}")
        expect(row).to_contain_text("1 of 9 answered")
        expect(row).to_contain_text("Concern")
        expect(row).to_contain_text("Family finder on leave")
        assert_accessible(page)
    assert bea.planning_answers.count() == 0
