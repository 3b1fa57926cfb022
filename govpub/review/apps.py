from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "govpub.review"
    label = "review"
    verbose_name = "审核"

    def ready(self):
        from govpub.content import lifecycle, panels

        from .actions import VOID_REASONS, void_active_run
        from .views import review_context

        for event in VOID_REASONS:  # content changes and withdrawals void the run in the same transaction
            lifecycle.on(event, void_active_run(event))
        # The item page shows the review panel (decision form, history) without content importing review.
        panels.register("review", review_context, order=10, template="review/panel.html")
