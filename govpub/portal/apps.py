from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "govpub.portal"
    label = "portal"
    verbose_name = "政府网站"

    def ready(self):
        from . import signals

        signals.connect()
