from django.apps import AppConfig


class LexiconsConfig(AppConfig):
    name = "govpub.lexicons"
    label = "lexicons"
    verbose_name = "词库"
