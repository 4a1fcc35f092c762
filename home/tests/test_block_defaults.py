"""Every block an editor can add publishes as added: each block of every page stream, left at
its defaults, goes through the real Wagtail admin form (add page → publish) and the page renders.
"""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from base.blocks import BasicStreamBlock
from home.models import LandingPage
from home.streams import PageStreamBlock

from .block_forms import form_data, streamblock
from .factories import build_site


class BlocksPublishAtTheirDefaultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@petitfour.example", "pw-editor-1")

    def test_every_stream_block_is_covered(self):
        """Product and course descriptions use BasicStreamBlock: its blocks are PageStreamBlock's."""
        basic, full = BasicStreamBlock().child_blocks, PageStreamBlock().child_blocks
        self.assertLessEqual(set(basic), set(full))
        for name, block in basic.items():
            self.assertIs(type(block), type(full[name]), name)

    def test_each_block_at_its_defaults_publishes_and_renders(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:add", args=("home", "landingpage", self.pages["home"].pk))
        stream = PageStreamBlock()
        self.assertGreaterEqual(len(stream.child_blocks), 18)
        for name, block in stream.child_blocks.items():
            with self.subTest(block=name):
                slug = "block-" + name.replace("_", "-")
                data = nested_form_data(
                    {
                        "title": f"Block {name}",
                        "slug": slug,
                        "body": streamblock([(name, form_data(block, block.get_default()))]),
                        "action-publish": "publish",
                    }
                )
                response = self.client.post(url, data)
                errors = ""
                if response.status_code == 200:
                    errors = [e.as_json_data() for e in response.context["form"]["body"].errors.as_data()]
                self.assertEqual(response.status_code, 302, f"{name}: {errors}")
                page = LandingPage.objects.get(slug=slug)
                self.assertTrue(page.live)
                self.assertEqual([child.block_type for child in page.body], [name])
                self.assertEqual(self.client.get(page.url).status_code, 200)
