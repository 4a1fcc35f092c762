"""The scheduler: the job registry, one active scheduler (lease row here; the advisory lock is
tested on PostgreSQL in test_processes), heartbeats, and the jobs themselves."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from base import jobs, scheduling
from base.models.outbox import Heartbeat, OutboxMessage, SchedulerLease

pytestmark = pytest.mark.django_db


def test_every_job_the_issue_asks_for_is_registered():
    names = {job.name for job in scheduling.jobs()}
    assert {
        "publish_scheduled",
        "release_expired_holds",
        "complete_past_bookings",
        "deliver_outbox",
        "prune_task_results",
        "scheduler_heartbeat",
        "worker_heartbeat",
    } <= names
    assert scheduling.get("publish_scheduled").cron == "* * * * *"
    assert scheduling.get("worker_heartbeat").enqueues  # a task: the worker itself beats


def test_register_refuses_a_bad_cron():
    with pytest.raises(ValueError, match="five fields"):
        scheduling.register("bad", print, cron="* * *")
    assert "bad" not in {job.name for job in scheduling.jobs()}


def test_only_one_scheduler_holds_the_lease_until_it_expires():
    # The lease row (SQLite's lock); PostgreSQL's advisory lock is tested in tests/test_processes.py.
    first = scheduling.SchedulerLock(holder="a", advisory=False)
    second = scheduling.SchedulerLock(holder="b", advisory=False)
    now = timezone.now()
    assert first.check(now) is True
    assert second.check(now) is False
    assert first.check(now + timedelta(seconds=30)) is True  # renewed
    later = now + timedelta(seconds=30 + scheduling.LEASE_SECONDS + 1)  # "a" died: its lease ran out
    assert second.check(later) is True
    assert first.check(later) is False
    assert SchedulerLease.objects.get().holder == "b"


def test_run_scheduler_once_runs_the_jobs_and_beats():
    call_command("run_scheduler", "--once")
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"scheduler", "worker"}
    assert scheduling.last_beat("scheduler") > timezone.now() - timedelta(minutes=1)


def test_run_scheduler_once_refuses_while_another_scheduler_holds_the_lock():
    other = scheduling.SchedulerLock(holder="other")
    assert other.check()
    try:
        with pytest.raises(CommandError, match="another scheduler"):
            call_command("run_scheduler", "--once", "--job", "publish_scheduled")
    finally:
        other.release()
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_scheduler", "--once", "--job", "nope")


def test_deliver_outbox_job_retries_due_rows():
    row = OutboxMessage.objects.create(key="t:1", to=["a@example.com"], subject="S", text="T")
    assert jobs.deliver_outbox() == 1
    row.refresh_from_db()
    assert row.status == "sent"


def test_prune_task_results_keeps_recent_and_unfinished_rows(settings):
    old = timezone.now() - timedelta(days=settings.TASKS_KEEP_DAYS + 1)
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "base.jobs.worker_heartbeat", "run_after": old}
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=old, **common)
    DBTaskResult.objects.create(status="FAILED", finished_at=old, **common)
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=timezone.now(), **common)
    DBTaskResult.objects.create(status="READY", **common)
    assert jobs.prune_task_results() == 2
    assert DBTaskResult.objects.count() == 2
