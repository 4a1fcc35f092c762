"""An editor builds a landing page from blocks in the Wagtail admin and publishes it."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import LandingPage

from .factories import build_site


def listblock(items):
    """Form data for a ListBlock: ``prefix-count`` and ``prefix-N-value/-deleted/-order/-id``."""
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


class EditorCreatesLandingPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@petitfour.example", "pw-editor-1")

    def test_landing_page_with_seven_blocks_is_published_and_rendered(self):
        self.client.force_login(self.editor)
        home, about, image = self.pages["home"], self.pages["about"], self.pages["image"]
        url = reverse("wagtailadmin_pages:add", args=("home", "landingpage", home.pk))
        self.assertEqual(self.client.get(url).status_code, 200)

        body = streamfield(
            [
                ("heading", {"text": "Easter boxes", "level": "h2"}),
                ("paragraph", rich_text("<p>Chocolate eggs, <b>hand-painted</b>.</p>")),
                (
                    "image",
                    {
                        "image": {"image": image.pk, "decorative": "", "alt_text": "A pink box"},
                        "caption": "Our Easter box",
                        "width": "wide",
                    },
                ),
                ("quote", {"quote": "Too pretty to eat.", "attribution": "Léa"}),
                (
                    "faq",
                    {
                        "heading": "Questions",
                        "items": listblock(
                            [
                                {"question": "Do they melt?", "answer": rich_text("<p>Keep them cool.</p>")},
                            ]
                        ),
                    },
                ),
                (
                    "card_grid",
                    {
                        "heading": "More",
                        "cards": listblock(
                            [
                                {"page": about.pk, "title": "Our story", "text": "Since 2014.", "image": ""},
                            ]
                        ),
                    },
                ),
                (
                    "call_to_action",
                    {
                        "heading": "Order now",
                        "text": "Until Sunday.",
                        "style": "butter",
                        "link": {"label": "See the story", "page": about.pk, "link_url": ""},
                    },
                ),
                (
                    "opening_hours",
                    {
                        "heading": "Easter hours",
                        "note": "",
                        "rows": listblock(
                            [
                                {"day": "Sa", "opens": "08:00", "closes": "18:00", "closed": ""},
                                {"day": "Su", "opens": "", "closes": "", "closed": "on"},
                            ]
                        ),
                    },
                ),
            ]
        )
        data = nested_form_data(
            {
                "title": "Easter",
                "slug": "easter",
                "body": body,
                "canonical_url": "",
                "seo_title": "",
                "search_description": "",
                "action-publish": "publish",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])

        page = LandingPage.objects.get(slug="easter")
        self.assertTrue(page.live)
        self.assertEqual(
            [b.block_type for b in page.body],
            ["heading", "paragraph", "image", "quote", "faq", "card_grid", "call_to_action", "opening_hours"],
        )

        self.client.logout()
        response = self.client.get("/easter/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h2 class="block-heading" id="easter-boxes">Easter boxes</h2>', html=True)
        self.assertContains(response, "<b>hand-painted</b>")
        self.assertContains(response, 'alt="A pink box"')
        self.assertContains(response, "<figcaption>Our Easter box</figcaption>", html=True)
        self.assertContains(response, "Too pretty to eat.")
        self.assertContains(response, '<summary class="faq__question">Do they melt?</summary>', html=True)
        self.assertContains(response, 'href="/about/">Our story</a>')
        self.assertContains(response, 'class="cta cta--butter"')
        self.assertContains(response, ">See the story</a>")
        self.assertContains(response, "Easter hours")
        self.assertContains(response, "Closed")

    def test_call_to_action_needs_a_page_or_url(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:add", args=("home", "landingpage", self.pages["home"].pk))
        data = nested_form_data(
            {
                "title": "Broken",
                "slug": "broken",
                "body": streamfield(
                    [
                        (
                            "call_to_action",
                            {
                                "heading": "Go",
                                "text": "",
                                "style": "raspberry",
                                "link": {"label": "Nowhere", "page": "", "link_url": ""},
                            },
                        )
                    ]
                ),
                "action-publish": "publish",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)  # form shown again with an error
        self.assertFalse(LandingPage.objects.filter(slug="broken").exists())
