"""Scheduled publishing: the scheduler's ``publish_scheduled`` job makes a page live once its
go-live time has come (the clock is moved, not slept)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from base import scheduling
from home.models import StandardPage
from home.tests.factories import build_site

pytestmark = pytest.mark.django_db


def test_a_page_scheduled_one_minute_ahead_goes_live_when_the_job_runs_after_that_minute():
    pages = build_site()
    page = StandardPage(title="Spring menu", slug="spring-menu", live=False)
    pages["home"].add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(minutes=1)
    revision = page.save_revision()
    revision.publish()
    scheduling.run_job("publish_scheduled")
    page.refresh_from_db()
    assert page.live is False  # not yet: its minute has not come
    # The clock moves on by a minute and a second; the scheduler's every-minute run comes.
    later = timezone.now() + timedelta(minutes=1, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        scheduling.run_job("publish_scheduled")
    page.refresh_from_db()
    assert page.live is True
