"""Marketing endpoints: newsletter signup/confirm/unsubscribe, testimonial submission,
robots.txt. (The sitemap is Wagtail's view, routed in home/urls.py.)

Views stay thin: rules live in :mod:`home.newsletter`; bad input gets a message and a
redirect, never a 500.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from base import parsing, ratelimit, seo
from base.forms import honeypot_field, honeypot_triggered
from marketing import newsletter
from marketing.models import Subscriber, Testimonial
from marketing.models.testimonials import TESTIMONIAL_PAGE_TYPES
from marketing.tasks import notify_moderators_of_testimonial

logger = logging.getLogger(__name__)


# -- newsletter ---------------------------------------------------------------------------------


class NewsletterSignupForm(forms.Form):
    """Email plus explicit consent; ``website`` is a honeypot left empty by humans."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    consent = forms.BooleanField(
        label="Yes, send me the Petit Four newsletter (about once a month).",
        error_messages={"required": "Please tick the box to confirm you want the newsletter."},
    )
    source_page = parsing.IdField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    website = honeypot_field()


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_POST
def newsletter_signup(request):
    """POST /newsletter/signup/: store the subscriber, start double opt-in, redirect back."""
    form = NewsletterSignupForm(request.POST)
    back = parsing.next_url(request, request.POST.get("next"), request.META.get("HTTP_REFERER"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    if honeypot_triggered(form.cleaned_data["website"]):  # a bot: pretend it worked
        messages.success(request, "Thanks! Please check your inbox to confirm your subscription.")
        return redirect(back)
    if not ratelimit.allow(request, "newsletter_signup", key=form.cleaned_data["email"].lower()):
        messages.error(request, "Too many signups from your connection; please try again later.")
        return redirect(back)
    source_id = form.cleaned_data["source_page"]
    source = Page.objects.filter(pk=source_id).first() if source_id else None
    result = newsletter.subscribe(form.cleaned_data["email"], source_page=source, base_url=_base_url(request))
    if result.outcome == newsletter.ALREADY:
        messages.info(request, "You're already on the list — thank you! Nothing more to do.")
    elif result.outcome == newsletter.PENDING_AGAIN:
        messages.info(
            request,
            "You're already on the list: we've sent the confirmation email again. "
            "Please click the link in it to start receiving the newsletter.",
        )
    else:
        messages.success(request, "Thanks! Please check your inbox and click the link to confirm your subscription.")
    return redirect(back)


def _status(request, state, status=200, **context):
    """Render the newsletter status page; pages that show the signup form hide the footer's copy."""
    context.update(state=state, hide_footer_newsletter=state in {"expired", "invalid", "unsubscribed"})
    return render(request, "marketing/newsletter_status.html", context, status=status)


@require_GET
def newsletter_confirm(request, token):
    """GET /newsletter/confirm/<token>/: the link of the confirmation email."""
    try:
        subscriber = newsletter.confirm(token, base_url=_base_url(request))
    except signing.SignatureExpired:
        return _status(request, "expired", status=400)
    except signing.BadSignature:
        return _status(request, "invalid", status=400)
    if subscriber is None:
        return _status(request, "invalid", status=400)
    state = "confirmed" if subscriber.status == Subscriber.Status.SUBSCRIBED else "unsubscribed"
    return _status(request, state, subscriber=subscriber)


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    """GET shows a one-button page (link scanners must not unsubscribe anyone); POST unsubscribes.

    Also accepts RFC 8058 one-click POSTs (``List-Unsubscribe=One-Click``) from mail clients.
    """
    try:
        data = signing.loads(token, salt=newsletter.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return _status(request, "invalid", status=400)
    if request.method == "GET":
        return _status(request, "confirm_unsubscribe", email=data.get("e", ""), token=token)
    subscriber = newsletter.unsubscribe(token)
    if subscriber is None:
        return _status(request, "invalid", status=400)
    return _status(request, "unsubscribed", subscriber=subscriber)


# -- testimonials ---------------------------------------------------------------------------------


def testimonial_pages():
    """Live public pages a testimonial may be about (courses, teachers, products)."""
    q = Q(pk__in=[])
    for app_label, model in TESTIMONIAL_PAGE_TYPES:
        q |= Q(content_type__app_label=app_label, content_type__model=model)
    return Page.objects.live().public().filter(q).order_by("title")


class TestimonialForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="Rating",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "No rating")] + [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
    )
    page = forms.ModelChoiceField(
        label="About", queryset=Page.objects.none(), required=False, empty_label="The shop in general"
    )

    class Meta:
        model = Testimonial
        fields = ["author_name", "text", "rating", "page"]
        labels = {"author_name": "Your name as shown", "text": "Your testimonial"}
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "maxlength": 1500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = testimonial_pages()


@login_required
def testimonial_submit(request):
    """GET/POST /testimonials/new/: a signed-in customer shares a testimonial (stored pending)."""
    initial = {"author_name": request.user.get_full_name() or request.user.get_username().split("@")[0]}
    page_id = parsing.optional_id(request.GET.get("page"))
    if page_id is not None:
        initial["page"] = page_id
    if request.method == "POST":
        form = TestimonialForm(request.POST)
        if not ratelimit.allow(request, "testimonial", user=request.user, dry_run=True):
            form.add_error(
                None,
                "You've shared several testimonials in the last hour — thank you! Please try again a little later.",
            )
            return render(request, "marketing/testimonial_form.html", {"form": form}, status=429)
        if form.is_valid():
            testimonial = form.save(commit=False)
            testimonial.user = request.user
            testimonial.status = Testimonial.Status.PENDING
            with transaction.atomic():
                testimonial.save()
                notify_moderators_of_testimonial(testimonial.pk)
            ratelimit.allow(request, "testimonial", user=request.user)
            return render(request, "marketing/testimonial_thanks.html", {"testimonial": testimonial})
    else:
        form = TestimonialForm(initial=initial)
    return render(request, "marketing/testimonial_form.html", {"form": form})


# -- robots.txt ------------------------------------------------------------------------------------


@require_GET
def robots_txt(request):
    """robots.txt: disallow the private areas (home.seo.NOINDEX_PREFIXES), point at the sitemap."""
    lines = ["User-agent: *"] + [f"Disallow: {prefix}" for prefix in seo.NOINDEX_PREFIXES]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
