from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "govpub.supervision"
    label = "supervision"
    verbose_name = "监督考核"

    def ready(self):
        from govpub.lexicons.signals import lexicon_changed

        lexicon_changed.connect(_rescan_archive, dispatch_uid="supervision.rescan_on_lexicon_change")


def _rescan_archive(sender, **kwargs) -> None:
    """A lexicon change: the published archive is checked again with the new rows (a durable job)."""
    from .tasks import rescan_archive

    rescan_archive()
