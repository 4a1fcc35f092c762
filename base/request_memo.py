"""Values read once per request instead of once per use (shop settings, cache versions).

:class:`RequestMemoMiddleware` opens a fresh memo for each request; :func:`memo` returns the
value stored under ``key`` in it, computing it with ``compute()`` the first time. Outside a
request (tasks, commands, tests calling functions directly) nothing is memoised: ``compute()``
runs each time, so no value outlives the request that read it.
"""

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("base_request_memo", default=None)


def memo(key: str, compute):
    """``compute()`` once per request under ``key`` (every call outside a request)."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget(key: str) -> None:
    """Drop ``key`` from the current request's memo (after a change made during the request)."""
    store = _memo.get()
    if store is not None:
        store.pop(key, None)


class RequestMemoMiddleware:
    """Gives each request its own memo (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
