from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "govpub.twofactor"
    label = "twofactor"
    verbose_name = "双因素认证"
