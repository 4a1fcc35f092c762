"""Admin: Reports → "Searches with no results" (popular queries whose last search found nothing)."""

from datetime import timedelta

from django.db.models import IntegerField, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.permission_policies import ModelPermissionPolicy


class NoResultsReportView(ReportView):
    """Queries whose latest search returned 0 results, most searched (last 30 days) first."""

    page_title = "Searches with no results"
    header_icon = "search"
    index_url_name = "search_no_results_report"
    index_results_url_name = "search_no_results_report_results"
    results_template_name = "search/admin/no_results_report_results.html"
    list_export = ["query_string", "recent_hits", "result_count.last_searched_at"]
    export_headings = {
        "query_string": "Query",
        "recent_hits": "Searches (30 days)",
        "result_count.last_searched_at": "Last searched",
    }
    any_permission_required = ["add", "change", "delete"]

    def get_queryset(self):
        since = timezone.now().date() - timedelta(days=30)
        return (
            Query.objects.filter(result_count__last_result_count=0, daily_hits__date__gte=since)
            .select_related("result_count")
            .annotate(recent_hits=Coalesce(Sum("daily_hits__hits"), Value(0), output_field=IntegerField()))
            .order_by("-recent_hits", "query_string")
        )

    @property
    def permission_policy(self):
        return ModelPermissionPolicy(Query)


@hooks.register("register_admin_urls")
def register_no_results_report_url():
    view = NoResultsReportView.as_view()
    return [
        path("reports/search-no-results/", view, name="search_no_results_report"),
        path(
            "reports/search-no-results/results/",
            NoResultsReportView.as_view(results_only=True),
            name="search_no_results_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_no_results_report_menu_item():
    return AdminOnlyMenuItem(
        "Searches with no results", reverse("search_no_results_report"), icon_name="search", order=900
    )
