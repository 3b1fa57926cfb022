from django.urls import path

from . import views

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("items/<int:pk>/decide/", views.decide, name="item_decide"),
    path("items/<int:pk>/annotate/", views.annotate, name="item_annotate"),
    path("items/<int:pk>/check/", views.item_check, name="item_check"),
    path("items/<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("findings/<int:pk>/apply/", views.finding_apply, name="finding_apply"),
    path("items/<int:pk>/findings/apply/", views.findings_apply, name="findings_apply"),
    path("findings/<int:pk>/dismiss/", views.finding_dismiss, name="finding_dismiss"),
]
