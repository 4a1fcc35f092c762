from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        # Cached menu and footer links are rebuilt when pages or Site settings change.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from home import navigation
        from home.models import SiteSettings

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(navigation.invalidate, dispatch_uid=f"home-nav-{signal!r}")
        from wagtail.images import get_image_model

        from wagtailseo.models import SeoSettings

        for model in (Page, SiteSettings, SeoSettings, Site, PageViewRestriction, get_image_model()):
            post_save.connect(navigation.invalidate, sender=model, dispatch_uid=f"home-nav-save-{model.__name__}")
            post_delete.connect(navigation.invalidate, sender=model, dispatch_uid=f"home-nav-del-{model.__name__}")

        # Cached HTML of page-body blocks (product grids, courses...) is dropped on content changes.
        from home import cache as block_cache

        block_cache.connect_signals()
