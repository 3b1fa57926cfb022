from django.urls import path

from . import views

urlpatterns = [
    path("accounts/2fa/setup/", views.setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", views.verify, name="two_factor_verify"),
    path("accounts/security/", views.security, name="account_security"),
    path("accounts/security/recovery-codes/", views.regenerate_recovery_codes, name="two_factor_recovery_regenerate"),
    path("staff/people/<int:pk>/2fa/reset/", views.reset, name="two_factor_reset"),
]
