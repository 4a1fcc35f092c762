from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The "Petit Four" demo (``load_demo``, ``bootstrap_dev``): development and test settings only."""

    name = "demo"
    verbose_name = "Demo"
