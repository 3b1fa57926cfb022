from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "govpub.notifications"
    label = "notifications"
    verbose_name = "通知"
