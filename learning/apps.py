from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        # Course seats and 1:1 lessons become purchasable kinds the shop's cart understands.
        from . import purchasables  # noqa: F401
