"""home's models, one module per concern; this package re-exports them for Django."""

from .pages import *  # noqa: F401,F403
