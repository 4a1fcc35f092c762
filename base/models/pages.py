"""BasePage: the abstract parent of every page type of every app (wagtail-seo fields and
promote panels, cached SEO values, breadcrumbs, structured data hook)."""

from django.utils.functional import cached_property
from wagtail.models import Page, PageViewRestriction, Site
from wagtailseo import utils
from wagtailseo.models import SeoMixin, SeoSettings

from base import navigation


class BasePage(SeoMixin, Page):
    """Abstract base for every page type: wagtail-seo fields and promote panels.

    Subclasses override :meth:`get_structured_data` to add JSON-LD objects of their own.
    The ``seo_*`` values wagtail-seo reads several times per render are cached on the
    instance so a page costs a constant number of queries.
    """

    promote_panels = SeoMixin.seo_panels

    class Meta:
        abstract = True

    #: Foreign keys fetched together with this page when routing reaches it (see ``route`` and
    #: :func:`home.navigation.child_page`), e.g. ``("image",)`` for a picture every visit shows.
    route_select_related: tuple[str, ...] = ()

    def get_view_restrictions(self):
        """Wagtail's check (two queries per request) only when some page has a view restriction
        (:func:`home.navigation.any_view_restriction`, cached, bumped on restriction changes)."""

        if not navigation.any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def route(self, request, path_components):
        """Like ``Page.route``, but a child page comes in one query instead of two.

        Its id and specific class are a cached hint (:func:`home.navigation.child_page`), checked
        against the fetched row; without a hint Wagtail's own routing runs (and raises 404).
        """
        if path_components:
            child = navigation.child_page(self, path_components[0])
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    # -- cached versions of wagtail-seo's repeated lookups --------------------------------
    def get_context(self, request, *args, **kwargs):
        # Remember the request so the seo_* values below reuse its cached Site and settings.
        self._seo_request = request
        context = super().get_context(request, *args, **kwargs)
        # One signup form per page: the footer's copy steps aside for a newsletter block.
        context.setdefault("hide_footer_newsletter", self.shows_newsletter_block())
        return context

    def shows_newsletter_block(self) -> bool:
        """Whether this page's ``body`` StreamField holds a newsletter signup block (no query:
        reads the stored block types)."""
        raw = getattr(getattr(self, "body", None), "raw_data", None) or []
        return any(block.get("type") == "newsletter_signup" for block in raw)

    @cached_property
    def _seo_site(self):
        request = getattr(self, "_seo_request", None)
        if request is not None:
            site = Site.find_for_request(request)  # cached on the request
            if site is not None:
                return site
        return self.get_site()

    @cached_property
    def seo_sitename(self) -> str:
        return self._seo_site.site_name if self._seo_site else ""

    @cached_property
    def seo_org_fields(self):
        request = getattr(self, "_seo_request", None)
        if request is not None:
            return SeoSettings.for_request(request)  # shared with the settings context processor
        return SeoSettings.for_site(site=self._seo_site)

    @cached_property
    def seo_image(self):
        for attr in self.seo_image_sources:
            image = getattr(self, attr, None)
            if image is not None and hasattr(image, "get_rendition"):
                return image
        return self.seo_org_fields.og_image_default

    @cached_property
    def seo_image_url(self) -> str:
        image = self.seo_image
        if not image:
            return ""

        url = image.get_rendition("fill-1200x630|format-jpeg").url
        return utils.ensure_absolute_url(url, utils.get_absolute_media_url(self._seo_site))

    # -- navigation ---------------------------------------------------------------------------
    @cached_property
    def breadcrumb_ancestors(self) -> list[Page]:
        """Ancestors below the root, home page first (cached with the menu, see home.navigation)."""
        return navigation.ancestors(self)

    def get_structured_data(self, request=None) -> list[dict]:
        """Extra schema.org objects (dicts) rendered as JSON-LD on this page. Override to add.

        Breadcrumbs, FAQ, BlogPosting and Organization objects are added for every page by
        ``home.seo.structured_data_for``; return only what is specific to the page type.
        """
        return []
