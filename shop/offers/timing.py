"""When the next offer starts or ends: no cached page may outlive that moment.

Prices, banners and offer pages change when an offer's ``valid_from`` or ``valid_until``
passes, with no save and no signal. :func:`seconds_until_next_change` is registered with the
full-page cache (:func:`base.page_cache.add_expiry_source`, in ``shop.apps``) so every stored
page expires by then. The moment is computed with one query and kept in the cache for
:data:`RECHECK_SECONDS`; saving an offer forgets it (:func:`forget`).
"""

import time

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from shop.offers.models import Offer

CACHE_KEY = "shop:offers:next-change"
RECHECK_SECONDS = 300


def next_change() -> float | None:
    """Epoch seconds of the next ``valid_from``/``valid_until`` of an active offer, or None."""
    now = timezone.now()
    active = Offer.objects.filter(active=True)
    found = active.aggregate(
        starts=Min("valid_from", filter=Q(valid_from__gt=now)),
        ends=Min("valid_until", filter=Q(valid_until__gt=now)),
    )
    moments = [m.timestamp() for m in found.values() if m is not None]
    return min(moments) if moments else None


def seconds_until_next_change() -> int:
    """Seconds until the next offer boundary (a large number when none is coming)."""
    stamp = cache.get(CACHE_KEY)
    if stamp is None:
        moment = next_change()
        stamp = moment if moment is not None else 0.0  # 0: no boundary coming
        cache.set(CACHE_KEY, stamp, RECHECK_SECONDS)
    if not stamp:
        return 10**9
    return max(0, int(stamp - time.time()))


def forget(**kwargs) -> None:
    """Signal receiver: an offer was saved or deleted, recompute the next boundary."""
    cache.delete(CACHE_KEY)
