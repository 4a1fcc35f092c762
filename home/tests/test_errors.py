"""Error pages render in the site's look with the right status codes; 500 needs no database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

from base import views
from config import urls as root_urls
from home.tests.factories import build_site


def boom(request):
    raise RuntimeError("oven on fire")


urlpatterns = [path("boom/", boom)] + root_urls.urlpatterns
handler404 = root_urls.handler404
handler500 = root_urls.handler500


@pytest.mark.django_db
def test_404_page_in_site_look():

    build_site()
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page has crumbled away" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'name="robots" content="noindex"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="home.tests.test_errors")
def test_500_page_from_a_failing_view():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Our oven hiccupped" in html
    assert "/static/css/site.css" in html


def test_500_handler_renders_without_database(rf):
    # No django_db mark: any query would raise. The handler must not touch the database.
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Our oven hiccupped" in response.content.decode()


@pytest.mark.django_db
def test_400_and_403_handlers(rf):
    request = rf.get("/")

    request.user = AnonymousUser()
    assert views.bad_request(request).status_code == 400
    response = views.permission_denied(request)
    assert response.status_code == 403
    assert "This door is for the kitchen staff" in response.content.decode()
