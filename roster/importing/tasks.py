"""Background doors for imports: a job id in, one lifecycle call inside."""

from django.tasks import task

from roster.importing import jobs
from roster.importing.models import ImportJob


@task()
def check_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is not None and job.editable and not job.checked:
        jobs.check_job(job)


@task()
def apply_import_job(job_id: int) -> str:
    return str(jobs.apply_job(job_id).status)
