"""The blog: an index (paginated, filterable by tag, RSS feed) and its posts."""

import datetime

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtailseo.models import SeoType

from base import parsing, seo
from base.cache import cache_seconds, content_version
from base.models.pages import BasePage
from home.feeds import BlogFeed
from home.streams import PageStreamBlock


class BlogIndexPage(RoutablePageMixin, BasePage):
    """Lists the blog's live posts, newest first, ``posts_per_page`` at a time.

    ``?tag=<slug>`` keeps only posts with that tag; ``?page=<n>`` pages (out-of-range or
    invalid numbers show the nearest valid page, never an error). ``feed/`` is the RSS feed
    of the latest posts (:class:`home.feeds.BlogFeed`).
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.BlogPage"]
    posts_per_page = 9
    feed_size = 20

    class Meta:
        verbose_name = "blog index page"

    def get_posts(self):
        """Live, public posts under this index, newest first, ready for a listing."""
        return (
            BlogPage.objects.live()
            .public()
            .child_of(self)
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions", "tagged_items__tag")
            .order_by("-date", "-pk")
        )

    def get_tags(self):
        """Tags used by this index's live posts, alphabetical (one query)."""
        post_ids = BlogPage.objects.live().public().child_of(self).values("pk")
        return Tag.objects.filter(home_blogpagetag_items__content_object__in=post_ids).distinct().order_by("name")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag_slug = parsing.slug(request.GET.get("tag"), max_length=100)
        current_tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
        page_number = parsing.page_number(request.GET.get("page"))

        def posts_page():
            posts = self.get_posts()
            if tag_slug:
                posts = posts.filter(tags__slug=tag_slug) if current_tag else posts.none()
            return Paginator(posts, self.posts_per_page).get_page(page_number)

        context.update(
            # Lazy: the template caches the listing's HTML (see home.cache), so a warm request
            # never counts or fetches posts and tags.
            posts=SimpleLazyObject(posts_page),
            tags=SimpleLazyObject(lambda: list(self.get_tags())),
            current_tag=current_tag,
            tag_slug=tag_slug,
            listing_cache_key=f"{self.pk}:{self.live_revision_id}:{content_version()}:{tag_slug[:60]}:{page_number}",
            listing_cache_seconds=cache_seconds(),
        )
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        return BlogFeed(self)(request)


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("home.BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(BasePage):
    """A blog post: date, author, tags, lead image, intro and a StreamField body."""

    date = models.DateField("post date", default=datetime.date.today)
    author = models.CharField(max_length=120, blank=True)
    author_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The author's page (a teacher's page, or the about page). Search engines read it as the "
        "author's profile; the site's home page is used when empty.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro = models.TextField(max_length=500, help_text="One or two sentences shown in listings.")
    body = StreamField(PageStreamBlock(), blank=True, use_json_field=True)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("author_page"), FieldPanel("tags")], heading="Post"
        ),
        FieldPanel("lead_image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["home.BlogIndexPage"]
    subpage_types: list[str] = []

    seo_content_type = SeoType.ARTICLE
    seo_description_sources = ["search_description", "intro"]
    seo_image_sources = ["og_image", "lead_image"]

    class Meta:
        verbose_name = "blog post"

    @property
    def seo_author(self) -> str:
        return self.author

    def author_url(self, request=None) -> str:
        """Absolute URL of ``author_page`` ("" when none is chosen or it is not live)."""
        if not self.author_page_id:
            return ""
        page = self.author_page
        return seo.page_url(page, request) if page is not None and page.live else ""

    @property
    def seo_published_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, datetime.time(9)))

    def get_context(self, request, *args, **kwargs):
        """Adds ``blog_index`` (the parent index, a plain ``Page`` from the cached ancestors) and
        its ``feed_url``."""
        context = super().get_context(request, *args, **kwargs)
        ancestors = self.breadcrumb_ancestors
        parent = ancestors[-1] if ancestors else None
        blog_index = parent if parent is not None and parent.specific_class is BlogIndexPage else None
        context["blog_index"] = blog_index
        context["feed_url"] = (
            blog_index.get_url(request) + BlogIndexPage.get_resolver().reverse("feed") if blog_index else ""
        )
        return context

    @cached_property
    def tag_list(self):
        """Tags in name order: from the prefetched ``tagged_items`` when present, else one query."""
        if "tagged_items" in getattr(self, "_prefetched_objects_cache", {}):
            items = self.tagged_items.all()
        else:  # one query (in-memory items in previews)
            items = self.tagged_items.select_related("tag")
        return sorted((item.tag for item in items), key=lambda t: t.name)
