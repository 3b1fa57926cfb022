from django.urls import path

from . import views

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/confidentiality-review/", views.unit_confidentiality_review, name="unit_confidentiality_review"),
    path("units/<int:pk>/suspend/", views.unit_suspend, name="unit_suspend"),
    path("units/<int:pk>/lift/", views.unit_lift, name="unit_lift"),
    path("units/<int:pk>/roles/grant/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
]
