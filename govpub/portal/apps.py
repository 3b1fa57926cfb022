from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "govpub.portal"
    label = "portal"
    verbose_name = "政府网站"

    def ready(self):
        from govpub.content import lifecycle

        from . import signals

        signals.connect()
        # The lists change in the same transaction as what they list (the search catalogue follows on commit).
        for event in ("publish", "withdraw"):
            lifecycle.on(event, _relist)


def _relist(item, acting_user, previous_state) -> None:
    from .listing import relist

    relist(item.pk)
