"""Domain exceptions → HTTP: every error body is {"detail": "<中文说明>", ...}."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja import errors as ninja_errors

from govpub.content.actions import EditConflict
from govpub.publishing.actions import GateRefused
from govpub.review.actions import StaleRevision, SubmitBlocked

from .auth import AccountRefused


def _messages(error: ValidationError) -> tuple[str, dict | None]:
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        return "；".join(m for messages in fields.values() for m in messages), fields
    return "；".join(str(m) for m in error.messages), None


def install(api) -> None:
    def respond(request, body, status):
        return api.create_response(request, body, status=status)

    @api.exception_handler(ninja_errors.AuthenticationError)
    def unauthenticated(request, exc):
        if isinstance(exc, AccountRefused):  # a real token, but its person may not act now: say why
            response = respond(request, {"detail": exc.message}, exc.status_code)
        else:
            response = respond(request, {"detail": "未认证：请在 Authorization 请求头中提供有效的接口令牌（Bearer）。"}, 401)
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="govpub"'
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, {"detail": str(exc) or "您没有权限执行此操作。"}, 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, {"detail": "对象不存在，或您无权查看。"}, 404)

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return respond(request, {"detail": "对象不存在，或您无权查看。"}, 404)

    @api.exception_handler(SubmitBlocked)
    def submit_blocked(request, exc):
        detail, _ = _messages(exc)
        return respond(request, {"detail": detail, "findings": [f.as_dict() for f in exc.findings]}, 409)

    @api.exception_handler(StaleRevision)
    def stale(request, exc):
        detail, _ = _messages(exc)
        return respond(request, {"detail": detail}, 409)

    @api.exception_handler(EditConflict)
    def edit_conflict(request, exc):
        from .endpoints import _revision

        return respond(request, {"detail": " ".join(exc.messages), "current_revision": _revision(exc.current)}, 409)

    @api.exception_handler(GateRefused)
    def gate_refused(request, exc):
        detail, _ = _messages(exc)
        return respond(request, {"detail": detail, "problems": list(exc.problems)}, 409)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        detail, fields = _messages(exc)
        body = {"detail": detail or "请求数据有误。"}
        if fields:
            body["errors"] = fields
        return respond(request, body, 400)

    @api.exception_handler(ninja_errors.ValidationError)
    def malformed(request, exc):
        problems = []
        for error in exc.errors:
            problems.append({"loc": [p if isinstance(p, int) else str(p) for p in error.get("loc", ())], "msg": str(error.get("msg", "")),
                             "type": str(error.get("type", ""))})
        return respond(request, {"detail": "请求数据不符合接口要求（须为单个 JSON 对象，字段见 OpenAPI 文档）。",
                                 "errors": problems}, 422)

    @api.exception_handler(ninja_errors.HttpError)
    def http_error(request, exc):
        messages = {400: "请求无法解析（须为 JSON）。", 405: "不支持该请求方法。", 429: "请求过于频繁，请稍后再试。"}
        return respond(request, {"detail": messages.get(exc.status_code, str(exc))}, exc.status_code)
