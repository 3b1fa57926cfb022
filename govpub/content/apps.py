from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govpub.content"
    label = "content"
    verbose_name = "稿件"
