from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "govpub.jobs"
    label = "jobs"
    verbose_name = "后台作业"
