"""The search log, written in batches: what visitors searched for, how often, with how many results.

A GET of ``/search/`` only notes the query in this process's buffer (no query, no cache round
trip). The buffer is written to the database — wagtail.contrib.search_promotions' ``Query`` and
``QueryDailyHits`` (hits per day) and :class:`search.models.QueryResultCount` (the latest result
count) — in one transaction when it is ``SEARCH_LOG_FLUSH_SECONDS`` old (default 60; 0 writes at
once, as the tests do) or holds ``SEARCH_LOG_MAX_QUERIES`` different queries (default 200), and
when the process exits. A crash loses at most that much of the log, never a visitor's request.
"""

import atexit
import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search.models import QueryResultCount

_lock = threading.Lock()
_buffer: dict[str, list[int]] = {}  # query string → [hits, latest result count]
_state = {"since": time.monotonic()}


def flush_seconds() -> float:
    """Longest time a search waits in the buffer (setting ``SEARCH_LOG_FLUSH_SECONDS``)."""
    return float(getattr(settings, "SEARCH_LOG_FLUSH_SECONDS", 60))


def record(query_string: str, result_count: int) -> None:
    """Note one search for ``query_string`` that found ``result_count`` results."""
    with _lock:
        entry = _buffer.setdefault(query_string, [0, 0])
        entry[0] += 1
        entry[1] = result_count
        due = time.monotonic() - _state["since"] >= flush_seconds() or len(_buffer) >= getattr(
            settings, "SEARCH_LOG_MAX_QUERIES", 200
        )
    if due:
        flush()


def flush() -> int:
    """Write the buffered searches (one transaction); returns how many queries were written."""
    with _lock:
        items = list(_buffer.items())
        _buffer.clear()
        _state["since"] = time.monotonic()
    if not items:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        for query_string, (hits, result_count) in items:
            query = Query.get(query_string)
            daily, created = QueryDailyHits.objects.get_or_create(query=query, date=today, defaults={"hits": hits})
            if not created:
                QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + hits)
            QueryResultCount.objects.update_or_create(
                query=query, defaults={"last_result_count": result_count, "last_searched_at": now}
            )
    return len(items)


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # the database may be gone at exit; the log is best effort
        pass


atexit.register(_flush_at_exit)
