"""Two people saving the same record at the same moment, from the same opened version, on
PostgreSQL with real threads: exactly one save goes through, the other is refused with
`EditConflict`, and the record holds the first save whole.

Each thread has its own connection, as in tests/agendas/test_booking_concurrency.py.
"""

import pytest
import time_machine

from agendas import services as agendas_services
from agendas.models import Submission
from minutes import services as minutes_services
from minutes.models import Decision
from permanence.roles import Role
from permanence.versions import EditConflict
from tests.agendas.test_booking_concurrency import at_once
from tests.days import JANUARY
from tracker import services as tracker_services
from tracker.models import Child

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def one_saved_one_refused(outcomes, saved_type):
    saved = [o for o in outcomes if isinstance(o, saved_type)]
    refused = [o for o in outcomes if isinstance(o, EditConflict)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    return saved[0]


def test_a_social_worker_and_a_team_manager_saving_one_child_at_once(
    ada, social_worker, team_manager
):
    opened = ada.version

    def save(user, group):
        return lambda: tracker_services.child_update(
            child=Child.objects.get(pk=ada.pk),
            changed_by=user,
            version=opened,
            sibling_group=group,
        )

    winner = one_saved_one_refused(
        at_once(save(social_worker, "SAM"), save(team_manager, "TESS")), Child
    )
    ada.refresh_from_db()
    assert ada.sibling_group == winner.sibling_group
    assert ada.version == opened + 1


def test_two_people_saving_one_submission_at_once(booking, social_worker, team_manager):
    def save(user, text):
        return lambda: agendas_services.submission_save(
            booking=booking, by=user, version=0, current_plan=text
        )

    winner = one_saved_one_refused(
        at_once(save(social_worker, "Sam's plan"), save(team_manager, "Tess's plan")), Submission
    )
    submission = Submission.objects.get(booking=booking)
    assert (submission.current_plan, submission.version) == (winner.current_plan, 1)


def test_two_chairs_recording_one_decision_at_once(booking, chair, make_user):
    deputy = make_user(Role.CHAIR, first_name="Dee", last_name="Deputy")
    outcome = booking.panel.outcomes.first()

    def record(user, words):
        def call():
            with time_machine.travel(JANUARY, tick=False):
                return minutes_services.decision_record(
                    booking=booking, outcome=outcome, rationale=words, recorded_by=user, version=0
                )

        return call

    winner = one_saved_one_refused(
        at_once(record(chair, "Cara's words"), record(deputy, "Dee's words")), Decision
    )
    decision = Decision.objects.get(booking=booking)
    assert (decision.rationale, decision.version) == (winner.rationale, 1)
