"""``/health/`` for load balancers (django-health-check): database, cache, storage, and the
worker and scheduler heartbeats (:func:`base.scheduling.beat`, written every minute; stale after
``HEARTBEAT_MAX_AGE_SECONDS``, 5 minutes).

Healthy: 200. Unhealthy: 503 (the load balancer takes the instance out), with the failing
check named; ``?format=json`` / ``Accept: application/json`` give JSON. An unhealthy answer is
not logged as a server error, so probes never flood ``ADMINS``.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from base import scheduling


@dataclasses.dataclass
class ProcessHeartbeat(HealthCheck):
    """A long-running process (``worker`` or ``scheduler``) beat within the allowed age."""

    process: str = "worker"

    async def run(self):
        beat = await sync_to_async(scheduling.last_beat)(self.process)
        if beat is None:
            raise ServiceUnavailable(f"{self.process} has never reported")
        age = timezone.now() - beat
        if age > timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS):
            raise ServiceUnavailable(f"{self.process} silent for {int(age.total_seconds())} s")


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    (ProcessHeartbeat, {"process": "worker"}),
    (ProcessHeartbeat, {"process": "scheduler"}),
)


class HealthView(HealthCheckView):
    """django-health-check's view with our checks; 503 (not 500) when a check fails."""

    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
            response._has_been_logged = True  # an expected answer, not a server error to mail
        return response
