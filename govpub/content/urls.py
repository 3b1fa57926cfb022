from django.urls import path

from . import editor_views, views

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/diff/", views.item_diff, name="item_diff"),
    path("items/<int:pk>/images/", views.item_image_upload, name="item_image_upload"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("editor/clean/", editor_views.editor_clean, name="editor_clean"),
    path("editor/typeset/", editor_views.editor_typeset, name="editor_typeset"),
]
