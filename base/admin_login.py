"""Wagtail's ``/admin/login/``: the same answer for every refusal, throttled by django-axes.

- :class:`AdminLoginForm` (``WAGTAILADMIN_USER_LOGIN_FORM``) signs in only accounts that may use
  the admin (``wagtailadmin.access_admin``) and, where email verification is mandatory, whose
  email address is verified. Any other account gets exactly the error a wrong password gets,
  and the refusal counts as a failed attempt, so the admin door is not a password oracle for
  customer accounts and never signs a customer in.
- :class:`AdminLoginThrottleBackend` (first of ``AUTHENTICATION_BACKENDS``) is django-axes'
  standalone backend: after ``AXES_FAILURE_LIMIT`` failures from one IP or for one username
  every further attempt is refused for ``AXES_COOLOFF_TIME`` (HTTP 429), right password or not.
  Only ``/admin/login/`` is watched (:func:`not_admin_login`); allauth's ``/accounts/login/``
  keeps allauth's own limits (``ACCOUNT_RATE_LIMITS``). Sign-ins without a request
  (``Client.login`` in tests, shell scripts) are not throttled.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from wagtail.admin.forms.auth import LoginForm

ADMIN_LOGIN_PATH = "/admin/login/"


def may_use_admin(user) -> bool:
    """True when ``user`` may sign in to the Wagtail admin.

    Needs the ``wagtailadmin.access_admin`` permission (superusers have it) and, when
    ``ACCOUNT_EMAIL_VERIFICATION`` is ``"mandatory"`` (always in production), a verified email
    address: the same rule allauth applies on ``/accounts/login/``.
    """
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return False
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory":
        return EmailAddress.objects.filter(user=user, verified=True).exists()
    return True


class AdminLoginForm(LoginForm):
    """Wagtail's login form; an account that may not use the admin is refused like a wrong password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not may_use_admin(user):
            # Counted by django-axes like a wrong password, so refusals cannot be told apart
            # by when the throttle starts either.
            user_login_failed.send(
                sender=__name__, credentials={"username": self.cleaned_data.get("username")}, request=self.request
            )
            raise self.get_invalid_login_error()


def not_admin_login(request, credentials=None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: True (not watched by axes) for every path but ``/admin/login/``."""
    return getattr(request, "path", "") != ADMIN_LOGIN_PATH


class AdminLoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped when there is no request to key it on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
