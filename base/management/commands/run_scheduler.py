"""``manage.py run_scheduler``: the ``scheduler`` process (Procfile) — runs the jobs registered in
:mod:`base.scheduling` on their cron triggers with APScheduler, as the one active scheduler.

Options: ``--list`` prints the jobs; ``--once`` runs every job (or each ``--job NAME``) once
and exits; otherwise it runs until stopped (SIGTERM/SIGINT), every job also once at start-up so
that nothing due waits for the next minute after a deploy. A second scheduler (another replica)
waits: before each run it checks the lock (:class:`base.scheduling.SchedulerLock`) and skips the
run unless it holds it.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from base import scheduling

logger = logging.getLogger("base.scheduler")


class Command(BaseCommand):
    help = "Run the periodic jobs (publish scheduled pages, outbox retries, hold expiry, reconciliation …)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the registered jobs and exit.")
        parser.add_argument("--once", action="store_true", help="Run the jobs once (as the lock holder) and exit.")
        parser.add_argument("--job", action="append", default=[], help="With --once: only this job (repeatable).")

    def handle(self, *args, **options):
        if options["list"]:
            for job in scheduling.jobs():
                kind = "task" if job.enqueues else "inline"
                self.stdout.write(f"{job.name:28} {job.cron:16} {kind:6} {job.description}")
            return
        self.lock = scheduling.SchedulerLock()
        if options["once"]:
            names = options["job"] or [job.name for job in scheduling.jobs()]
            unknown = [name for name in names if name not in {job.name for job in scheduling.jobs()}]
            if unknown:
                raise CommandError(f"unknown job(s): {', '.join(unknown)}")
            if not self.lock.check():
                raise CommandError("another scheduler holds the lock; nothing run")
            try:
                for name in names:
                    self.run(name)
            finally:
                self.lock.release()
            return
        self.serve()

    serving = False

    def run(self, name: str) -> None:
        """One run of job ``name`` if we hold the lock; errors are logged, never raised.

        In the long-running process each run starts and ends with ``close_old_connections()``
        (as a request does), so a database restart or a stale connection never sticks.
        """
        if self.serving:
            close_old_connections()
        try:
            if not self.lock.check():
                logger.debug("not the active scheduler: %s skipped", name)
                return
            result = scheduling.run_job(name)
            logger.debug("job %s: %r", name, result)
        except Exception:
            logger.exception("scheduled job %s failed", name)
        finally:
            if self.serving:
                close_old_connections()

    def serve(self) -> None:
        self.serving = True
        tz = ZoneInfo(settings.TIME_ZONE)
        scheduler = BlockingScheduler(
            timezone=tz,
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 50},
        )
        start = datetime.now(tz)
        for job in scheduling.jobs():
            scheduler.add_job(
                self.run,
                CronTrigger.from_crontab(job.cron, timezone=tz),
                args=[job.name],
                id=job.name,
                name=job.name,
                next_run_time=start,
            )

        def stop(signum, frame):
            logger.info("scheduler stopping (signal %s)", signum)
            if scheduler.running:
                scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        holder = "active" if self.lock.check() else "standby (another scheduler holds the lock)"
        logger.warning("scheduler started with %d jobs, %s", len(scheduling.jobs()), holder)
        try:
            scheduler.start()
        finally:
            self.lock.release()
