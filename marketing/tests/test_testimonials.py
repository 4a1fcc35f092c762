"""Testimonials: only signed-in customers submit; stored pending; only approved ones are shown
(testimonials block, page include); moderators approve/reject in the admin; staff are emailed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from home.models import HomePage
from marketing.models import Testimonial
from marketing.tests.helpers import make_site, make_standard

pytestmark = pytest.mark.django_db
User = get_user_model()
SUBMIT = "/testimonials/new/"


@pytest.fixture
def home():
    return make_site()


@pytest.fixture
def customer(client):
    user = User.objects.create_user("camille", "camille@example.com", "pw-123456789")
    client.force_login(user)
    return user


@pytest.fixture
def moderator():
    return User.objects.create_user("boss", "boss@petitfour.example", "x", is_staff=True, is_superuser=True)


def put_testimonials_block_on(home):
    home.body = [("testimonials", {"heading": "Kind words", "count": 6, "show_submit_link": True})]
    home.save_revision().publish()


def test_anonymous_visitor_is_sent_to_login(client, home):
    response = client.get(SUBMIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(SUBMIT, {"author_name": "Bot", "text": "Spam"})
    assert response.status_code == 302
    assert Testimonial.objects.count() == 0


def test_customer_submits_pending_testimonial_and_staff_get_an_email(
    client, home, customer, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT, {"author_name": "Camille, Lyon", "text": "The best macarons in town.", "rating": "5", "page": ""}
        )
    assert response.status_code == 200 and "Merci, Camille, Lyon" in response.content.decode()
    testimonial = Testimonial.objects.get()
    assert testimonial.status == Testimonial.Status.PENDING and testimonial.user == customer
    assert testimonial.rating == 5
    assert [m.to for m in mail.outbox] == [["boss@petitfour.example"]]
    assert "Camille, Lyon" in mail.outbox[0].subject
    assert f"/admin/testimonials/edit/{testimonial.pk}/" in mail.outbox[0].body


def test_bad_rating_is_refused_with_a_message(client, home, customer):
    response = client.post(SUBMIT, {"author_name": "C", "text": "Hello", "rating": "9"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Testimonial.objects.count() == 0


def test_submissions_are_rate_limited(client, home, customer, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "testimonial": "2/h/user"}

    cache.clear()
    for i in range(2):
        assert client.post(SUBMIT, {"author_name": "C", "text": f"Nice {i}"}).status_code == 200
    response = client.post(SUBMIT, {"author_name": "C", "text": "Third"})
    assert response.status_code == 429 and "try again a little later" in response.content.decode()
    assert Testimonial.objects.count() == 2


def test_unapproved_never_shown_approved_shown_in_block(client, home, customer):
    put_testimonials_block_on(home)
    Testimonial.objects.create(user=customer, author_name="Pending Paul", text="Waiting for review")
    Testimonial.objects.create(user=customer, author_name="Rejected Rita", text="Rude words", status="rejected")
    Testimonial.objects.create(
        user=customer, author_name="Approved Anna", text="Lovely class", status="approved", rating=4
    )
    html = client.get("/").content.decode()
    assert "Approved Anna" in html and "Lovely class" in html
    assert '<span class="visually-hidden">Rated 4 out of 5</span>' in html
    assert "Pending Paul" not in html and "Rejected Rita" not in html


def test_block_renders_nothing_without_approved_testimonials(client, home, customer):
    put_testimonials_block_on(home)
    Testimonial.objects.create(user=customer, author_name="Pending Paul", text="Waiting")
    html = client.get("/").content.decode()
    assert "Kind words" not in html and "Pending Paul" not in html


def test_page_include_lists_only_approved_testimonials_about_that_page(home, customer):
    about = make_standard(home, "Pistachio macaron box")
    other = make_standard(home, "Chocolate class")
    Testimonial.objects.create(author_name="Anna", text="Crunchy and fresh", status="approved", page=about)
    Testimonial.objects.create(author_name="Paul", text="Not yet moderated", page=about)
    Testimonial.objects.create(author_name="Zoé", text="About the other page", status="approved", page=other)
    request = RequestFactory().get(about.url)
    request.user = customer
    html = render_to_string("marketing/includes/page_testimonials.html", {"page": about, "request": request})
    assert "Crunchy and fresh" in html
    assert "Not yet moderated" not in html and "About the other page" not in html
    assert f"/testimonials/new/?page={about.pk}" in html


def test_moderator_approves_in_admin_and_it_appears(client, home, customer, moderator):
    put_testimonials_block_on(home)
    testimonial = Testimonial.objects.create(user=customer, author_name="Anna", text="Lovely class")
    client.force_login(moderator)
    listing = client.get("/admin/testimonials/?status=pending")
    assert listing.status_code == 200 and "Anna" in listing.content.decode()
    url = f"/admin/testimonials/moderate/{testimonial.pk}/approve/"
    assert f'href="{url}"' in listing.content.decode()
    assert client.get(url).status_code == 200  # confirmation page
    assert client.post(url).status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == "approved" and testimonial.moderated_by == moderator
    client.logout()
    assert "Lovely class" in client.get("/").content.decode()

    client.force_login(moderator)
    client.post(f"/admin/testimonials/moderate/{testimonial.pk}/reject/")
    client.logout()
    assert "Lovely class" not in client.get("/").content.decode()


def test_customer_cannot_moderate(client, home, customer):
    testimonial = Testimonial.objects.create(user=customer, author_name="Anna", text="Me me me")
    customer.is_staff = True
    customer.save()
    customer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = client.post(f"/admin/testimonials/moderate/{testimonial.pk}/approve/")
    assert response.status_code in (302, 403)
    testimonial.refresh_from_db()
    assert testimonial.status == "pending"


def test_rating_constraint_in_database(home):

    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.create(author_name="X", text="Y", rating=7)
    assert HomePage.objects.count() == 1
