"""Email backends for outbox tests: one that always fails like an unreachable SMTP server."""

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    """Every send raises ``ConnectionRefusedError``, as Django's SMTP backend does when the server is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")
