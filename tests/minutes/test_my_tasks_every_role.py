"""My tasks for every role: one meeting in each state of the cycle, and exactly the lines
each person is given, in order, with their links and working-day due dates."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agendas.models import (
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeEffect,
    PackDownload,
    PanelMembership,
    Submission,
)
from minutes.models import ApprovalStatus, Decision, EmergencyDecision, Minutes, PanelAction
from minutes.my_tasks import lines, tasks_of
from permanence.jobs.models import JobState
from permanence.roles import Role
from permanence.workdays import Calendar
from tests.factories import AgendaPackFactory, ChildFactory, MeetingFactory
from tracker.services import referral_send

pytestmark = pytest.mark.django_db

# Monday 11 January 2027; the panel's lead times are the defaults (5 working days before
# for submissions, the agenda and its circulation; 5 after for the minutes and the file).
TODAY = date(2027, 1, 11)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def ready_pack(meeting):
    return AgendaPackFactory(
        meeting=meeting,
        file="packs/pack.pdf",
        built_from=aware(date(2027, 1, 8)),
        job__finished_at=aware(date(2027, 1, 8)),
    )


def decide(booking, outcome, **fields):
    return Decision.objects.create(booking=booking, outcome=outcome, rationale="Reasons", **fields)


@pytest.fixture
def cycle(panel, people, place):
    """One meeting in each state, and what hangs off each."""
    agreed = {"agenda_agreed_at": aware(date(2027, 1, 4))}
    circulated = {**agreed, "agenda_circulated_at": aware(date(2027, 1, 5))}
    m = {
        # Still to come, its agenda not agreed, a submission not sent and not late.
        "unsubmitted": MeetingFactory(panel=panel, date=date(2027, 2, 11)),
        # Agreed, circulated and packed, but a submission is overdue.
        "overdue": MeetingFactory(panel=panel, date=date(2027, 1, 14), **circulated),
        "unagreed": MeetingFactory(panel=panel, date=date(2027, 1, 21)),
        "agreed": MeetingFactory(panel=panel, date=date(2027, 1, 28), **agreed),
        "circulated": MeetingFactory(panel=panel, date=date(2027, 2, 4), **circulated),
        "pack_ready": MeetingFactory(panel=panel, date=date(2027, 2, 18), **circulated),
        "held": MeetingFactory(panel=panel, date=date(2027, 1, 7), **circulated),
        "drafted": MeetingFactory(panel=panel, date=date(2026, 12, 17), **circulated),
        "ratified": MeetingFactory(panel=panel, date=date(2026, 12, 10), **circulated),
        "decided": MeetingFactory(panel=panel, date=date(2026, 12, 3), **circulated),
        "cancelled": MeetingFactory(
            panel=panel,
            date=date(2027, 2, 25),
            status=MeetingStatus.CANCELLED,
            cancelled_reason="Snow",
        ),
        # Cancelled after its day had passed: no minutes to draft or ratify.
        "cancelled_held": MeetingFactory(
            panel=panel,
            date=date(2027, 1, 5),
            status=MeetingStatus.CANCELLED,
            cancelled_reason="Snow",
        ),
    }
    lines = {}
    lines["to_send"] = place(
        m["unsubmitted"], social_worker=people["sam"], team_manager=people["tess"]
    )
    lines["late"] = place(m["overdue"], social_worker=people["sam"])
    sent = place(m["overdue"], social_worker=people["tess"])
    Submission.objects.create(booking=sent, submitted_at=aware(date(2027, 1, 4)))
    place(m["cancelled"], social_worker=people["sam"])
    lines["waiting"] = place(None, social_worker=people["sam"], status=BookingStatus.WAITING)
    overdue_pack = ready_pack(m["overdue"])
    for who in ("chair", "deputy", "member"):
        PackDownload.objects.create(pack=overdue_pack, user=people[who])
    ready_pack(m["pack_ready"])

    Minutes.objects.create(meeting=m["drafted"], notes="Draft")
    Minutes.objects.create(
        meeting=m["ratified"], ratified_at=aware(date(2026, 12, 14)), ratified_by=people["chair"]
    )
    Minutes.objects.create(
        meeting=m["decided"],
        ratified_at=aware(date(2026, 12, 7)),
        ratified_by=people["chair"],
        distributed_at=aware(date(2026, 12, 8)),
    )
    agree = Outcome.objects.create(panel=panel, name="Agreed", effect=OutcomeEffect.AGREE)
    recommend = Outcome.objects.create(
        panel=panel, name="Recommended", effect=OutcomeEffect.RECOMMEND
    )
    # Decided, but never sent: it is not overdue for anyone.
    lines["on_file"] = decide(place(m["decided"], social_worker=people["sam"]), agree)
    decide(
        place(m["decided"]),
        agree,
        recorded_on_file_at=aware(date(2026, 12, 4)),
        recorded_on_file_by=people["admin"],
    )
    lines["awaiting"] = decide(
        place(m["decided"]), recommend, approval_status=ApprovalStatus.AWAITING
    )
    lines["declined"] = decide(
        place(m["decided"]),
        recommend,
        approval_status=ApprovalStatus.DECLINED,
        approval_by=people["senior"],
        approval_comment="Not yet",
        approval_decided_at=aware(date(2027, 1, 6)),
    )
    lines["action"] = PanelAction.objects.create(
        child=lines["on_file"].booking.child,
        decision=lines["on_file"],
        description="Send the life story book",
        owner=people["sam"],
        due_date=date(2027, 1, 20),
    )
    lines["emergency"] = EmergencyDecision.objects.create(
        panel=panel,
        child=ChildFactory(),
        decided_on=date(2027, 1, 5),
        decided_by_role="Deputy Director Children and Families",
        decided_by_name="Sid Tester",
        decided_by=people["senior"],
        decision="Placed with grandparents",
        rationale="Safety",
        recorded_by=people["senior"],
        ratification_booking=place(m["unsubmitted"]),
    )
    ratified_emergency = place(m["decided"])
    decide(ratified_emergency, agree, recorded_on_file_at=aware(date(2026, 12, 4)))
    EmergencyDecision.objects.create(
        panel=panel,
        child=ratified_emergency.child,
        decided_on=date(2026, 11, 20),
        decided_by_role="Deputy Director Children and Families",
        decided_by_name="Sid Tester",
        decided_by=people["senior"],
        decision="Ratified already",
        rationale="Safety",
        recorded_by=people["senior"],
        ratification_booking=ratified_emergency,
    )
    return {"meetings": m, **lines}


def torbay_review(today=None):
    """Torbay reviews its terms of reference annually; none is recorded yet: due now."""
    return ("Review the terms of reference", "/panels/torbay/change/", today or TODAY)


def lines_for(user, today=TODAY) -> list[tuple[str, str, date]]:
    tasks = tasks_of(user, today=today, working_days=Calendar())
    return [(task.action, task.url, task.due) for task in tasks.lines]


def agenda(m):
    return reverse("agendas:agenda", args=["somerset", m.pk])


def meeting_pack(m):
    return reverse("agendas:meeting", args=["somerset", m.pk]) + "#agenda-pack"


def minutes(m):
    return reverse("minutes:minutes", args=["somerset", m.pk])


def test_the_administrator_has_every_piece_of_the_cycle(people, cycle):
    m = cycle["meetings"]
    assert lines_for(people["admin"]) == [
        (
            "Record the decision on the child's file",
            reverse("minutes:case-note", args=[cycle["on_file"].pk]),
            date(2026, 12, 10),
        ),
        ("Distribute the minutes", minutes(m["ratified"]), date(2026, 12, 17)),
        # Booked by the notice day of the next meeting, Thursday 14 January.
        ("Find a place", reverse("agendas:waiting-list", args=["somerset"]), date(2027, 1, 5)),
        (
            "Chase the submission",
            reverse("bookings:submission", args=[cycle["late"].pk]),
            date(2027, 1, 7),
        ),
        torbay_review(),
        # Five working days from the day the refusal came back.
        (
            "Record the refusal on the child's file",
            reverse("minutes:case-note", args=[cycle["declined"].pk]),
            date(2027, 1, 13),
        ),
        ("Draft the minutes", minutes(m["held"]), date(2027, 1, 14)),
        ("Circulate the agenda", agenda(m["agreed"]), date(2027, 1, 21)),
        ("Build the agenda pack", meeting_pack(m["circulated"]), date(2027, 1, 28)),
        (
            "Bring the emergency decision to panel",
            reverse("bookings:detail", args=[cycle["emergency"].ratification_booking.pk]),
            date(2027, 2, 4),
        ),
    ]


def test_the_chair_agrees_and_ratifies_only_for_meetings_not_done(people, cycle):
    m = cycle["meetings"]
    assert lines_for(people["chair"]) == [
        ("Ratify the minutes", minutes(m["drafted"]), date(2026, 12, 24)),
        ("Agree the agenda", agenda(m["unagreed"]), date(2027, 1, 14)),
        ("Ratify the minutes", minutes(m["held"]), date(2027, 1, 14)),
        ("Agree the agenda", agenda(m["unsubmitted"]), date(2027, 2, 4)),
        ("Read the agenda pack", meeting_pack(m["pack_ready"]), date(2027, 2, 18)),
    ]


def test_the_deputy_agrees_as_the_chair_does_and_ratifies_only_when_acting_as_chair(people, cycle):
    # Issue 12: the deputy ratifies the minutes of a meeting they chaired, which nothing here
    # records (the chair's apologies would: tests/minutes/test_ratify.py).
    m = cycle["meetings"]
    assert lines_for(people["deputy"]) == [
        ("Agree the agenda", agenda(m["unagreed"]), date(2027, 1, 14)),
        ("Agree the agenda", agenda(m["unsubmitted"]), date(2027, 2, 4)),
        ("Read the agenda pack", meeting_pack(m["pack_ready"]), date(2027, 2, 18)),
    ]


def test_the_panel_member_has_the_packs_they_have_not_read(people, cycle):
    m = cycle["meetings"]
    assert lines_for(people["member"]) == [
        ("Read the agenda pack", meeting_pack(m["pack_ready"]), date(2027, 2, 18)),
    ]
    PackDownload.objects.create(pack=m["pack_ready"].packs.get(), user=people["member"])
    assert lines_for(people["member"]) == []


def test_the_social_worker_and_team_manager_have_submissions_to_come_and_actions(people, cycle):
    assert lines_for(people["sam"]) == [
        (
            "Send the submission",
            reverse("bookings:submission", args=[cycle["late"].pk]),
            date(2027, 1, 7),
        ),
        (
            "Complete the action",
            reverse("minutes:action-complete", args=[cycle["action"].pk]),
            date(2027, 1, 20),
        ),
        (
            "Send the submission",
            reverse("bookings:submission", args=[cycle["to_send"].pk]),
            date(2027, 2, 4),
        ),
    ]
    assert lines_for(people["tess"]) == [
        (
            "Send the submission",
            reverse("bookings:submission", args=[cycle["to_send"].pk]),
            date(2027, 2, 4),
        ),
    ]


def test_the_senior_manager_has_approvals_and_emergency_decisions(people, cycle):
    assert lines_for(people["senior"]) == [
        (
            "Approve or decline the recommendation",
            reverse("minutes:approve", args=[cycle["awaiting"].pk]),
            date(2026, 12, 10),
        ),
        (
            "Bring the emergency decision to panel",
            reverse("bookings:detail", args=[cycle["emergency"].ratification_booking.pk]),
            date(2027, 2, 4),
        ),
    ]


def test_another_senior_manager_does_not_bring_back_someone_elses_emergency(make_user, cycle):
    actions = [action for action, _, _ in lines_for(make_user(Role.SENIOR_MANAGER))]
    assert actions == ["Approve or decline the recommendation"]


def test_the_senior_manager_who_made_it_brings_back_an_emergency_recorded_for_them(people, cycle):
    EmergencyDecision.objects.filter(pk=cycle["emergency"].pk).update(recorded_by=people["admin"])
    actions = [action for action, _, _ in lines_for(people["senior"])]
    assert "Bring the emergency decision to panel" in actions


def test_a_person_with_several_roles_sees_the_union(people, cycle):
    sam = people["sam"]
    sam.groups.add(*people["member"].groups.all())
    PanelMembership.objects.create(
        panel=cycle["meetings"]["unsubmitted"].panel, role_on_panel="Social care", user=sam
    )
    actions = [action for action, _, _ in lines_for(sam)]
    assert actions == [
        "Send the submission",
        "Read the agenda pack",  # the one the others have read
        "Complete the action",
        "Send the submission",
        "Read the agenda pack",
    ]


def test_the_page_renders_each_line_with_its_tag_overdue_first(client, people, cycle):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(people["sam"])
        page = client.get(reverse("minutes:my-tasks")).content.decode()
    late = reverse("bookings:submission", args=[cycle["late"].pk])
    to_send = reverse("bookings:submission", args=[cycle["to_send"].pk])
    assert page.index(late) < page.index("Send the life story book") < page.index(to_send)
    assert (
        'Thursday 7 January 2027 <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    )
    assert 'Thursday 4 February 2027 <strong class="govuk-tag govuk-tag--yellow">Due soon' in page
    assert "Submissions to send</dt>" in page and "Actions from panel</dt>" in page


def test_a_pack_changed_after_it_was_built_is_to_build_again(people, cycle):
    pack_ready = cycle["meetings"]["pack_ready"]
    assert "Build the agenda pack again" not in [a for a, _, _ in lines_for(people["admin"])]
    Meeting.objects.filter(pk=pack_ready.pk).update(agenda_changed_at=aware(date(2027, 1, 9)))
    assert ("Build the agenda pack again", meeting_pack(pack_ready), date(2027, 2, 11)) in (
        lines_for(people["admin"])
    )


def test_a_pack_being_built_is_not_to_build(people, cycle):
    circulated = cycle["meetings"]["circulated"]
    AgendaPackFactory(meeting=circulated, job__state=JobState.RUNNING)
    assert meeting_pack(circulated) not in [url for _, url, _ in lines_for(people["admin"])]
    AgendaPackFactory(meeting=circulated, job__state=JobState.FAILED, job__error="Broken")
    assert ("Build the agenda pack again", meeting_pack(circulated), date(2027, 1, 28)) in (
        lines_for(people["admin"])
    )


def test_a_submission_decided_at_todays_meeting_is_never_overdue(panel, people, place):
    today = MeetingFactory(panel=panel, date=TODAY, agenda_agreed_at=aware(date(2027, 1, 4)))
    booking = place(today, social_worker=people["sam"])
    assert lines_for(people["sam"])[0][2] == date(2027, 1, 4)  # overdue until decided
    decide(booking, Outcome.objects.create(panel=panel, name="Agreed", effect="agree"))
    assert lines_for(people["sam"]) == []
    assert "Chase the submission" not in [a for a, _, _ in lines_for(people["admin"])]


@pytest.mark.parametrize(
    ("today", "chased"),
    [(date(2027, 1, 6), False), (date(2027, 1, 7), False), (date(2027, 1, 8), True)],
    ids=["day before", "due day", "day after"],
)
def test_a_submission_is_chased_only_once_its_day_has_passed(panel, people, place, today, chased):
    late = place(MeetingFactory(panel=panel, date=date(2027, 1, 14)), social_worker=people["sam"])
    chase = (
        "Chase the submission",
        reverse("bookings:submission", args=[late.pk]),
        date(2027, 1, 7),
    )
    assert (chase in lines_for(people["admin"], today)) is chased


@pytest.mark.parametrize(
    ("today", "tag"),
    [
        (date(2027, 1, 6), "govuk-tag--yellow"),
        (date(2027, 1, 7), "govuk-tag--yellow"),
        (date(2027, 1, 8), "govuk-tag--red"),
    ],
    ids=["day before", "due day", "day after"],
)
def test_the_due_tag_turns_overdue_the_day_after(client, panel, people, place, today, tag):
    place(MeetingFactory(panel=panel, date=date(2027, 1, 14)), social_worker=people["sam"])
    with time_machine.travel(today, tick=False):
        client.force_login(people["sam"])
        page = client.get(reverse("minutes:my-tasks")).content.decode()
    assert f'Thursday 7 January 2027 <strong class="govuk-tag {tag}">' in page


def test_christmas_2026_moves_the_due_dates_past_the_bank_holidays(panel, people):
    # Circulated by Tuesday 22 December for Thursday 31 December (25 and 28 December are
    # bank holidays); minutes of Wednesday 23 December drafted by Monday 4 January 2027.
    new_year = MeetingFactory(
        panel=panel, date=date(2026, 12, 31), agenda_agreed_at=aware(date(2026, 12, 14))
    )
    before = MeetingFactory(
        panel=panel, date=date(2026, 12, 23), agenda_agreed_at=aware(date(2026, 12, 14))
    )
    Meeting.objects.filter(pk=before.pk).update(agenda_circulated_at=aware(date(2026, 12, 15)))
    assert lines_for(people["admin"], date(2026, 12, 24)) == [
        ("Circulate the agenda", agenda(new_year), date(2026, 12, 22)),
        torbay_review(date(2026, 12, 24)),
        ("Draft the minutes", minutes(before), date(2027, 1, 4)),
    ]


def test_the_administrators_list_costs_the_same_however_long(
    people, cycle, place, django_assert_num_queries, monkeypatch
):
    # Two lines of a kind at most, so that the second size shows only some of each kind.
    monkeypatch.setattr(lines, "SHOWN_PER_KIND", 2)

    def fresh():  # the roles are read once per request, as a signed-in user's are
        return type(people["admin"]).objects.get(pk=people["admin"].pk)

    # An open referral, so that every kind has a line at both sizes: a kind with none
    # saves the query that reads its shown lines.
    referral_send(
        sent_by=people["tess"],
        kind="looked_after",
        happened_on=TODAY,
        case_number="REFX",
        first_name="First",
        last_name="Child",
    )
    admin = fresh()
    # One query a kind of line: the chair's reads (agendas to agree, themes to give,
    # minutes to ratify) and the contributions to write run for everyone, as a seat is data,
    # not a role; and one for the panels' terms of reference. A kind that grows with the
    # installation takes two (its ranking and its shown lines), and late submissions one more
    # for the panels' lead times.
    with django_assert_num_queries(22):
        few = tasks_of(admin, today=TODAY, working_days=Calendar())
    assert few.more() == []
    panel = cycle["meetings"]["held"].panel
    agree = Outcome.objects.get(name="Agreed")
    for n in range(4):
        m = MeetingFactory(
            panel=panel, date=date(2027, 3, 1) + timedelta(days=n), agenda_agreed_at=aware(TODAY)
        )
        Meeting.objects.filter(pk=m.pk).update(agenda_circulated_at=aware(TODAY))
        ready_pack(m)
        decide(place(cycle["meetings"]["decided"]), agree)
        place(None, status=BookingStatus.WAITING)
        place(cycle["meetings"]["overdue"], social_worker=people["sam"])
        MeetingFactory(panel=panel, date=date(2026, 11, 2) + timedelta(days=n))
        referral_send(
            sent_by=people["tess"],
            kind="looked_after",
            happened_on=TODAY,
            case_number=f"REF{n}",
            first_name="New",
            last_name=f"Child {n}",
        )
    admin = fresh()
    with django_assert_num_queries(22):
        many = tasks_of(admin, today=TODAY, working_days=Calendar())
    assert {more.words for more in many.more()} >= {
        "Children waiting for a place",
        "Submissions to chase",
        "Minutes to draft",
        "Decisions to record on the child's file",
        "Referrals to check onto the tracker",
    }


@pytest.mark.parametrize("who", ["admin", "chair", "deputy", "member", "sam", "tess", "senior"])
def test_every_line_opens_a_page_its_person_may_use(client, people, cycle, who):
    urls = {url.split("#")[0] for _, url, _ in lines_for(people[who])}
    assert urls
    with time_machine.travel(TODAY, tick=False):
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_an_emergency_decision_with_no_meeting_to_go_to_is_overdue_from_its_day(people, cycle):
    emergency = cycle["emergency"]
    Booking.objects.filter(pk=emergency.ratification_booking_id).update(
        status=BookingStatus.WAITING, meeting=None, section=None
    )
    assert lines_for(people["senior"])[-1] == (
        "Bring the emergency decision to panel",
        reverse("bookings:detail", args=[emergency.ratification_booking_id]),
        date(2027, 1, 5),
    )


def test_my_tasks_needs_a_sign_in(client):
    response = client.get(reverse("minutes:my-tasks"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_kind_longer_than_the_page_shows_its_soonest_with_the_true_count(
    client, people, cycle, place, monkeypatch
):
    monkeypatch.setattr(lines, "SHOWN_PER_KIND", 2)
    agree = Outcome.objects.get(name="Agreed")
    held = cycle["meetings"]["held"]
    later = [decide(place(held), agree) for _ in range(2)]
    tasks = tasks_of(people["admin"], today=TODAY, working_days=Calendar())
    on_file = [task for task in tasks.lines if task.kind == "on_file"]
    # The one from the December meeting is the soonest: of the two from January, the first.
    assert [task.url for task in on_file] == [
        reverse("minutes:case-note", args=[cycle["on_file"].pk]),
        reverse("minutes:case-note", args=[later[0].pk]),
    ]
    assert ("Decisions to record on the child's file", 3) in tasks.counts()
    with time_machine.travel(TODAY, tick=False):
        client.force_login(people["admin"])
        page = client.get(reverse("minutes:my-tasks")).content.decode()
    assert (
        "Decisions to record on the child&#x27;s file: showing the 2 soonest of 3. The rest are on "
        f'<a class="govuk-link" href="{reverse("agendas:panel-list")}">'
    ) in page
    assert reverse("minutes:case-note", args=[later[1].pk]) not in page


def test_a_kind_no_longer_than_the_page_shows_every_line_and_no_note(client, people, cycle):
    tasks = tasks_of(people["admin"], today=TODAY, working_days=Calendar())
    assert tasks.more() == []
    with time_machine.travel(TODAY, tick=False):
        client.force_login(people["admin"])
        assert 'id="more-tasks"' not in client.get(reverse("minutes:my-tasks")).content.decode()
