"""/health/ (django-health-check: database, cache, storage, worker and scheduler heartbeats),
errors to ADMINS in production, Sentry only when SENTRY_DSN is set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from base import scheduling
from tests.settings_probe import PRODUCTION_ENV, read_settings

pytestmark = pytest.mark.django_db


def test_health_is_200_when_everything_answers_and_both_processes_beat(client):
    scheduling.beat("worker")
    scheduling.beat("scheduler")
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert set(body.values()) == {"OK"}
    assert any("worker" in name for name in body) and any("scheduler" in name for name in body)
    assert any("Database" in name for name in body) and any("Storage" in name for name in body)


def test_health_is_503_when_the_worker_is_silent_for_more_than_5_minutes(client, caplog):
    scheduling.beat("worker", now=timezone.now() - timedelta(minutes=5, seconds=5))
    scheduling.beat("scheduler")
    response = client.get("/health/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 503
    text = response.content.decode()
    assert "worker silent for 30" in text and "scheduler" in text
    assert not [r for r in caplog.records if r.name == "django.request"]  # not mailed as an error


def test_health_is_503_when_the_scheduler_never_ran(client):
    scheduling.beat("worker")
    response = client.get("/health/?format=json")
    assert response.status_code == 503
    assert "Unavailable: scheduler has never reported" in response.json().values()


def test_production_mails_errors_to_admins_and_sentry_is_off_without_a_dsn():
    s = read_settings(
        "config.settings.production",
        ["LOGGING", "ADMINS", "SENTRY_DSN", "SECURE_REDIRECT_EXEMPT"],
        env={**PRODUCTION_ENV, "ADMINS": "Ana <ana@example.com>,ops@example.com"},
    )
    assert s["ADMINS"] == [["Ana", "ana@example.com"], ["", "ops@example.com"]]
    assert s["LOGGING"]["handlers"]["mail_admins"]["class"] == "django.utils.log.AdminEmailHandler"
    assert "mail_admins" in s["LOGGING"]["loggers"]["django.request"]["handlers"]
    assert s["SENTRY_DSN"] == ""
    assert s["SECURE_REDIRECT_EXEMPT"] == ["^health/$"]


def test_production_starts_with_sentry_when_a_dsn_is_set():
    s = read_settings(
        "config.settings.production",
        ["SENTRY_DSN"],
        env={**PRODUCTION_ENV, "SENTRY_DSN": "https://public@o0.ingest.sentry.io/1"},
    )
    assert s["SENTRY_DSN"].startswith("https://public@")
