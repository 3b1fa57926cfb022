from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govpub.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from . import signals  # noqa: F401  (login success/failure events)
