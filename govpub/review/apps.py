from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "govpub.review"
    label = "review"
    verbose_name = "审核"
