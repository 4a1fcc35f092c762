"""The site's URLs plus the benchmark's baseline view (``scripts/bench_settings.py``)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def ok(request):
    """The ceiling of the stack: the whole middleware chain, no template, no query."""
    return HttpResponse("ok")


urlpatterns = [path("__bench__/ok", ok), *site_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
