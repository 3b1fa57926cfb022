"""The second step of signing in: after the password, a session is not let into the staff site until it has
passed a TOTP code (or a recovery code) — for everyone whose role requires it, and for anyone who enrolled."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import policy

# Always reachable: signing out, and the 2FA pages themselves (marked with @two_factor_exempt).
EXEMPT_URL_NAMES = frozenset({"logout"})


def two_factor_exempt(view):
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """Placed after LoginRequiredMiddleware, so it only ever sees signed-in people on non-public views.

    Public views (portal, health checks, the login page, the token-authenticated API, platform hooks) are
    marked login_not_required and pass untouched; static files are served by WhiteNoise before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or getattr(view_func, "two_factor_exempt", False):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        user = request.user
        if not user.is_authenticated or policy.is_verified(user):
            return None
        # After the code, go back where the person was headed; a POST cannot be replayed, so it goes home.
        query = urlencode({"next": request.get_full_path() if request.method in ("GET", "HEAD") else reverse("home")})
        if policy.has_confirmed_device(user):
            return redirect(f"{reverse('two_factor_verify')}?{query}")
        if policy.role_requires_two_factor(user):
            return redirect(f"{reverse('two_factor_setup')}?{query}")
        return None
