"""The contact form stores and emails real messages and silently drops bots'."""

from django.core import mail
from django.test import TestCase, override_settings
from wagtail.contrib.forms.models import FormSubmission

from base.forms import HONEYPOT_FIELD
from base.models.outbox import OutboxMessage
from home.tests.factories import build_site

MESSAGE = {"your_name": "Camille", "email": "camille@example.com", "message": "Do you make vegan macarons?"}


class ContactFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()

    def test_form_renders_fields_and_hidden_honeypot(self):
        response = self.client.get("/contact/")
        self.assertContains(response, 'name="your_name"')
        self.assertContains(response, 'name="email"')
        self.assertContains(response, 'name="message"')
        self.assertContains(response, f'name="{HONEYPOT_FIELD}"')
        self.assertContains(response, '<div class="hp-field" aria-hidden="true">')

    def test_post_is_stored_and_emailed_to_the_site_contact_address(self):
        with self.captureOnCommitCallbacks(execute=True):  # the outbox delivers after commit
            response = self.client.post("/contact/", {**MESSAGE, HONEYPOT_FIELD: ""})
        self.assertContains(response, "Thank you!")
        submission = FormSubmission.objects.get(page=self.pages["contact"])
        self.assertEqual(submission.get_data()["message"], "Do you make vegan macarons?")
        self.assertNotIn(HONEYPOT_FIELD, submission.form_data)
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["shop@petitfour.example"])  # no to_address: Site settings' email
        self.assertEqual(email.subject, "Website message")
        self.assertEqual(email.reply_to, ["camille@example.com"])
        self.assertIn("Message: Do you make vegan macarons?", email.body)
        self.assertNotIn(HONEYPOT_FIELD, email.body)

    def test_page_to_address_wins_over_site_settings(self):
        contact = self.pages["contact"]
        contact.to_address = "orders@petitfour.example, chef@petitfour.example"
        contact.save_revision().publish()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/contact/", MESSAGE)
        self.assertEqual(mail.outbox[0].to, ["orders@petitfour.example", "chef@petitfour.example"])

    def test_honeypot_post_is_neither_stored_nor_emailed_but_thanked(self):
        response = self.client.post("/contact/", {**MESSAGE, HONEYPOT_FIELD: "http://spam.example"})
        self.assertContains(response, "Thank you!")
        self.assertFalse(FormSubmission.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_invalid_post_shows_errors_and_changes_nothing(self):
        response = self.client.post("/contact/", {"your_name": "", "email": "not-an-email", "message": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "form-field--error")
        self.assertContains(response, "Enter a valid email address.")
        self.assertFalse(FormSubmission.objects.exists())
        self.assertEqual(mail.outbox, [])

    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=9, EMAIL_HOST="127.0.0.1"
    )
    def test_smtp_down_still_stores_and_thanks_and_the_email_waits_in_the_outbox(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/contact/", MESSAGE)
        self.assertContains(response, "Thank you!")
        submission = FormSubmission.objects.get(page=self.pages["contact"])
        row = OutboxMessage.objects.get(key=f"contact:{submission.pk}")
        self.assertEqual(row.status, OutboxMessage.Status.PENDING)  # retried by the scheduler
        self.assertEqual(row.attempts, 1)
        self.assertIn("Connection", row.last_error)
        self.assertEqual(row.reply_to, ["camille@example.com"])


class ContactRateLimitTests(TestCase):
    """ACCOUNT_RATE_LIMITS["contact"] (5 per 10 minutes per client IP): the 6th post is refused
    with a message and HTTP 429, nothing stored or sent; another client IP behind the same
    trusted proxy is not affected."""

    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()

    @override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
    def test_sixth_message_from_one_client_is_refused(self):
        visitor = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(5):
                self.assertContains(self.client.post("/contact/", MESSAGE, **visitor), "Thank you!")
        with self.captureOnCommitCallbacks(execute=True):
            refused = self.client.post("/contact/", MESSAGE, **visitor)
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, "several messages in a short while", status_code=429)
        self.assertEqual(FormSubmission.objects.count(), 5)
        self.assertEqual(OutboxMessage.objects.count(), 5)
        other = self.client.post("/contact/", MESSAGE, HTTP_X_FORWARDED_FOR="198.51.100.2")
        self.assertContains(other, "Thank you!")
