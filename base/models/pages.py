"""BasePage: the abstract parent of every page type of every app (wagtail-seo fields and
promote panels, cached SEO values, breadcrumbs, structured data hook)."""

from django.utils.functional import cached_property
from django.utils.html import escape
from wagtail.admin.panels import HelpPanel, ObjectList, TabbedInterface
from wagtail.models import Page, PageViewRestriction, Site
from wagtailseo import utils
from wagtailseo.models import SeoMixin, SeoSettings

from base import navigation
from base.models.settings import SiteSettings
from base.text import plain, stream_text, trim


class BasePage(SeoMixin, Page):
    """Abstract base for every page type: wagtail-seo fields and promote panels.

    Subclasses override :meth:`get_structured_data` to add JSON-LD objects of their own.
    The ``seo_*`` values wagtail-seo reads several times per render are cached on the
    instance so a page costs a constant number of queries.
    """

    promote_panels = SeoMixin.seo_panels

    @classmethod
    def tabbed(cls, *tabs: tuple[str, str, list]) -> TabbedInterface:
        """An ``edit_handler`` with the page type's own tabs, then Promote and Settings.

        Each tab is ``(heading, help text, panels)``; the help text opens the tab (HelpPanel).
        """
        lists = [
            ObjectList(
                ([HelpPanel(content=f"<p>{escape(help_text)}</p>")] if help_text else []) + panels, heading=heading
            )
            for heading, help_text, panels in tabs
        ]
        return TabbedInterface(
            [
                *lists,
                ObjectList(cls.promote_panels, heading="Promote"),
                ObjectList(Page.settings_panels, heading="Settings"),
            ]
        )

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
        navigation.set_routed_page(request, self)
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

    #: Attributes read in order for the meta description (rich text is reduced to its text); the
    #: first non-empty one wins, then :meth:`description_fallback`. Page types list their summary
    #: field (intro, short bio...) after the editor's search description.
    seo_description_sources = ["search_description", "intro"]

    @cached_property
    def seo_description(self) -> str:
        """The meta / og / twitter description: the editor's search description, else the page
        type's summary (``seo_description_sources``), else :meth:`description_fallback`, as plain
        text of at most ~155 characters (cut at a word, "…" added)."""
        for attr in self.seo_description_sources:
            text = plain(getattr(self, attr, "") or "")
            if text:
                return trim(text)
        return trim(self.description_fallback())

    def description_fallback(self) -> str:
        """Text used when no description source is filled: the first text of the page's body
        StreamField (no query), else the site's tagline from Site settings."""
        text = stream_text(getattr(self, "body", None))
        if text:
            return text
        request = getattr(self, "_seo_request", None)
        site = self._seo_site
        if request is not None:
            brand = SiteSettings.for_request(request)
        else:
            brand = SiteSettings.for_site(site) if site else None
        return brand.tagline if brand else ""

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
