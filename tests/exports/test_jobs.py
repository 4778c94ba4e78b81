"""The ExportJob lifecycle: queued → running → done (or failed), stored, then expired."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from dialogue.models import ExportJob
from dialogue.services.exports import (
    export_job_create,
    export_job_run,
    export_jobs_expire,
)
from dialogue.tasks import expire_export_jobs, run_export_job

pytestmark = pytest.mark.django_db


def new_job(world, **params):
    return export_job_create(
        user=world.people["secretariat"],
        kind="threats",
        format="csv",
        params={"source": "api", "query": {"sector": ["semiconductors"]}, **params},
    )


def test_a_job_runs_to_done_and_stores_its_file_outside_the_web_root(world):
    job = new_job(world)
    assert job.status == ExportJob.Status.QUEUED
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE and job.progress == 100
    assert job.rows == 13  # the semiconductor threats the secretariat may see
    path = job.file.path
    assert path.startswith(str(django_settings.MEDIA_ROOT / "exports"))
    assert not path.startswith(str(django_settings.STATIC_ROOT))
    assert job.filename.startswith("threats_TLP-RED_") and job.filename.endswith(".csv")
    # Running it again changes nothing.
    assert run_export_job.apply(args=[job.pk]).get()["status"] == "done"
    job.refresh_from_db()
    assert job.file.path == path


def test_a_failing_job_is_marked_failed_with_a_reason(world, monkeypatch):
    job = new_job(world)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("dialogue.services.exports.list_export_write", broken)
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED
    assert "disk full" in job.error


def test_old_jobs_and_their_files_expire(world, settings):
    job = export_job_run(job_id=new_job(world).pk)
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.EXPORT_JOB_TTL_HOURS + 1)
    )
    assert expire_export_jobs.apply().get() == {"removed": 1}
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(path)
    assert export_jobs_expire() == 0
