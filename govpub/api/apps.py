from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "govpub.api"
    label = "api"
    verbose_name = "接口"
