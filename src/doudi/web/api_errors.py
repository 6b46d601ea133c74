"""Every error of the API has one shape, ``{"error": "<Chinese message> / <English>",
…}`` (docs/web.md), whatever refused the request (issue #19 §4).

Before, the API's own refusals said ``detail`` (django-ninja's key), a job's failure said
``error``, and what never reached a view of the API came back as something else: a
method the address does not take ninja's text "Method not allowed" (405), an unknown
address Django's 404 page, a server error the 500 page. django-ninja answers a body that
is no JSON with "Cannot parse request body" and a field of the wrong kind with
pydantic's English list (422); both are a 400 here, in Chinese, with ``problems``
naming each field. :func:`error` is the one place the key is named; the middleware
gives every error answer under ``/api/`` that is not already JSON the same body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

#: Where the API is served (web/urls.py).
PREFIX = "/api/"

#: pydantic's error types → what the field should have been.
KINDS = {
    "missing": "缺少此字段",
    "string_type": "应为文本",
    "dict_type": "应为对象（键: 值）",
    "model_type": "应为对象（键: 值）",
    "model_attributes_type": "应为对象（键: 值）",
    "list_type": "应为列表",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为 YYYY-MM-DD 格式的日期",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_inexact": "应为 YYYY-MM-DD 格式的日期",
    "json_invalid": "不是有效的 JSON",
}
#: An HTTP error of the API's own (ninja's HttpError) by its status.
STATUSES = {
    400: "请求内容无法解析，应为有效的 JSON 或表单",
    401: "未提供有效的令牌（Authorization: Bearer dd_…）",
    403: "无权访问",
    404: "未找到",
    405: "不支持此请求方法",
    429: "请求过于频繁，请稍后再试",
}
#: An error answer that is no JSON (it never reached a view of the API), by its status.
ANSWERS = {
    400: "请求有误",
    404: "接口地址不存在",
    405: "此接口地址不支持该请求方法",
    413: "请求内容过大",
    # not "nothing changed": a job may already have been submitted, or a write committed
    500: "服务器处理此请求时出错，操作可能未完成，请核对后重试；仍出错请联系系统管理员",
}


def error(message: str, **fields: Any) -> dict[str, Any]:
    """The body of every error of the API: the Chinese-first ``message`` under
    ``error``, and what else the answer carries (``problems``: each field refused)."""
    return {"error": message, **fields}


def invalid(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The body of a 400 for pydantic's ``errors``: each field and what it should be."""
    problems = [f"字段 {_where(e.get('loc') or ())}：{_kind(e)}" for e in errors]
    return error("请求内容有误：" + "；".join(problems) + " / invalid request", problems=problems)


def http_error(status: int, message: str) -> dict[str, Any]:
    """The body of ninja's own HTTP error (a body that is no JSON, a missing token)."""
    return error(f"{STATUSES.get(status, '请求有误')} / {message}")


def answer_error(response: HttpResponse) -> JsonResponse:
    """An error answer that is no JSON, as the API's: the status kept, the page or
    text replaced (it is English, or a page a program cannot read); a 405 names the
    methods the address takes, as its ``Allow`` header does."""
    status = response.status_code
    said = ANSWERS.get(status, "请求有误" if status < 500 else ANSWERS[500])
    allowed = response.get("Allow", "")
    if status == 405 and allowed:
        said += f"（可用：{allowed}）"
    body = error(f"{said} / {response.reason_phrase}")
    out = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if allowed:
        out["Allow"] = allowed
    return out


class JsonErrorsMiddleware:
    """Every error answer under :data:`PREFIX` that is not JSON becomes the API's error
    body: ninja's 405 text, Django's 404 page of an unknown address, the 400 page of a
    request Django refused and the 500 page of a server error (which Django has logged
    with its traceback by the time the answer passes here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return answer_error(response)
        return response


def _where(loc: Iterable[Any]) -> str:
    """The field a location names, without the request part and the parameter's own
    name (["body", "payload", "bill"] → bill; ["form", "as_of"] → as_of)."""
    parts = [str(p) for p in loc][1:]
    return ".".join(parts[1:] if len(parts) > 1 else parts) or "请求"


def _kind(error: Mapping[str, Any]) -> str:
    return KINDS.get(str(error.get("type")), f"格式不对（{error.get('msg', '')}）")
