"""Admin → Emails (the outbox) and Admin → Needs attention: Wagtail ``ModelViewSet`` listings with
status filters, inspect views, and two staff actions: "Resend" an email, "Mark resolved" an entry.

Nobody adds, edits or deletes rows here: emails come from the outbox API, entries from
:func:`base.attention.report`. Registered from ``base/wagtail_hooks.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from base import outbox
from base.models.attention import NeedsAttention
from base.models.outbox import OutboxMessage


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows come from the code: staff may view and act ("change"), never add or delete."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


class OutboxInspectView(InspectView):
    template_name = "base/admin/outbox_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.object
        context["can_resend"] = (
            self.permission_policy.user_has_permission(self.request.user, "change")
            and message.status != OutboxMessage.Status.SENDING
        )
        context["resend_url"] = reverse("outbox:resend", args=[message.pk])
        context["attachments"] = [a["filename"] for a in message.attachments]
        return context


@require_POST
def resend_view(request, pk):
    """Staff: queue a failed (or sent) email again now, with its attempts reset."""
    if not request.user.has_perm("base.change_outboxmessage"):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage, pk=pk)
    outbox.resend(message)
    messages.success(request, _("The email to %(to)s is queued again.") % {"to": ", ".join(message.to)})
    return redirect(reverse("outbox:inspect", args=[pk]))


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    icon = "mail"
    menu_label = _("Emails")
    menu_order = 900
    add_to_admin_menu = True
    url_prefix = "outbox"
    permission_policy = ReadOnlyPolicy(OutboxMessage)
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status"]
    search_fields = ["subject", "key"]
    ordering = ["-created_at"]
    list_per_page = 50
    form_fields = ["subject"]
    list_display = [
        TitleColumn("subject", label=_("Subject"), url_name="outbox:inspect"),
        Column("recipients_display", label=_("To")),
        StatusTagColumn(
            "status", accessor="get_status_display", label=_("Status"), primary=lambda m: m.status == "sent"
        ),
        Column("attempts", label=_("Attempts")),
        DateColumn("created_at", label=_("Queued")),
        DateColumn("next_attempt_at", label=_("Next attempt")),
    ]
    inspect_view_fields = [
        "subject",
        "recipients_display",
        "reply_to_display",
        "from_email",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "key",
        "text",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/resend/", resend_view, name="resend")]


class AttentionInspectView(InspectView):
    template_name = "base/admin/attention_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_resolve"] = self.object.is_open and self.permission_policy.user_has_permission(
            self.request.user, "change"
        )
        context["resolve_url"] = reverse("needs_attention:resolve", args=[self.object.pk])
        return context


@require_POST
def resolve_view(request, pk):
    """Staff: mark a "needs attention" entry dealt with (who and when are recorded)."""
    if not request.user.has_perm("base.change_needsattention"):
        raise PermissionDenied
    NeedsAttention.objects.filter(pk=pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=request.user
    )
    messages.success(request, _("Marked resolved."))
    return redirect(reverse("needs_attention:index"))


class AttentionViewSet(ModelViewSet):
    model = NeedsAttention
    icon = "warning"
    menu_label = _("Needs attention")
    menu_order = 150
    add_to_admin_menu = True
    url_prefix = "needs-attention"
    permission_policy = ReadOnlyPolicy(NeedsAttention)
    inspect_view_class = AttentionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["kind", "resolved_at"]
    search_fields = ["title", "detail"]
    ordering = ["resolved_at", "-created_at"]
    form_fields = ["title"]
    list_display = [
        TitleColumn("title", label=_("What"), url_name="needs_attention:inspect"),
        Column("get_kind_display", label=_("Kind")),
        DateColumn("created_at", label=_("Reported")),
        StatusTagColumn(
            "resolved_at",
            accessor=lambda e: _("Open") if e.is_open else _("Resolved"),
            label=_("Status"),
            primary=lambda e: e.is_open,
        ),
    ]
    inspect_view_fields = ["title", "kind", "detail", "url", "created_at", "resolved_at", "resolved_by"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/resolve/", resolve_view, name="resolve")]


outbox_viewset = OutboxViewSet("outbox")
attention_viewset = AttentionViewSet("needs_attention")
