from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "govpub.channels"
    label = "channels"
    verbose_name = "渠道"
