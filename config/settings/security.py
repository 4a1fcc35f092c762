"""Security settings read by config/settings/base.py: the Wagtail admin's Content-Security-Policy,
the Permissions-Policy, framing, and the Wagtail admin login's throttle (django-axes).

The README's Security section says what each allows and why. Values that come from the
environment are listed in the README's configuration table.
"""

from datetime import timedelta

import environ

env = environ.Env()

__all__ = [
    "ACCOUNT_ADAPTER",
    "ACCOUNT_RATE_LIMITS",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "ADMIN_STRICT_CSP_PATHS",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_COOLOFF_TIME",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_LOCKOUT_TEMPLATE",
    "AXES_RESET_ON_SUCCESS",
    "AXES_VERBOSE",
    "AXES_WHITELIST_CALLABLE",
    "WAGTAILADMIN_USER_LOGIN_FORM",
    "X_FRAME_OPTIONS",
    "permissions_policy",
]

# Never framed (clickjacking); agrees with the site CSP's frame-ancestors 'none'. The admin's own
# policy below frames only itself (previews) and sends SAMEORIGIN (base.middleware).
X_FRAME_OPTIONS = "DENY"

# The Wagtail admin's CSP (base.middleware.SecurityHeadersMiddleware). Wagtail 7.4 still ships
# inline <script>s in its inline-panel, multiple-chooser and date/time widget templates, so the
# enforced policy allows inline scripts (and inline styles, which its editors set) but nothing
# from other origins, no plugins, no <base>, no framing by other sites, forms posting only here.
# The report-only policy is the strict one (scripts from 'self' only): browsers report what it
# would block, the step before enforcing it when Wagtail drops its inline scripts.
# /admin/login/ and the admin password-reset pages enforce the strict policy already.
_ADMIN_EMBEDS = ["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"]
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://releases.wagtail.org"],
    "media-src": ["'self'", "blob:"],
    "frame-src": ["'self'", *_ADMIN_EMBEDS],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY = {**ADMIN_CONTENT_SECURITY_POLICY, "script-src": ["'self'"]}
#: Admin pages that enforce the strict (report-only) policy: no Wagtail widget with inline script.
ADMIN_STRICT_CSP_PATHS = ["/admin/login/", "/admin/password_reset/"]


def permissions_policy(stripe_js_origin: str) -> str:
    """The ``Permissions-Policy`` header: powerful features the site never uses are off; payment
    only for Stripe.js (``stripe_js_origin``), fullscreen for the video embeds."""
    return ", ".join(
        [
            "accelerometer=()",
            "autoplay=()",
            "camera=()",
            "display-capture=()",
            "geolocation=()",
            "gyroscope=()",
            "magnetometer=()",
            "microphone=()",
            "midi=()",
            "usb=()",
            f'payment=(self "{stripe_js_origin}")',
            "fullscreen=(self " + " ".join(f'"{origin}"' for origin in _ADMIN_EMBEDS) + ")",
        ]
    )


# Wagtail's /admin/login/ (base/admin_login.py): only accounts that may use the admin sign in
# there, every refusal looks like a wrong password, and django-axes throttles it: the
# AXES_FAILURE_LIMIT-th failure from one client IP or for one username locks the door (HTTP 429)
# for AXES_COOLOFF_TIME; later attempts are refused unchecked. Attempts are rows in the database
# (axes' default handler: shared by every web process, visible in the Django shell).
WAGTAILADMIN_USER_LOGIN_FORM = "base.admin_login.AdminLoginForm"
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ADMIN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "base.admin_login.not_admin_login"
AXES_CLIENT_IP_CALLABLE = "base.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_VERBOSE = False

# Every rate limit of the site, in allauth 65's format ("amount/period/per", per = ip, key or
# user), counted by allauth's limiter (base/ratelimit.py) in the cache: set REDIS_URL in
# production so every web process shares the counts. allauth applies login, login_failed,
# signup and reset_password in its views (its other defaults stay); the site's forms apply
# contact, newsletter_signup and testimonial. Keyed on base.ratelimit.client_ip.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip,30/h/ip"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key,10/h/key"),
    "contact": env("RATE_LIMIT_CONTACT", default="5/10m/ip,20/d/ip"),
    "newsletter_signup": env("RATE_LIMIT_NEWSLETTER", default="20/h/ip,3/h/key"),
    # Testimonial submissions per signed-in customer per hour.
    "testimonial": f"{env.int('TESTIMONIALS_PER_HOUR', default=3)}/h/user",
}
ACCOUNT_ADAPTER = "base.ratelimit.AccountAdapter"  # allauth reads the client IP through base.ratelimit
