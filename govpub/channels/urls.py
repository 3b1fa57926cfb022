from django.urls import path

from . import views

urlpatterns = [
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/new/", views.channel_create, name="channel_create"),
    path("channels/content-list/", views.content_list_all, name="content_list_all"),
    path("channels/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/status/", views.channel_status, name="channel_status"),
    path("channels/<int:pk>/columns/new/", views.column_create, name="column_create"),
    path("channels/<int:pk>/content-list/new/", views.content_list_add, name="content_list_add"),
    path("content-list/<int:pk>/deactivate/", views.content_list_deactivate, name="content_list_deactivate"),
]
