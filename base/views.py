"""Error handlers in the site's look. The 500 handler never touches the database."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors (they may query the database that just failed).
    return HttpResponseServerError(loader.get_template("500.html").render())


#: Django's reasons for which a same-site form may simply lack its token (a page served from
#: the shared cache to a browser without JavaScript): the visitor is asked to confirm.
RETRYABLE_CSRF_REASONS = ("CSRF cookie not set.", "CSRF token missing.")


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form posted from a shared page without JavaScript has no token.

    When the reason is a missing cookie or token (never a bad Origin/Referer, which Django checks
    first), answers 403 with a "confirm" page that re-posts the same fields with a fresh token
    to the same URL; otherwise the site's 403 page. File uploads are not carried over.
    """
    if reason not in RETRYABLE_CSRF_REASONS:
        return render(request, "403.html", status=403)
    fields = [(k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values]
    return render(request, "csrf_confirm.html", {"fields": fields[:50], "action": request.path}, status=403)
