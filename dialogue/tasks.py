"""Celery tasks: each takes ids (or nothing), and calls one service.

All are safe to run twice: the services write a unique ledger row before each
e-mail and mark it sent after, and a redelivered task (same id) finishes the rows
it had claimed. `acks_late` with `reject_on_worker_lost` (settings) means a worker
killed mid-run hands its task to the next worker instead of losing it.
"""

import smtplib

from celery import shared_task
from kombu.exceptions import OperationalError

from dialogue.services.chokepoint_reviews import chokepoint_review_sweep
from dialogue.services.digests import digest_round
from dialogue.services.notice_mails import notice_digest_round, notice_mail_now
from dialogue.services.notifications import notifications_dispatch
from dialogue.services.referral_reminders import referral_reminder_sweep
from dialogue.services.reminders import reminder_sweep

RETRY = {
    "autoretry_for": (smtplib.SMTPException, OperationalError, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="dialogue.reminders.sweep", bind=True, **RETRY)
def sweep_reminders(self) -> dict:
    run = reminder_sweep(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.chokepoints.review_reminders", bind=True, **RETRY)
def sweep_chokepoint_reviews(self) -> dict:
    run = chokepoint_review_sweep(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.referrals.remind", bind=True, **RETRY)
def remind_referrals(self) -> dict:
    run = referral_reminder_sweep(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.notifications.dispatch", bind=True, **RETRY)
def dispatch_notifications(self) -> dict:
    run = notifications_dispatch(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.digests.round", bind=True, **RETRY)
def send_digests(self) -> dict:
    run = digest_round(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.notices.mail", bind=True, **RETRY)
def send_notice_mails(self) -> dict:
    """New notices to those who want them immediately."""
    run = notice_mail_now(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.notices.digest", bind=True, **RETRY)
def send_notice_digests(self) -> dict:
    """New notices to those who want them daily, or weekly on the weekly day."""
    run = notice_digest_round(token=self.request.id)
    return {"queued": run.queued, "sent": run.sent, "failed": run.failed}


@shared_task(name="dialogue.exports.run", bind=True, **RETRY)
def run_export_job(self, job_id: int) -> dict:
    """Build one export job's file (safe to run twice: a finished job is left alone)."""
    from dialogue.services.exports import export_job_run

    job = export_job_run(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows": job.rows}


@shared_task(name="dialogue.exports.expire", bind=True, **RETRY)
def expire_export_jobs(self) -> dict:
    """Remove export jobs and files older than EXPORT_JOB_TTL_HOURS."""
    from dialogue.services.exports import export_jobs_expire

    return {"removed": export_jobs_expire()}
