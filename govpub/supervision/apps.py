from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "govpub.supervision"
    label = "supervision"
    verbose_name = "监督考核"

    def ready(self):
        from govpub.lexicons.signals import lexicon_changed
        from govpub.orgs import actions as org_actions

        from .actions import record_lift_in_tickets

        lexicon_changed.connect(_rescan_archive, dispatch_uid="supervision.rescan_on_lexicon_change")
        org_actions.on_lift(record_lift_in_tickets)


def _rescan_archive(sender, **kwargs) -> None:
    """A lexicon change: the published archive is checked again with the new rows (a durable job)."""
    from .tasks import rescan_archive

    rescan_archive()
