from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "base"
    verbose_name = "Site"

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from base import attention, cache, jobs, navigation, purge  # noqa: PLC0415

        navigation.connect_signals()
        cache.connect_signals()
        purge.connect_signals()
        attention.connect()  # emails failed for good → "needs attention"
        jobs.register()  # publish_scheduled, outbox delivery, heartbeats, task pruning
