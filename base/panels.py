"""The admin dashboard's "Needs attention" panel: open entries first, and failed emails."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from base.models.attention import NeedsAttention
from base.models.outbox import OutboxMessage


class NeedsAttentionPanel(Component):
    """Up to eight open entries, their count, and the number of emails failed for good (3 queries)."""

    name = "needs_attention"
    order = 10
    template_name = "base/admin/needs_attention_panel.html"

    def get_context_data(self, parent_context=None):
        open_entries = NeedsAttention.objects.filter(resolved_at__isnull=True)
        return {
            "entries": list(open_entries.order_by("-created_at")[:8]),
            "open_count": open_entries.count(),
            "failed_emails": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
        }
