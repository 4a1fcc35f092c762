from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        # Course seats and 1:1 lessons become purchasable kinds the shop's cart understands.
        from base import scheduling  # noqa: PLC0415
        from learning import booking, purchasables, purges  # noqa: F401, PLC0415 - imports models: only once apps are ready
        from learning.models.bookings import Booking  # noqa: PLC0415 - models need a ready registry
        from learning.models.courses import CourseSession  # noqa: PLC0415 - models need a ready registry
        from shop import signals  # noqa: PLC0415 - receivers below

        scheduling.register("complete_past_bookings", booking.complete_past_bookings, cron="*/15 * * * *")
        # Seats or slots changed: purge only the cached pages that show these courses/teachers.
        signals.order_paid.connect(purges.purge_order_bookings, dispatch_uid="learning-purge-order-paid")
        signals.order_refunded.connect(purges.purge_order_bookings, dispatch_uid="learning-purge-order-refunded")
        for model, receiver in ((Booking, purges.purge_booking), (CourseSession, purges.purge_session)):
            post_save.connect(receiver, sender=model, dispatch_uid=f"learning-purge-save-{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"learning-purge-delete-{model.__name__}")
