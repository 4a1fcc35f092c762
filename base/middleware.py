"""Request hygiene and security headers shared by every response.

- :class:`RejectNulBytesMiddleware` answers 400 to a request with a NUL byte in its path, query
  string or form fields: PostgreSQL refuses NUL in text, so such a value must never reach a
  query (see :mod:`base.parsing`, which applies the same rule field by field).
- :class:`SecurityHeadersMiddleware` adds ``Permissions-Policy`` to every response and gives
  the Wagtail admin its own Content-Security-Policy and framing rule (settings
  ``ADMIN_CONTENT_SECURITY_POLICY``, ``ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY``,
  ``ADMIN_STRICT_CSP_PATHS``, ``PERMISSIONS_POLICY``; the README's Security section says what each allows).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest

from base.parsing import has_nul

ADMIN_PREFIX = "/admin/"


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class RejectNulBytesMiddleware:
    """400 for a NUL byte (``%00``) in the path, a query-string key or value, or a form field.

    Multipart and urlencoded bodies are checked outside the admin (the admin's forms are Django
    forms, whose CharFields already refuse NUL, and its uploads must not be parsed early).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET):
            raise BadRequest("NUL byte in the request")
        if request.method == "POST" and not request.path.startswith(ADMIN_PREFIX):
            content_type = request.content_type or ""
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data") and self._has_nul(
                request.POST
            ):
                raise BadRequest("NUL byte in the form")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query) -> bool:
        return any(has_nul(key) or any(has_nul(v) for v in values) for key, values in query.lists())


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` everywhere; the admin's CSP and ``X-Frame-Options: SAMEORIGIN``.

    The public site's CSP comes from django-csp (``CONTENT_SECURITY_POLICY``, which excludes
    ``/admin/``); the admin needs other sources (inline scripts in Wagtail's own widgets, its
    preview iframe), so it gets ``ADMIN_CONTENT_SECURITY_POLICY`` here. Both agree with
    ``X-Frame-Options``: the site is never framed (``frame-ancestors 'none'``, ``DENY``); the
    admin frames only itself, for previews (``frame-ancestors 'self'``, ``SAMEORIGIN``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        self.admin_csp = _policy(getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", {}))
        self.admin_csp_report_only = _policy(getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY", {}))
        self.strict_paths = tuple(getattr(settings, "ADMIN_STRICT_CSP_PATHS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        if request.path.startswith(ADMIN_PREFIX):
            if self.strict_paths and request.path.startswith(self.strict_paths):
                # The sign-in pages have no Wagtail widget with inline script: the strict policy.
                response.headers.setdefault("Content-Security-Policy", self.admin_csp_report_only or self.admin_csp)
            elif self.admin_csp:
                response.headers.setdefault("Content-Security-Policy", self.admin_csp)
            if self.admin_csp_report_only:
                response.headers.setdefault("Content-Security-Policy-Report-Only", self.admin_csp_report_only)
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
