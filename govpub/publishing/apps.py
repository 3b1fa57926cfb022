from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govpub.publishing"
    label = "publishing"
    verbose_name = "发布"
