"""shop's models, one module per concern; this package re-exports them for Django."""

from .orders import *  # noqa: F401,F403
