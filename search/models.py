"""What visitors searched for and how many results they got (for the "no results" report).

Hit counts per day live in wagtail.contrib.search_promotions' ``QueryDailyHits``; this table
adds the one thing it lacks: the result count of the latest search for each query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QueryResultCount(models.Model):
    """The latest number of results for a normalised query string (one row per ``Query``)."""

    query = models.OneToOneField(
        "wagtailsearchpromotions.Query", on_delete=models.CASCADE, related_name="result_count", primary_key=True
    )
    last_result_count = models.PositiveIntegerField(_("results (last search)"), default=0, db_index=True)
    last_searched_at = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        verbose_name = _("search query result count")

    def __str__(self):
        return f"{self.query}: {self.last_result_count}"
