"""Root URLs. Wagtail's page serving comes last so every app URL wins over a page slug."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from base import views as base_views
from base.health import HealthView
from home import account_views

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", account_views.account_home, name="account_home"),
    path("accounts/", include("allauth.urls")),
    path("shop/", include("shop.urls")),
    path("learning/", include("learning.urls")),
    path("search/", include("search.urls")),
    path("", include("marketing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = base_views.bad_request
handler403 = base_views.permission_denied
handler404 = base_views.page_not_found
handler500 = base_views.server_error
