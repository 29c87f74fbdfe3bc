from .models import FINISHED, Job


def job_working(kind: str) -> Job | None:
    """The latest job of the kind still waiting or running, for a page to say it is."""
    return Job.objects.filter(kind=kind).exclude(state__in=FINISHED).first()
