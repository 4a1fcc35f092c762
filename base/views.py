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
