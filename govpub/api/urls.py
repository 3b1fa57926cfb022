"""The API's URL patterns, exempt from LoginRequiredMiddleware: the API authenticates by token, not session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from .endpoints import api


def _exempt(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls
api_urls = (_exempt(_patterns), _app_name, _namespace)
