"""The agenda pack's status, progress, error and times move onto its background job
(agendas/migrations/0018 and 0019), and back again when the migration is undone."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.days import LONDON
from tests.factories import MeetingFactory

BEFORE = [("agendas", "0017_calendar_feeds"), ("permanence", "0009_notification_attachments")]
AFTER = [("agendas", "0019_agenda_pack_state_on_job")]
ASKED = datetime(2026, 12, 1, 9, tzinfo=LONDON)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_each_packs_status_moves_onto_a_job_of_its_own_and_back():
    meeting = MeetingFactory()
    old = migrate(BEFORE)
    try:
        OldPack = old.get_model("agendas", "AgendaPack")
        ready = OldPack.objects.create(
            meeting_id=meeting.pk,
            status="ready",
            documents_done=10,
            documents_total=10,
            started_at=ASKED + timedelta(minutes=1),
            finished_at=ASKED + timedelta(minutes=2),
            built_from=ASKED,
        )
        building = OldPack.objects.create(
            meeting_id=meeting.pk, status="building", documents_done=3, documents_total=9
        )
        failed = OldPack.objects.create(meeting_id=meeting.pk, status="failed", error="Broken")
        OldPack.objects.filter(pk=ready.pk).update(requested_at=ASKED)

        new = migrate(AFTER)
        packs = new.get_model("agendas", "AgendaPack").objects.select_related("job")
        jobs = {pack.pk: pack.job for pack in packs}
        assert {pk: job.state for pk, job in jobs.items()} == {
            ready.pk: "succeeded",
            building.pk: "running",
            failed.pk: "failed",
        }
        assert jobs[ready.pk].kind == "agendas.pack"
        assert (jobs[ready.pk].done, jobs[ready.pk].total) == (10, 10)
        assert jobs[ready.pk].requested_at == ASKED
        assert jobs[ready.pk].finished_at == ASKED + timedelta(minutes=2)
        assert (jobs[building.pk].done, jobs[building.pk].finished_at) == (3, None)
        assert jobs[failed.pk].error == "Broken"
        assert jobs[failed.pk].finished_at is not None  # a finished job has its time
        assert packs.get(pk=ready.pk).built_from == ASKED

        undone = migrate(BEFORE)
        back = undone.get_model("agendas", "AgendaPack").objects.get(pk=building.pk)
        assert (back.status, back.documents_done, back.documents_total) == ("building", 3, 9)
    finally:
        migrate(latest())
