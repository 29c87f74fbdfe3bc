"""The agendas' background job (permanence/jobs): building a meeting's agenda pack.

The pack runs through the general job task (`permanence.tasks.run_job`), not a task of its
own: the job's state moves only forward, a task delivered twice builds once, a build whose
worker died is failed by the one scan with the reason, and a broker that is down is said,
all in one place for every kind of job. The meeting page follows the pack's progress."""

from permanence.jobs.kinds import job_kind

from . import services


@job_kind(
    services.PACK_JOB,
    label="Build the agenda pack",
    result_template="agendas/jobs/pack_result.html",
    back_url="agendas:panel-list",
)
def build_pack(job, progress) -> dict:
    return services.pack_build(job, progress)
