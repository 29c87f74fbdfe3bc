"""Recomputing every child's dates after a closure day or a panel's limits change is a
background job (tracker/jobs.py): started once the change commits, followed from the
success message, said on the tracker while it runs, and never lost or doubled."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import services as agendas_services
from permanence import services as permanence_services
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_run
from tests.agendas.test_views import panel_form_data
from tracker import services
from tracker.models import Child
from tracker.selectors import RECOMPUTE_DATES

pytestmark = pytest.mark.django_db


def ada(**fields) -> Child:
    # Looked after from Monday 14 December 2026: the first review is due a month later,
    # on Thursday 14 January 2027, counted in working days across the bank holiday week.
    return services.child_create(
        case_number="CN1",
        first_name="Ada",
        last_name="Test",
        looked_after_since=date(2026, 12, 14),
        **fields,
    )


def recomputes():
    return Job.objects.filter(kind=RECOMPUTE_DATES)


def review_due(child: Child) -> date:
    child.refresh_from_db()
    return child.next_review_due


def test_a_closure_day_queues_the_recompute_and_the_dates_move_when_it_runs():
    child = ada()
    assert review_due(child) == date(2027, 1, 14)

    # Tuesday 29 December 2026, between the Christmas and New Year bank holidays.
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")

    job = recomputes().get()
    assert job.state == JobState.QUEUED
    assert review_due(child) == date(2027, 1, 14), "not in the administrator's request"
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.result) == (JobState.SUCCEEDED, {"changed": 1})
    assert review_due(child) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("closed", "due"),
    [
        (date(2027, 1, 13), date(2027, 1, 15)),  # the day before the deadline: it moves
        (date(2027, 1, 14), date(2027, 1, 15)),  # the deadline itself: it moves
        (date(2027, 1, 15), date(2027, 1, 14)),  # the day after: it stays
    ],
)
def test_a_closure_day_around_the_deadline(closed, due):
    child = ada()
    permanence_services.closure_day_create(date=closed, description="Training")
    job_run(recomputes().get().pk)
    assert review_due(child) == due


def test_two_changes_in_a_row_share_the_job_still_waiting_and_it_covers_both():
    child = ada()
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")
    permanence_services.closure_day_create(date=date(2026, 12, 30), description="Christmas")

    job = recomputes().get()
    job_run(job.pk)
    assert review_due(child) == date(2027, 1, 18)
    assert Job.objects.get(pk=job.pk).result == {"changed": 1}


def test_a_change_while_a_recompute_runs_queues_another_so_it_is_not_lost():
    child = ada()
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")
    first = recomputes().get()
    # The worker has started it, and may have read the calendar already.
    Job.objects.filter(pk=first.pk).update(state=JobState.RUNNING)

    permanence_services.closure_day_create(date=date(2026, 12, 30), description="Christmas")

    second = recomputes().exclude(pk=first.pk).get()
    assert second.state == JobState.QUEUED
    job_run(second.pk)
    assert review_due(child) == date(2027, 1, 18)


def test_the_recompute_reports_its_progress():
    ada()
    seen = []
    services.children_recompute(progress=lambda *step: seen.append(step))
    assert seen[0] == (0, 1, "Recomputing children's dates")


def test_the_closure_days_page_links_to_the_recompute_and_the_tracker_says_it_runs(
    administrator_client,
):
    ada()
    response = administrator_client.post(
        reverse("closure-days"),
        {"date_0": "29", "date_1": "12", "date_2": "2026", "description": "Christmas closure"},
        follow=True,
    )
    job = recomputes().get()
    html = response.content.decode()
    assert "Tuesday 29 December 2026 is now a closure day." in html
    assert "Children&#x27;s dates are being recomputed in the background" in html
    assert f'href="{reverse("job", args=[job.public_id])}"' in html

    tracker = administrator_client.get(reverse("tracker:list")).content.decode()
    assert "data-recomputing" in tracker
    assert f'href="{reverse("job", args=[job.public_id])}"' in tracker

    job_run(job.pk)
    page = administrator_client.get(reverse("job", args=[job.public_id])).content.decode()
    assert "1 child's dates changed." in page
    tracker = administrator_client.get(reverse("tracker:list")).content.decode()
    assert "data-recomputing" not in tracker


def test_a_panel_limit_change_queues_the_recompute(lancashire):
    child = ada(panel=lancashire, placement_order_date=date(2026, 6, 1))
    assert child.placement_order_match_due == date(2026, 12, 1)

    agendas_services.panel_update(panel=lancashire, placement_order_match_limit_months=3)
    job = recomputes().get()
    job_run(job.pk)
    child.refresh_from_db()
    assert child.placement_order_match_due == date(2026, 9, 1)

    # A change that is not a limit recomputes nothing.
    agendas_services.panel_update(panel=lancashire, name="Lancashire Panel")
    assert recomputes().count() == 1


def test_after_a_recompute_failed_the_next_change_queues_another():
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")
    first = recomputes().get()
    Job.objects.filter(pk=first.pk).update(state=JobState.FAILED, finished_at=first.requested_at)
    permanence_services.closure_day_create(date=date(2026, 12, 30), description="Christmas")
    assert recomputes().filter(state=JobState.QUEUED).exclude(pk=first.pk).count() == 1


def test_the_panel_settings_page_links_to_the_recompute_a_limit_change_started(
    administrator_client, somerset
):
    response = administrator_client.post(
        reverse("agendas:panel-change", args=["somerset"]),
        panel_form_data(somerset, placement_order_match_limit_months=4),
        follow=True,
    )
    job = recomputes().get()
    html = response.content.decode()
    assert "settings saved. Children&#x27;s dates are being recomputed in the background" in html
    assert f'href="{reverse("job", args=[job.public_id])}"' in html


def test_a_child_saved_while_the_recompute_runs_keeps_the_dates_its_own_save_wrote():
    child = ada()
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")
    edited = []

    def someone_saves_the_child_meanwhile(done, total, step):
        # The recompute has read the child; a social worker records the first review.
        if not edited:
            edited.append(
                services.child_update(
                    child=Child.objects.get(pk=child.pk), first_review_date=date(2027, 1, 11)
                )
            )

    services.children_recompute(progress=someone_saves_the_child_meanwhile)
    child.refresh_from_db()
    assert child.first_review_date == date(2027, 1, 11)
    assert child.next_review_due == edited[0].next_review_due == date(2027, 4, 11)


def children_looked_after(count: int, prefix: str) -> list[Child]:
    return [
        services.child_create(
            case_number=f"{prefix}{n}",
            first_name="Ada",
            last_name="Test",
            looked_after_since=date(2026, 12, 14),
        )
        for n in range(count)
    ]


def test_the_recompute_saves_every_changed_child_a_batch_at_a_time(monkeypatch):
    monkeypatch.setattr(services, "RECOMPUTE_BATCH", 2)
    children = children_looked_after(5, "CN")
    unchanged = services.child_create(case_number="NONE", first_name="Bea", last_name="Test")
    permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")

    assert services.children_recompute() == 5
    assert {
        child.next_review_due
        for child in Child.objects.filter(pk__in=[child.pk for child in children])
    } == {date(2027, 1, 15)}
    assert Child.objects.get(pk=unchanged.pk).next_review_due is None


@pytest.mark.postgres
def test_the_recompute_saves_in_the_same_queries_however_many_children_changed():
    """One COPY and one UPDATE a batch, never a query a child."""

    def queries(count: int) -> int:
        Child.objects.all().delete()
        children_looked_after(count, f"N{count}-")
        Child.objects.update(next_review_due=None)
        with CaptureQueriesContext(connection) as captured:
            assert services.children_recompute() == count
        return len(captured)

    assert queries(3) == queries(30)
