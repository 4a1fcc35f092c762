"""Admin screens for marketing: newsletter subscribers and testimonial moderation.

Imported by ``home/wagtail_hooks.py`` (one line) so Wagtail registers them.
- Subscribers: listing with a status filter, email search and CSV/XLSX export.
- Testimonials: pending first, status/rating filters, Approve / Reject actions (confirm page,
  POST) and the edit form; every status change records who moderated and when.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from marketing.models import Subscriber, Testimonial


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    url_prefix = "newsletter-subscribers"
    name = "subscribers"
    list_display = ["email", "status", "consent_at", "confirmed_at", "source_page", "mailchimp_error"]
    list_filter = ["status"]
    list_export = [
        "email",
        "status",
        "consent_at",
        "confirmed_at",
        "unsubscribed_at",
        "source_page",
        "mailchimp_synced_at",
        "created_at",
    ]
    export_filename = "newsletter-subscribers"
    search_fields = ["email"]
    form_fields = ["email", "status"]
    copy_view_enabled = False


def _moderate(testimonial, status, user):
    testimonial.status = status
    testimonial.moderated_at = timezone.now()
    testimonial.moderated_by = user
    testimonial.save(update_fields=["status", "moderated_at", "moderated_by"])


class TestimonialIndexView(generic.IndexView):
    """Pending testimonials first (then newest), unless the moderator sorts by a column."""

    default_ordering = "-created_at"

    def order_queryset(self, queryset):
        if "ordering" in self.request.GET:
            return super().order_queryset(queryset)
        pending_first = Case(When(status=Testimonial.Status.PENDING, then=Value(0)), default=Value(1))
        return queryset.order_by(pending_first, "-created_at")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            for action, label in (("approve", "Approve"), ("reject", "Reject")):
                if (action == "approve" and instance.status != Testimonial.Status.APPROVED) or (
                    action == "reject" and instance.status != Testimonial.Status.REJECTED
                ):
                    url = reverse("testimonials:moderate", args=[instance.pk, action])
                    buttons.append(
                        ListingButton(label, url=url, priority=5, icon_name="check" if action == "approve" else "cross")
                    )
        return buttons


class TestimonialEditView(generic.EditView):
    def save_instance(self):
        changed_status = "status" in self.form.changed_data
        instance = super().save_instance()
        if changed_status:
            _moderate(instance, instance.status, self.request.user)
        return instance


class ModerateTestimonialView(WagtailAdminTemplateMixin, TemplateView):
    """GET: confirm page; POST: set the testimonial approved or rejected."""

    template_name = "marketing/admin/testimonial_moderate.html"
    header_icon = "openquote"

    def dispatch(self, request, pk, action):
        if not request.user.has_perm("marketing.change_testimonial"):
            raise PermissionDenied
        self.testimonial = get_object_or_404(Testimonial, pk=pk)
        if action not in ("approve", "reject"):
            raise PermissionDenied
        self.action = action
        return super().dispatch(request)

    def get_page_title(self):
        return f"{self.action.title()} testimonial"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            testimonial=self.testimonial, action=self.action, index_url=reverse("testimonials:index"), **kwargs
        )

    def post(self, request):
        status = Testimonial.Status.APPROVED if self.action == "approve" else Testimonial.Status.REJECTED
        _moderate(self.testimonial, status, request.user)
        messages.success(request, f"Testimonial from {self.testimonial.author_name} {status.label.lower()}.")
        return redirect(reverse("testimonials:index") + "?status=pending")


class TestimonialViewSet(ModelViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    url_prefix = "testimonials"
    name = "testimonials"
    index_view_class = TestimonialIndexView
    edit_view_class = TestimonialEditView
    list_display = ["author_name", "text", "rating", "page", "status", "created_at"]
    list_filter = ["status", "rating"]
    list_export = ["author_name", "text", "rating", "page", "status", "created_at", "moderated_at"]
    search_fields = ["author_name", "text"]
    form_fields = ["author_name", "text", "rating", "page", "status"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("moderate/<int:pk>/<str:action>/", ModerateTestimonialView.as_view(), name="moderate"),
        ]


class MarketingViewSetGroup(ViewSetGroup):
    menu_label = "Marketing"
    menu_icon = "mail"
    menu_order = 250
    items = (SubscriberViewSet, TestimonialViewSet)


@hooks.register("register_admin_viewset")
def register_marketing_viewsets():
    return MarketingViewSetGroup()
