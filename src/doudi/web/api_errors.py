"""The API's answer to a request it cannot read, Chinese first (issue #19 §4).

django-ninja answers a body that is no JSON with "Cannot parse request body" and a field
of the wrong kind with pydantic's English list (422); a caseworker's system reads
``detail`` in Chinese like every other refusal of the API, with the English beside it.
Both are a 400: the request is wrong, whatever part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


def invalid(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The body of a 400 for pydantic's ``errors``: each field and what it should be."""
    problems = [f"字段 {_where(e.get('loc') or ())}：{_kind(e)}" for e in errors]
    detail = "请求内容有误：" + "；".join(problems) + " / invalid request"
    return {"detail": detail, "problems": problems}


def http_error(status: int, message: str) -> dict[str, Any]:
    """The body of ninja's own HTTP error (a body that is no JSON, a missing token)."""
    return {"detail": f"{STATUSES.get(status, '请求有误')} / {message}"}


def _where(loc: Iterable[Any]) -> str:
    """The field a location names, without the request part and the parameter's own
    name (["body", "payload", "bill"] → bill; ["form", "as_of"] → as_of)."""
    parts = [str(p) for p in loc][1:]
    return ".".join(parts[1:] if len(parts) > 1 else parts) or "请求"


def _kind(error: Mapping[str, Any]) -> str:
    return KINDS.get(str(error.get("type")), f"格式不对（{error.get('msg', '')}）")
