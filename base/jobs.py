"""base's periodic jobs (registered in ``BaseConfig.ready()``; run by ``manage.py run_scheduler``).

- ``publish_scheduled`` — Wagtail's go-live and expiry dates, every minute.
- ``deliver_outbox`` — due and retried emails (:func:`base.outbox.deliver_due`), every minute.
- ``scheduler_heartbeat`` — the scheduler's own heartbeat, every minute.
- ``worker_heartbeat`` — enqueued for the worker, which records its heartbeat when it runs it.
- ``prune_task_results`` — finished django-tasks rows older than ``TASKS_KEEP_DAYS``, daily.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from base import outbox, scheduling

logger = logging.getLogger(__name__)

FINISHED = ("SUCCESSFUL", "FAILED")


def publish_scheduled() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's command)."""
    call_command("publish_scheduled", verbosity=0)


def deliver_outbox() -> int:
    """Send every due email, including retries and rows whose worker died; returns how many."""
    return outbox.deliver_due(settings.OUTBOX_BATCH_SIZE)


def scheduler_heartbeat() -> None:
    """Record that the scheduler is alive (``/health/`` reports it stale after 5 minutes)."""
    scheduling.beat("scheduler")


@task()
def worker_heartbeat() -> None:
    """Run by the worker: record that it is alive and draining the queue."""
    scheduling.beat("worker")


def prune_task_results(now=None) -> int:
    """Delete finished django-tasks rows older than ``TASKS_KEEP_DAYS`` days; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TASKS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).delete()
    if deleted:
        logger.info("pruned %s finished task rows", deleted)
    return deleted


def register() -> None:
    """Register base's jobs with :mod:`base.scheduling` (called from ``BaseConfig.ready()``)."""
    scheduling.register("publish_scheduled", publish_scheduled, cron="* * * * *")
    scheduling.register("deliver_outbox", deliver_outbox, cron="* * * * *")
    scheduling.register("scheduler_heartbeat", scheduler_heartbeat, cron="* * * * *")
    scheduling.register("worker_heartbeat", worker_heartbeat, cron="* * * * *")
    scheduling.register("prune_task_results", prune_task_results, cron="30 3 * * *")
