"""Periodic jobs: a small registry the ``scheduler`` process (``manage.py run_scheduler``) runs.

Apps register their jobs in ``AppConfig.ready()``::

    scheduling.register("release_expired_holds", expiry.release_expired_holds, cron="*/1 * * * *")

``func`` is either a plain callable, run in the scheduler process (short database work, Wagtail's
``publish_scheduled``, outbox retries), or a django-tasks ``Task``, which is *enqueued* for the
``worker`` (heavy or slow work). ``cron`` is a five-field crontab in the site's ``TIME_ZONE``.

Only one scheduler acts at a time across replicas: :class:`SchedulerLock` is a PostgreSQL
advisory lock held on a connection of its own (released by PostgreSQL if the process dies), or,
on other databases, a :class:`~base.models.outbox.SchedulerLease` row renewed every run. The lock
is checked again before every job run, so a scheduler that lost it stops acting at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from base.models.outbox import Heartbeat, SchedulerLease

logger = logging.getLogger(__name__)

#: The advisory lock key (any constant bigint; "comptoir" in ASCII, trimmed to 31 bits).
ADVISORY_LOCK_KEY = 0x636F6D70
#: A lease not renewed for this long is free for another scheduler (non-PostgreSQL databases).
LEASE_SECONDS = 90


@dataclass(frozen=True)
class Job:
    """One periodic job: ``name`` (unique), ``func`` (callable or django-tasks Task), ``cron``."""

    name: str
    func: Any
    cron: str
    description: str = ""

    @property
    def enqueues(self) -> bool:
        return isinstance(self.func, Task)


_registry: dict[str, Job] = {}


def register(name: str, func, *, cron: str = "*/1 * * * *", description: str = "") -> Job:
    """Register (or replace) the periodic job ``name``; returns it.

    ``cron``: five crontab fields (minute hour day month weekday), checked when the scheduler
    starts. Registering the same name again replaces the job (``ready()`` may run twice in tests).
    """
    if len(cron.split()) != 5:
        raise ValueError(f"job {name!r}: cron {cron!r} must have five fields")
    if not description:
        target = func.func if isinstance(func, Task) else func
        doc_lines = (getattr(target, "__doc__", None) or "").strip().splitlines()
        description = doc_lines[0] if doc_lines else ""
    job = Job(name, func, cron, description)
    _registry[name] = job
    return job


def jobs() -> list[Job]:
    """Every registered job, by name."""
    return [_registry[name] for name in sorted(_registry)]


def get(name: str) -> Job:
    """The job ``name``; ``KeyError`` when nothing is registered under it."""
    return _registry[name]


def run_job(name: str):
    """Run job ``name`` once now: call it, or enqueue it when it is a Task. Returns its result
    (the ``TaskResult`` for a Task). Exceptions propagate (the scheduler logs them)."""
    job = get(name)
    if job.enqueues:
        return job.func.enqueue()
    return job.func()


def beat(name: str, now=None) -> None:
    """Record that process ``name`` (``"scheduler"``, ``"worker"``) is alive now."""
    now = now or timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(beat_at=now)
    if not updated:
        try:
            with transaction.atomic():
                Heartbeat.objects.create(name=name, beat_at=now)
        except IntegrityError:
            Heartbeat.objects.filter(name=name).update(beat_at=now)


def last_beat(name: str):
    """When process ``name`` last beat (``None``: never)."""
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


class SchedulerLock:
    """ "Am I the one scheduler?" — :meth:`check` takes the lock if free and says whether we hold it.

    PostgreSQL: ``pg_try_advisory_lock`` on a dedicated connection (not Django's per-thread one),
    verified in ``pg_locks`` on every check; a dropped connection loses the lock and the next
    check tries to take it again. Other databases: the lease row ``name``, taken when expired and
    renewed for :data:`LEASE_SECONDS` on every check.
    """

    def __init__(
        self,
        name: str = "scheduler",
        *,
        holder: str | None = None,
        alias: str = DEFAULT_DB_ALIAS,
        advisory: bool | None = None,
    ):
        self.name = name
        self.alias = alias
        self.advisory = advisory  # None: the advisory lock on PostgreSQL, the lease row elsewhere
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._conn = None
        self._mutex = threading.Lock()  # APScheduler runs jobs in threads

    @property
    def uses_advisory_lock(self) -> bool:
        if self.advisory is not None:
            return self.advisory
        return connections[self.alias].vendor == "postgresql"

    def check(self, now=None) -> bool:
        """Take or keep the lock; ``True`` when this process holds it now."""
        with self._mutex:
            if self.uses_advisory_lock:
                return self._check_advisory()
            return self._check_lease(now or timezone.now())

    def release(self) -> None:
        """Give the lock up (process exit)."""
        if self._conn is not None:
            try:
                self._conn.dec_thread_sharing()
                self._conn.close()
            finally:
                self._conn = None
        elif not self.uses_advisory_lock:
            SchedulerLease.objects.filter(name=self.name, holder=self.holder).update(expires_at=timezone.now())

    def _check_advisory(self) -> bool:
        try:
            if self._conn is None:
                self._conn = connections.create_connection(self.alias)
                self._conn.inc_thread_sharing()  # one connection, checked from the job threads
            with self._conn.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                    " AND classid = 0 AND objid = %s AND granted",
                    [ADVISORY_LOCK_KEY],
                )
                if cursor.fetchone()[0]:
                    return True
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                return bool(cursor.fetchone()[0])
        except Exception as exc:  # connection lost: the lock went with it; retry on the next check
            logger.warning("scheduler lock: database connection lost (%s)", exc)
            if self._conn is not None:
                try:
                    self._conn.dec_thread_sharing()
                    self._conn.close()
                except Exception:
                    pass
            self._conn = None
            return False

    def _check_lease(self, now) -> bool:
        expires = now + timedelta(seconds=LEASE_SECONDS)
        taken = SchedulerLease.objects.filter(Q(holder=self.holder) | Q(expires_at__lte=now), name=self.name).update(
            holder=self.holder, expires_at=expires
        )
        if taken:
            return True
        if SchedulerLease.objects.filter(name=self.name).exists():
            return False
        try:
            with transaction.atomic():
                SchedulerLease.objects.create(name=self.name, holder=self.holder, expires_at=expires)
        except IntegrityError:  # another scheduler created it first
            return False
        return True
