"""Figures on PostgreSQL with real processes: the worker (``db_worker``) killed with SIGKILL in
the middle of sending 10 confirmations; SMTP down while 20 orders are paid; a page scheduled a
minute ahead published by the scheduler process, with a second scheduler standing by.

A real SMTP server (aiosmtpd, :mod:`tests.process_helpers`) receives the mail. Time is moved,
never slept: "10 minutes later" moves ``next_attempt_at`` back, a dead worker's claim is taken
again by the scheduler's job run with the clock moved past ``OUTBOX_SENDING_TIMEOUT``.
"""

import os
import signal
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.models import F
from django.utils import timezone
from wagtail.models import Revision, Site

from base import scheduling
from base.models.outbox import OutboxMessage
from home.models import StandardPage
from home.tests.factories import build_site
from shop.catalogue.models import SHOP_CONFIG_CACHE_KEY, ShopSettings
from shop.payments.lifecycle import mark_paid
from shop.tests.payment_helpers import make_order, make_variant
from tests.process_helpers import SMTPServer, free_port, manage, needs_postgres, stop, wait_until

pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


def test_worker_killed_mid_send_of_ten_confirmations_then_restarted(postgres, settings, tmp_path):
    smtp = SMTPServer().start()
    smtp.recorder.delay = 0.4  # the server answers 250 0.4 s after it has the message
    try:
        use_smtp(settings, smtp.port)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue
        variant = make_variant(stock=20)
        orders = [make_order([(variant, 1)], email=f"kill{i}@example.com") for i in range(10)]
        for order in orders:
            mark_paid(order)  # one confirmation each, queued with a delivery task on commit
        assert OutboxMessage.objects.filter(status="pending").count() == 10
        env = {"TEST_TASKS_BACKEND": "database", "TEST_EMAIL_URL": smtp.url}
        with open(tmp_path / "worker1.log", "w") as log:
            worker = manage("db_worker", "--no-startup-delay", "--interval", "0.2", env=env, log=log)
            assert wait_until(lambda: len(smtp.recorder.messages) >= 4, timeout=60), "worker sent nothing"
            os.kill(worker.pid, signal.SIGKILL)  # mid-send: the 4th message has no 250 yet
            worker.wait()
        received_before_kill = len(smtp.recorder.messages)
        with open(tmp_path / "worker2.log", "w") as log:
            worker = manage("db_worker", "--no-startup-delay", "--interval", "0.2", env=env, log=log)
            try:
                assert wait_until(lambda: not OutboxMessage.objects.filter(status="pending").exists(), timeout=60)
            finally:
                stop(worker)
        # The message the killed worker was sending stays "sending" until its claim times out;
        # the scheduler's every-minute job takes it again then (clock moved past the timeout).
        stuck = OutboxMessage.objects.filter(status="sending").count()
        later = timezone.now() + timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT + 1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            scheduling.run_job("deliver_outbox")
        assert OutboxMessage.objects.filter(status="sent").count() == 10
        ids = smtp.recorder.message_ids()
        duplicates = len(ids) - len(set(ids))
        print(
            f"\nFIGURE worker SIGKILL: {received_before_kill} received before the kill, {stuck} claim(s) left "
            f"by the dead worker, {len(set(ids))}/10 confirmations delivered, {duplicates} duplicate(s)"
        )
        assert len(set(ids)) == 10
        assert duplicates <= 1
    finally:
        smtp.stop()


def staff_notifications_to(address):
    ShopSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"order_notification_email": address}
    )
    cache.delete(SHOP_CONFIG_CACHE_KEY)


def test_smtp_down_while_twenty_orders_are_paid_then_all_forty_emails_go_once(postgres, settings, tmp_path):
    port = free_port()  # nothing listens there yet: connection refused, like an SMTP outage
    use_smtp(settings, port)
    variant = make_variant(stock=40)
    staff_notifications_to("orders@petitfour.example")
    orders = [make_order([(variant, 1)], email=f"out{i}@example.com") for i in range(20)]

    errors = []

    def pay(chunk):
        try:
            for order in chunk:
                mark_paid(order)  # the immediate delivery after commit meets the outage
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(orders[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    rows = OutboxMessage.objects.all()
    assert rows.count() == 40 and set(rows.values_list("status", flat=True)) == {"pending"}
    assert all("refused" in error.lower() for error in rows.values_list("last_error", flat=True))

    def scheduler_run_minutes_later(minutes, url):
        OutboxMessage.objects.filter(status="pending").update(
            next_attempt_at=F("next_attempt_at") - timedelta(minutes=minutes)
        )
        with open(tmp_path / "scheduler.log", "a") as log:
            process = manage("run_scheduler", "--once", "--job", "deliver_outbox", env={"TEST_EMAIL_URL": url}, log=log)
            assert process.wait(timeout=120) == 0

    url = f"smtp://127.0.0.1:{port}"
    scheduler_run_minutes_later(1, url)  # minute 1: still down, retried in 5 minutes
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}
    scheduler_run_minutes_later(5, url)  # minute 6: still down, retried in 15 minutes
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {3}
    smtp = SMTPServer(port).start()  # minute 10: SMTP is back
    try:
        scheduler_run_minutes_later(15, url)  # minute 21: the next attempt
        ids = smtp.recorder.message_ids()
        print(
            f"\nFIGURE SMTP outage: {len(set(ids))}/40 emails delivered after it returned, {len(ids) - len(set(ids))} twice"
        )
        assert OutboxMessage.objects.filter(status="sent").count() == 40
        assert len(ids) == len(set(ids)) == 40
        staff = [m for m in smtp.recorder.messages if m["To"] == "orders@petitfour.example"]
        assert len(staff) == 20
    finally:
        smtp.stop()


def test_a_page_scheduled_a_minute_ahead_is_published_by_the_scheduler_process(postgres, tmp_path):
    pages = build_site()
    page = StandardPage(title="Summer menu", slug="summer-menu", live=False)
    pages["home"].add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(minutes=1)
    revision = page.save_revision()
    revision.publish()
    assert not StandardPage.objects.get(pk=page.pk).live
    # A minute passes (moved, not slept): every stored go-live time is now in the past.
    past = timezone.now() - timedelta(seconds=1)
    content = {**revision.content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
    StandardPage.objects.filter(pk=page.pk).update(go_live_at=past)

    with open(tmp_path / "scheduler-a.log", "w") as log_a, open(tmp_path / "scheduler-b.log", "w") as log_b:
        active = manage("run_scheduler", log=log_a)
        try:
            assert wait_until(lambda: StandardPage.objects.get(pk=page.pk).live, timeout=60)
            standby = manage("run_scheduler", log=log_b)  # a second replica
            try:
                assert wait_until(lambda: "standby" in (tmp_path / "scheduler-b.log").read_text(), timeout=60)
            finally:
                stop(standby)
        finally:
            stop(active)
    assert "active" in (tmp_path / "scheduler-a.log").read_text()
    assert scheduling.last_beat("scheduler") is not None


def test_only_one_advisory_lock_holder_and_it_is_freed_when_released(postgres):
    first, second = scheduling.SchedulerLock(), scheduling.SchedulerLock()
    try:
        assert first.uses_advisory_lock
        assert first.check() is True
        assert first.check() is True  # re-checked each run: still ours
        assert second.check() is False
        first.release()
        assert second.check() is True
        assert first.check() is False
    finally:
        first.release()
        second.release()
