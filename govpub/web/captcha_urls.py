"""django-simple-captcha's image URL, reachable before login (the login form shows the image).

Only the image is exposed: its refresh endpoint needs JavaScript (a new image comes from reloading
the login page instead) and the audio one needs flite, which is not installed.
"""

from __future__ import annotations

from captcha.urls import urlpatterns as _captcha_patterns
from django.contrib.auth.decorators import login_not_required

urlpatterns = [p for p in _captcha_patterns if p.name == "captcha-image"]
for _pattern in urlpatterns:
    login_not_required(_pattern.callback)
