from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        # Course seats and 1:1 lessons become purchasable kinds the shop's cart understands.
        from base import scheduling  # noqa: PLC0415
        from learning import booking, purchasables  # noqa: F401, PLC0415 - imports models: only once apps are ready

        scheduling.register("complete_past_bookings", booking.complete_past_bookings, cron="*/15 * * * *")
