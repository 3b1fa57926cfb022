from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "govpub.orgs"
    label = "orgs"
    verbose_name = "单位与人员"

    def ready(self):
        from . import accounts  # noqa: F401  (login/logout receivers for the account policies)
