"""base's models: the abstract BasePage every page type inherits, the site settings, the email
outbox, process heartbeats, the scheduler lease and the "needs attention" list."""

from .attention import NeedsAttention
from .outbox import Heartbeat, OutboxMessage, SchedulerLease
from .pages import BasePage
from .settings import SiteSettings

__all__ = ["BasePage", "Heartbeat", "NeedsAttention", "OutboxMessage", "SchedulerLease", "SiteSettings"]
