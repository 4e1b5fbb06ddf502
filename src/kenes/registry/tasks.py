"""Jobs of the NGO registry. Each task takes ids and calls one idempotent service; Celery beat runs
the flag job daily (CELERY_BEAT_SCHEDULE in settings, docs/registry.md)."""

from celery import shared_task


@shared_task(name="kenes.registry.tasks.ngos_flag_non_reporting_task")
def ngos_flag_non_reporting_task() -> list[int]:
    from .services import ngos_flag_non_reporting

    result = ngos_flag_non_reporting()
    return [result.flagged, result.lifted]


@shared_task(name="kenes.registry.tasks.import_job_run_task")
def import_job_run_task(job_id: int) -> None:
    from .services import import_job_run

    import_job_run(job_id=job_id)
