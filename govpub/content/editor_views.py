"""The body editor's two helpers: clean pasted HTML, and 一键排版. JSON in and out; nothing is stored here
(the editor inserts the answer, and the save that follows goes through the content actions)."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from . import policy
from .paste import HTML_TOO_LARGE, MAX_HTML_BYTES, clean_paste
from .typeset import typeset

BAD_REQUEST = "请求数据有误：须为 JSON 对象 {\"html\": \"…\"}。"


def _html_from(request):
    """(html, None) or (None, the error response)."""
    if not policy.can_use_editor_tools(request.user):
        return None, JsonResponse({"detail": policy.EDITOR_TOOLS_REFUSAL}, status=403)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_HTML_BYTES or len(request.body) > MAX_HTML_BYTES:
        return None, JsonResponse({"detail": HTML_TOO_LARGE}, status=413)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("html"), str):
        return None, JsonResponse({"detail": BAD_REQUEST}, status=400)
    return data["html"], None


@require_POST
def editor_clean(request):
    html, refused = _html_from(request)
    if refused:
        return refused
    pasted = clean_paste(html)
    return JsonResponse({"html": pasted.html, "notes": pasted.notes}, json_dumps_params={"ensure_ascii": False})


@require_POST
def editor_typeset(request):
    html, refused = _html_from(request)
    if refused:
        return refused
    return JsonResponse({"html": typeset(html)}, json_dumps_params={"ensure_ascii": False})
