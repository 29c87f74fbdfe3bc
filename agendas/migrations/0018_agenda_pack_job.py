# The agenda pack shares the general background job (permanence/jobs): each pack points at
# its job for its state, progress, error and times, which move from the pack onto the job.

import django.db.models.deletion
from django.db import migrations, models

# The pack's old status → the job's state.
STATE_OF_STATUS = {
    "queued": "queued",
    "building": "running",
    "ready": "succeeded",
    "failed": "failed",
}


def packs_onto_jobs(apps, schema_editor):
    AgendaPack = apps.get_model("agendas", "AgendaPack")
    Job = apps.get_model("permanence", "Job")
    for pack in AgendaPack.objects.order_by("pk"):
        state = STATE_OF_STATUS[pack.status]
        job = Job.objects.create(
            kind="agendas.pack",
            state=state,
            done=min(pack.documents_done, pack.documents_total) if pack.documents_total else 0,
            total=pack.documents_total,
            step="Documents",
            error=pack.error,
            requested_by_id=pack.requested_by_id,
            started_at=pack.started_at,
            # The job's constraint: a finished job has a finishing time, a working one none.
            finished_at=(pack.finished_at or pack.requested_at)
            if state in ("succeeded", "failed")
            else None,
        )
        # auto_now_add set the request time to now: keep the pack's own.
        Job.objects.filter(pk=job.pk).update(requested_at=pack.requested_at)
        AgendaPack.objects.filter(pk=pack.pk).update(job=job)


def jobs_onto_packs(apps, schema_editor):
    AgendaPack = apps.get_model("agendas", "AgendaPack")
    status_of_state = {state: status for status, state in STATE_OF_STATUS.items()}
    for pack in AgendaPack.objects.select_related("job"):
        job = pack.job
        AgendaPack.objects.filter(pk=pack.pk).update(
            status=status_of_state[job.state],
            documents_done=job.done,
            documents_total=job.total,
            error=job.error,
            requested_by_id=job.requested_by_id,
            requested_at=job.requested_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0017_calendar_feeds"),
        ("permanence", "0008_background_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendapack",
            name="job",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agenda_pack",
                to="permanence.job",
            ),
        ),
        migrations.RunPython(packs_onto_jobs, jobs_onto_packs),
    ]
