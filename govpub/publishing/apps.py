from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govpub.publishing"
    label = "publishing"
    verbose_name = "发布"

    def ready(self):
        from govpub.content import panels

        from .views import publishing_context

        # The item page shows the publish panel below review's, without content importing publishing.
        panels.register("publishing", publishing_context, order=20, template="publishing/panel.html")
