"""The email outbox: queued in the caller's transaction, delivered after commit, retried with
backoff, failed for good with a "needs attention" entry, stale claims taken again, resend."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from base import outbox
from base.attention import report
from base.models.attention import NeedsAttention
from base.models.outbox import OutboxMessage

pytestmark = pytest.mark.django_db
DOWN = "base.tests.mail_backends.DownBackend"


def queue(key="test:1", **kw):
    kw.setdefault("to", "ana@example.com")
    kw.setdefault("subject", "Hello")
    kw.setdefault("text", "Body")
    return outbox.queue_email(key, **kw)


def test_queued_email_is_delivered_after_commit_once_with_a_stable_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            row = queue(html="<p>Body</p>", attachments=[("a.ics", b"BEGIN:VCALENDAR", "text/calendar")])
            again = queue(subject="Other")  # same key: the first row, unchanged
            assert again.pk == row.pk and again.subject == "Hello"
            assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ana@example.com"] and sent.alternatives[0] == ("<p>Body</p>", "text/html")
    assert sent.attachments[0][0] == "a.ics"
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert row.message_id.startswith("<outbox.") and row.message_id.endswith("@petitfour.example>")
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert outbox.deliver_due() == 0  # nothing twice


def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue()
            raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="no recipient"):
        queue(to=[])
    with pytest.raises(ValueError, match="exceed"):
        queue(attachments=[("big.bin", b"x" * (outbox.MAX_ATTACHMENT_BYTES + 1), "application/octet-stream")])
    assert not OutboxMessage.objects.exists()


def test_smtp_down_backs_off_1_5_15_60_minutes_then_fails_for_good_and_tells_admins(settings):
    settings.EMAIL_BACKEND = DOWN
    settings.OUTBOX_MAX_ATTEMPTS = 5
    settings.ADMINS = [("Ops", "ops@petitfour.example")]
    row = queue()
    now = timezone.now()
    waits = []
    for _attempt in range(4):
        assert outbox.deliver_due(now=now) == 0
        row.refresh_from_db()
        assert row.status == "pending" and "Connection refused" in row.last_error
        waits.append(round((row.next_attempt_at - now).total_seconds() / 60))
        assert outbox.deliver_due(now=row.next_attempt_at - timedelta(seconds=1)) == 0  # not due yet
        row.refresh_from_db()
        now = row.next_attempt_at
    assert waits == [1, 5, 15, 60]
    outbox.deliver_due(now=now)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 5)
    entry = NeedsAttention.objects.get(kind=NeedsAttention.Kind.EMAIL_FAILED)
    assert "Hello" in entry.title and f"/admin/outbox/inspect/{row.pk}/" == entry.url
    alert = OutboxMessage.objects.get(key=f"attention:{entry.key}")
    assert alert.to == ["ops@petitfour.example"] and "Needs attention" in alert.subject
    # The alert itself failing for good does not report again (no chain of alerts).
    settings.OUTBOX_MAX_ATTEMPTS = 1
    outbox.deliver_due(now=now + timedelta(days=1))
    assert NeedsAttention.objects.count() == 1


def test_backoff_is_capped_at_24_hours():
    assert outbox.backoff(1) == timedelta(minutes=1)
    assert outbox.backoff(8) == timedelta(hours=24)
    assert outbox.backoff(30) == timedelta(hours=24)


def test_a_sending_row_whose_worker_died_is_sent_after_the_timeout(settings):
    row = queue()
    claimed = timezone.now()
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=claimed, attempts=1)
    assert outbox.deliver_due(now=claimed + timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT - 1)) == 0
    assert outbox.deliver_due(now=claimed + timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_templated_email_renders_subject_text_and_html():
    row = outbox.queue_templated_email(
        "attention-test",
        to="ops@example.com",
        template="emails/needs_attention",
        context={"entry": NeedsAttention(title="Refund failed", kind="refund_failed"), "link": "", "admin_list": "x"},
    )
    assert row.subject == "[Petit Four] Needs attention: Refund failed"
    assert "Refund failed" in row.text and row.html == ""  # no .html template: text only


def test_resend_puts_a_failed_email_back_in_the_queue(settings, django_capture_on_commit_callbacks):
    row = queue()
    OutboxMessage.objects.filter(pk=row.pk).update(status="failed", attempts=10, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_staff_see_filter_and_resend_emails_in_the_admin(admin_client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(subject="Your order PF-1")
    listing = admin_client.get("/admin/outbox/?status=pending")
    assert listing.status_code == 200 and "Your order PF-1" in listing.content.decode()
    assert "Your order PF-1" not in admin_client.get("/admin/outbox/?status=sent").content.decode()
    page = admin_client.get(f"/admin/outbox/inspect/{row.pk}/").content.decode()
    assert "Connection refused" in page and "Resend now" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/outbox/{row.pk}/resend/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "sent" and len(mail.outbox) == 1
    assert admin_client.get("/admin/outbox/add/").status_code in (302, 403, 404)


def test_needs_attention_listing_dashboard_and_resolve(admin_client):
    entry = report("test:refund-failed", kind="refund_failed", title="Refund of PF-9 failed", url="/admin/")
    assert "Refund of PF-9 failed" in admin_client.get("/admin/").content.decode()  # dashboard panel
    assert "Refund of PF-9 failed" in admin_client.get("/admin/needs-attention/").content.decode()
    admin_client.post(f"/admin/needs-attention/{entry.pk}/resolve/")
    entry.refresh_from_db()
    assert entry.resolved_at is not None
    assert "Nothing needs attention" in admin_client.get("/admin/").content.decode()
