"""RSS feed of a blog index's latest posts (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed


class BlogFeed(Feed):
    """The ``feed_size`` newest live posts of one :class:`home.models.BlogIndexPage`, RSS 2.0.

    Served by the index's ``feed/`` route; item links and the channel link are absolute.
    """

    feed_type = Rss201rev2Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page
        self.request = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        site_name = self.index_page.seo_sitename
        return f"{self.index_page.title} · {site_name}" if site_name else self.index_page.title

    def link(self):
        return self.index_page.get_full_url(self.request)

    def description(self):
        return self.index_page.search_description or f"The latest posts from {self.index_page.title}."

    def items(self):
        return self.index_page.get_posts()[: self.index_page.feed_size]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.seo_published_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]
