import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login


class IdleTimeoutMiddleware:
    """Sign out a session that has been idle longer than SESSION_IDLE_SECONDS."""

    KEY = "govpub_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, "由于长时间未操作，您已自动退出，请重新登录。")
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute to spare the session store.
            if last_seen is None or now - int(last_seen) > 60:
                request.session[self.KEY] = now
        return self.get_response(request)


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script or style, nothing from other hosts) on every
    response that does not set its own, plus headers that switch off browser features nobody here needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
