"""base's models: the abstract BasePage every page type inherits, and the site settings."""

from .pages import BasePage
from .settings import SiteSettings

__all__ = ["BasePage", "SiteSettings"]
