"""Every page type is routable and renderable, and the tree rules hold."""

import datetime

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import BlogIndexPage, BlogPage, HomePage, LandingPage, StandardPage
from marketing.models import ContactPage

from .factories import build_site


class PageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()

    def test_every_page_type_is_routable_and_renderable(self):
        for name in ("home", "about", "landing", "blog", "post", "contact"):
            page = self.pages[name]
            with self.subTest(page=name):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_blog_feed_route_is_routable(self):
        self.assertPageIsRoutable(self.pages["blog"], "feed/")

    def test_home_page_shows_hero_and_menu(self):
        response = self.client.get("/")
        self.assertContains(response, '<h1 class="home-hero__heading">Fresh pastries</h1>', html=False)
        self.assertContains(response, 'href="https://example.com/"')
        # menu: live show_in_menus pages under the home page, in tree order
        html = response.content.decode()
        menu = html[html.index('class="main-menu"') : html.index("</ul>", html.index('class="main-menu"'))]
        self.assertIn(">About us<", menu)
        self.assertIn(">Journal<", menu)
        self.assertIn(">Contact<", menu)
        self.assertNotIn(">Gift boxes<", menu)  # not show_in_menus
        self.assertContains(response, 'action="/search/"')
        self.assertContains(response, 'name="q"')
        self.assertContains(response, 'class="skip-link"')
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, 'rel="icon"')

    def test_parent_and_child_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPage})
        self.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogPage, set())
        self.assertAllowedSubpageTypes(LandingPage, set())
        self.assertAllowedParentPageTypes(LandingPage, {HomePage})
        self.assertAllowedSubpageTypes(ContactPage, set())
        self.assertAllowedParentPageTypes(ContactPage, {HomePage})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        allowed_under_home = set(HomePage.allowed_subpage_models())
        self.assertTrue({StandardPage, LandingPage, BlogIndexPage, ContactPage} <= allowed_under_home)
        self.assertNotIn(BlogPage, allowed_under_home)
        self.assertNotIn(HomePage, allowed_under_home)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(LandingPage, BlogPage)


class BlogIndexTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()
        blog = cls.pages["blog"]

        for i in range(11):
            post = BlogPage(
                title=f"Post {i}",
                slug=f"post-{i}",
                intro=f"Intro {i}",
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            )
            post.tags.add("news" if i % 2 else "recipes")
            blog.add_child(instance=post)
            post.save_revision().publish()

    def test_newest_first_and_paginated(self):
        response = self.client.get("/journal/")
        posts = list(response.context["posts"])
        self.assertEqual(len(posts), 9)
        dates = [p.date for p in posts]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertContains(response, "Page 1 of 2")
        response = self.client.get("/journal/?page=2")
        self.assertEqual(len(response.context["posts"]), 3)

    def test_bad_page_numbers_never_fail(self):
        for value in ("999", "abc", "-1", ""):
            with self.subTest(page=value):
                self.assertEqual(self.client.get(f"/journal/?page={value}").status_code, 200)

    def test_tag_filter(self):
        response = self.client.get("/journal/?tag=recipes")
        titles = {p.title for p in response.context["posts"]}
        self.assertEqual(titles, {f"Post {i}" for i in range(0, 11, 2)})
        self.assertContains(response, 'class="chip is-active"')
        response = self.client.get("/journal/?tag=unknown")
        self.assertEqual(len(response.context["posts"]), 0)
        self.assertContains(response, "No posts with this tag yet")

    def test_rss_feed_lists_latest_posts(self):
        index = self.client.get("/journal/")
        self.assertContains(index, 'rel="alternate" type="application/rss+xml"')
        self.assertContains(index, 'href="/journal/feed/"')
        response = self.client.get("/journal/feed/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/rss+xml", response["Content-Type"])
        body = response.content.decode()
        self.assertIn("<title>Post 10</title>", body)
        self.assertIn("http://localhost/journal/post-10/", body)
        self.assertLess(body.index("Post 10"), body.index("Post 9<"))
        self.assertIn("<category>recipes</category>", body)

    def test_post_page_shows_meta_and_tags(self):
        response = self.client.get("/journal/macaron-secrets/")
        self.assertContains(response, "Macaron secrets")
        self.assertContains(response, "by Camille")
        self.assertContains(response, 'href="/journal/?tag=macarons"')
        self.assertContains(response, '<nav class="breadcrumbs" aria-label="Breadcrumb">')
        self.assertContains(response, 'href="/journal/feed/"')
