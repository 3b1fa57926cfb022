from django.urls import path

from . import views

urlpatterns = [
    path("lexicons/", views.lexicon_list, name="lexicon_list"),
    path("lexicons/add/", views.lexicon_add, name="lexicon_add"),
    path("lexicons/import/", views.lexicon_import, name="lexicon_import"),
    path("lexicons/<int:pk>/deactivate/", views.lexicon_deactivate, name="lexicon_deactivate"),
]
