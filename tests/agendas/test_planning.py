"""Somerset's planning questions (3.1): the preset, answering them in the submission and from
the tracker, and where the answers show: the booking, the child's page, the chair's
tracking row and the cover sheet. A "no" is a concern, said in words."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas import pdfs, selectors, services
from agendas.models import PlanningAnswer, PlanningQuestion
from agendas.presets import PRESETS
from minutes.selectors import tracking_rows
from permanence.models import AuditAction, AuditEntry
from tests.agendas.test_pdfs import text_of
from tests.factories import ChildFactory, winter_meetings

pytestmark = pytest.mark.django_db

SOMERSET_QUESTIONS = [
    "Has a permanence planning meeting been held?",
    "Are all of the relevant people need to achieve permanence for the child aware and "
    "undertaking necessary tasks i.e. Family Finders, Permanence Team SWs?",
    "Are all of the necessary assessments underway to determine whether a return home is the "
    "plan and with clear timescales?",
    "Have potential family and friends carers been identified and have viability assessments "
    "commenced?",
    "Is Adoption, Special Guardianship, Child Arrangement Order or permanent foster placement "
    "an option? Have the appropriate assessments in relation to these options commenced with "
    "clear timescales?",
    "Is a sibling assessment required?",
    "Have potential permanent carers outside the family been identified?",
    "Do the timescales meet the needs of the child?",
]


@pytest.fixture
def questions(somerset):
    return list(somerset.planning_questions.all())


@pytest.fixture
def bea(somerset, social_worker):
    return ChildFactory(
        first_name="Bea",
        last_name="Brown",
        case_number="300111",
        panel=somerset,
        social_worker=social_worker,
        team=social_worker.team,
    )


@pytest.fixture
def somerset_booking(book, somerset, bea):
    return book(winter_meetings(somerset)[0], bea)


def answers(questions, *given):
    """services.Answer for the first questions, in order: ("yes", date, note) or "no"."""
    result = {}
    for question, value in zip(questions, given, strict=False):
        value = (value,) if isinstance(value, str) else value
        result[question] = services.Answer(*value)
    return result


# The preset ---------------------------------------------------------------------------


def test_somerset_asks_its_eight_questions_in_the_words_of_its_guidance(questions):
    assert [question.text for question in questions] == SOMERSET_QUESTIONS
    dated = {question.text: question.date_label for question in questions if question.date_label}
    assert dated["Has a permanence planning meeting been held?"] == "Date of the meeting"
    assert {q.text: q.records_key_date for q in questions if q.records_key_date} == {
        SOMERSET_QUESTIONS[0]: "permanence_planning_meeting_date",
        SOMERSET_QUESTIONS[5]: "sibling_assessment_completed_date",
    }
    # "Is a sibling assessment required?": no is an answer, not a worry.
    assert [q.text for q in questions if not q.no_is_concern] == [SOMERSET_QUESTIONS[5]]


def test_no_other_seed_asks_planning_questions():
    assert {slug for slug, preset in PRESETS.items() if preset.planning_questions} == {"somerset"}
    assert set(PlanningQuestion.objects.values_list("panel__slug", flat=True).distinct()) == {
        "somerset"
    }


def test_reloading_the_preset_puts_an_edited_question_back_and_keeps_its_answers(
    questions, bea, social_worker
):
    services.planning_answers_save(child=bea, answers=answers(questions, "yes"), by=social_worker)
    first = questions[0]
    first.date_label = "Something else"
    first.save()
    PlanningQuestion.objects.create(panel=first.panel, text="A question of our own", order=9)

    call_command("load_panel_presets", "somerset", stdout=StringIO())

    assert [q.text for q in first.panel.planning_questions.all()] == SOMERSET_QUESTIONS
    first.refresh_from_db()
    assert first.date_label == "Date of the meeting"
    assert PlanningAnswer.objects.get(child=bea).question == first


# Answering ----------------------------------------------------------------------------


def test_answers_are_recorded_with_their_date_note_and_who_gave_them(
    questions, bea, social_worker, somerset_booking
):
    changed = services.planning_answers_save(
        child=bea,
        answers=answers(
            questions,
            ("yes", date(2026, 11, 12), "Held with the family finder"),
            ("no", None, "No family finder allocated yet"),
        ),
        by=social_worker,
        booking=somerset_booking,
    )

    assert changed == 2
    held, allocated = PlanningAnswer.objects.filter(child=bea)
    assert (held.answer, held.on_date, held.note) == (
        "yes",
        date(2026, 11, 12),
        "Held with the family finder",
    )
    assert (held.answered_by, held.booking) == (social_worker, somerset_booking)
    assert not held.is_concern
    assert allocated.is_concern
    checklist = selectors.planning_checklist(bea)
    assert (checklist.answered, checklist.unanswered) == (2, 6)
    assert [row.question for row in checklist.concerns] == [questions[1]]


def test_no_to_the_sibling_assessment_is_not_a_concern(questions, bea, social_worker):
    sibling = {questions[5]: services.Answer("no")}
    services.planning_answers_save(child=bea, answers=sibling, by=social_worker)
    assert selectors.planning_checklist(bea).concerns == []


def test_an_unanswered_question_keeps_its_answer_and_an_unchanged_one_its_author(
    questions, bea, social_worker, administrator
):
    services.planning_answers_save(
        child=bea, answers=answers(questions, "yes", "no"), by=social_worker
    )
    changed = services.planning_answers_save(
        child=bea,
        answers={
            questions[0]: services.Answer("yes"),  # as it was
            questions[1]: services.Answer(""),  # left unanswered on the form
            questions[2]: services.Answer("not_applicable"),
        },
        by=administrator,
    )

    assert changed == 1
    by_question = {a.question: a for a in PlanningAnswer.objects.filter(child=bea)}
    assert by_question[questions[0]].answered_by == social_worker
    assert by_question[questions[1]].answer == "no"
    assert by_question[questions[2]].answered_by == administrator
    assert by_question[questions[2]].booking is None


@pytest.mark.parametrize(
    ("index", "given", "message"),
    [
        (1, services.Answer("yes", date(2026, 11, 1)), "This question takes no date: clear it"),
        (0, services.Answer("", None, "A note alone"), "Answer yes, no or not applicable"),
        (0, services.Answer("maybe"), "Answer yes, no or not applicable"),
    ],
)
def test_answers_that_make_no_sense_are_refused_on_their_question(
    questions, bea, social_worker, index, given, message
):
    question = questions[index]
    with pytest.raises(ValidationError) as refused:
        services.planning_answers_save(child=bea, answers={question: given}, by=social_worker)
    assert message in refused.value.message_dict[f"question_{question.pk}"][0]
    assert not PlanningAnswer.objects.exists()


def test_another_panels_question_or_another_childs_booking_is_refused(
    questions, bea, social_worker, somerset_booking, ada, lancashire
):
    foreign = PlanningQuestion.objects.create(panel=lancashire, text="Not Lancashire's?")
    with pytest.raises(ValidationError, match="is not one of this panel's planning questions"):
        services.planning_answers_save(
            child=bea, answers={foreign: services.Answer("yes")}, by=social_worker
        )
    ada.panel = bea.panel
    with pytest.raises(ValidationError, match="another child's booking"):
        services.planning_answers_save(
            child=ada, answers=answers(questions, "yes"), by=social_worker, booking=somerset_booking
        )


def test_the_database_keeps_one_answer_per_child_and_question(questions, bea, social_worker):
    PlanningAnswer.objects.create(
        child=bea, question=questions[0], answer="yes", answered_by=social_worker
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanningAnswer.objects.create(
            child=bea, question=questions[0], answer="no", answered_by=social_worker
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanningAnswer.objects.create(
            child=bea, question=questions[1], answer="unsure", answered_by=social_worker
        )


# The pages ----------------------------------------------------------------------------


def form_data(questions, *, concern_note="No family finder allocated yet"):
    first, second = questions[0], questions[1]
    return {
        f"question_{first.pk}": "yes",
        f"question_{first.pk}_date_0": "12",
        f"question_{first.pk}_date_1": "11",
        f"question_{first.pk}_date_2": "2026",
        f"question_{second.pk}": "no",
        f"question_{second.pk}_note": concern_note,
    }


def test_the_social_worker_answers_in_the_submission_and_the_booking_shows_the_concern(
    client, questions, social_worker, somerset_booking
):
    client.force_login(social_worker)
    detail = reverse("bookings:detail", args=[somerset_booking.pk])
    url = reverse("bookings:planning-questions", args=[somerset_booking.pk])
    assert url in client.get(detail).content.decode()
    page = client.get(url).content.decode()
    assert SOMERSET_QUESTIONS[4] in page

    response = client.post(url, form_data(questions))

    assert response.status_code == 302 and response.url == detail
    saved = PlanningAnswer.objects.get(question=questions[0])
    assert (saved.on_date, saved.booking) == (date(2026, 11, 12), somerset_booking)
    page = client.get(detail).content.decode()
    assert "1 concern" in page
    assert "Concern</strong> <strong>No</strong>" in page


def test_a_date_on_a_question_without_one_is_not_even_offered(
    client, questions, social_worker, somerset_booking
):
    client.force_login(social_worker)
    url = reverse("bookings:planning-questions", args=[somerset_booking.pk])
    page = client.get(url).content.decode()
    assert f"question_{questions[0].pk}_date_0" in page
    assert f"question_{questions[1].pk}_date_0" not in page


def test_a_bad_date_is_shown_on_its_question(client, questions, social_worker, somerset_booking):
    client.force_login(social_worker)
    url = reverse("bookings:planning-questions", args=[somerset_booking.pk])
    data = {
        **form_data(questions),
        f"question_{questions[0].pk}_date_0": "31",
        f"question_{questions[0].pk}_date_1": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Date of the meeting must be a real date" in response.content.decode()
    assert not PlanningAnswer.objects.exists()


def test_the_administrator_answers_from_the_child_page_and_sees_the_concern(
    administrator_client, questions, bea
):
    child_page = reverse("tracker:child", args=[bea.pk])
    url = reverse("planning:child", args=[bea.pk])
    assert url in administrator_client.get(child_page).content.decode()

    response = administrator_client.post(url, form_data(questions))

    assert response.status_code == 302 and response.url == child_page
    page = administrator_client.get(child_page).content.decode()
    assert "Planning questions" in page
    assert "Concern" in page and "No family finder allocated yet" in page
    assert "6 of 8 questions not answered yet" in page


def test_the_social_worker_reads_but_does_not_answer_from_the_child_page(
    client, questions, bea, social_worker
):
    client.force_login(social_worker)
    page = client.get(reverse("tracker:child", args=[bea.pk])).content.decode()
    assert "Planning questions" in page
    assert reverse("planning:child", args=[bea.pk]) not in page
    assert client.get(reverse("planning:child", args=[bea.pk])).status_code == 403


def test_a_child_of_a_panel_without_questions_shows_no_card(administrator_client, ada):
    page = administrator_client.get(reverse("tracker:child", args=[ada.pk])).content.decode()
    assert "Planning questions" not in page


def test_the_cover_sheet_lists_the_answers_and_names_the_concern(
    questions, bea, social_worker, somerset_booking
):
    services.planning_answers_save(
        child=bea,
        answers=answers(questions, ("yes", date(2026, 11, 12)), ("no", None, "Nobody allocated")),
        by=social_worker,
        booking=somerset_booking,
    )
    text = text_of(pdfs.cover_sheet_pdf(somerset_booking))
    assert "Planning questions" in text
    assert "1 concern: Are all of the relevant people" in text
    assert "Concern: No" in text
    assert "Date of the meeting: 12 November 2026" in text or "12 November 2026" in text
    assert "6 not answered yet" in text


def test_the_tracking_row_shows_the_concern_in_constant_queries(
    questions, somerset, social_worker, administrator, django_assert_num_queries
):
    meeting = winter_meetings(somerset)[0]
    section = somerset.sections.get(tracking=True)
    children = [ChildFactory(panel=somerset, looked_after_since=date(2026, 6, 1)) for _ in range(3)]
    services.tracking_list_add(
        meeting=meeting, section=section, children=children, booked_by=administrator
    )
    services.planning_answers_save(
        child=children[1], answers=answers(questions, "yes", "no"), by=social_worker
    )

    with django_assert_num_queries(5):
        rows = tracking_rows(meeting, section, as_of=meeting.date)
    more = [ChildFactory(panel=somerset, looked_after_since=date(2026, 6, 1)) for _ in range(5)]
    services.tracking_list_add(
        meeting=meeting, section=section, children=more, booked_by=administrator
    )
    for child in more:
        services.planning_answers_save(
            child=child, answers=answers(questions, "no", "no"), by=social_worker
        )
    with django_assert_num_queries(5):
        assert len(tracking_rows(meeting, section, as_of=meeting.date)) == 8

    by_child = {row["child"]: row["planning"] for row in rows}
    assert [row.question for row in by_child[children[1]].concerns] == [questions[1]]
    assert by_child[children[0]].answered == 0


def test_the_chair_reads_the_answers_on_the_decision_page(
    client, chair, questions, social_worker, somerset_booking
):
    services.planning_answers_save(
        child=somerset_booking.child,
        answers=answers(questions, "yes", ("no", None, "Nobody allocated")),
        by=social_worker,
        booking=somerset_booking,
    )
    client.force_login(chair)
    url = reverse(
        "decisions:decision",
        args=["somerset", somerset_booking.meeting.pk, somerset_booking.pk],
    )
    page = client.get(url).content.decode()
    assert 'id="planning-questions"' in page
    assert "1 concern" in page and "Nobody allocated" in page
    # The chair reads; answering is the administrator's, from the tracker.
    assert reverse("planning:child", args=[somerset_booking.child.pk]) not in page


# Setting the questions up ---------------------------------------------------------------


def test_the_panel_page_lists_the_questions_and_an_administrator_adds_one(
    administrator_client, somerset
):
    page = administrator_client.get(reverse("agendas:panel-detail", args=["somerset"]))
    assert SOMERSET_QUESTIONS[5] in page.content.decode()
    assert "An answer" in page.content.decode()  # the sibling assessment's "no"

    response = administrator_client.post(
        reverse("agendas:planning-question-add", args=["somerset"]),
        {"text": "Has the child's voice been heard?", "date_label": "", "order": "9"},
    )

    assert response.status_code == 302
    added = somerset.planning_questions.last()
    assert (added.text, added.no_is_concern, added.order) == (
        "Has the child's voice been heard?",
        False,  # an unticked box: the administrator said "no" is an answer
        9,
    )


def test_the_same_question_twice_is_refused_with_the_reason(administrator_client, somerset):
    response = administrator_client.post(
        reverse("agendas:planning-question-add", args=["somerset"]),
        {"text": SOMERSET_QUESTIONS[0], "no_is_concern": "on", "order": "9"},
    )
    assert response.status_code == 200
    assert "This panel already asks this question." in response.content.decode()


def test_removing_a_question_removes_the_answers_to_it(
    administrator_client, questions, bea, social_worker
):
    services.planning_answers_save(child=bea, answers=answers(questions, "yes"), by=social_worker)
    url = reverse("agendas:planning-question-remove", args=["somerset", questions[0].pk])
    assert "answer to it is removed too." in administrator_client.get(url).content.decode()

    administrator_client.post(url)

    assert not PlanningAnswer.objects.exists()
    assert questions[0].panel.planning_questions.count() == 7


def test_a_lancashire_childs_booking_has_no_planning_questions(client, social_worker, booking):
    client.force_login(social_worker)
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "planning-questions" not in page
    form = client.get(reverse("bookings:planning-questions", args=[booking.pk]))
    assert "asks no planning questions" in form.content.decode()


def test_an_answer_is_audited_as_a_change_to_the_childs_record(questions, bea, social_worker):
    services.planning_answers_save(child=bea, answers=answers(questions, "no"), by=social_worker)

    entry = AuditEntry.objects.get(action=AuditAction.CHANGED)
    assert entry.case_number == bea.case_number


# A "yes" with a date records the child's key date --------------------------------------


def test_a_planning_meeting_held_on_a_date_records_the_childs_key_date(
    questions, bea, social_worker
):
    held = questions[0]
    services.planning_answers_save(
        child=bea, answers={held: services.Answer("yes", date(2026, 11, 12))}, by=social_worker
    )
    bea.refresh_from_db()
    assert bea.permanence_planning_meeting_date == date(2026, 11, 12)
    assert bea.history.first().history_change_reason == "Answered in the planning questions"


@pytest.mark.parametrize(
    "given",
    [services.Answer("no"), services.Answer("not_applicable"), services.Answer("yes")],
)
def test_without_a_yes_and_a_date_the_key_date_is_left_alone(questions, bea, social_worker, given):
    bea.permanence_planning_meeting_date = date(2026, 10, 1)
    bea.save()
    services.planning_answers_save(child=bea, answers={questions[0]: given}, by=social_worker)
    bea.refresh_from_db()
    assert bea.permanence_planning_meeting_date == date(2026, 10, 1)


def test_a_sibling_assessment_completed_before_it_was_needed_is_refused_whole(
    questions, bea, social_worker
):
    bea.sibling_assessment_required_date = date(2026, 10, 1)
    bea.save()
    sibling = questions[5]
    with pytest.raises(ValidationError, match="cannot be completed before it was found"):
        services.planning_answers_save(
            child=bea,
            answers={sibling: services.Answer("yes", date(2026, 9, 30))},
            by=social_worker,
        )
    assert not PlanningAnswer.objects.exists()


def test_a_question_that_records_a_key_date_asks_for_a_date(somerset):
    with pytest.raises(ValidationError, match="asks for a date"):
        services.planning_question_create(
            panel=somerset, text="Matched?", records_key_date="matching_meeting_date"
        )
