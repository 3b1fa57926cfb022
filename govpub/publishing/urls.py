from django.urls import path

from . import views

urlpatterns = [
    path("publishing/", views.publishing_list, name="publishing_list"),
    path("items/<int:pk>/publish/", views.publish, name="item_publish"),
    path("items/<int:pk>/cancel-schedule/", views.cancel_schedule, name="item_cancel_schedule"),
    path("items/<int:pk>/withdraw/", views.withdraw, name="item_withdraw"),
    path("items/<int:pk>/slip/", views.item_slip, name="item_slip"),
    path("items/<int:pk>/preview/wechat/", views.item_preview_wechat, name="item_preview_wechat"),
    path("items/<int:pk>/slip.pdf", views.item_slip_pdf, name="item_slip_pdf"),
]
