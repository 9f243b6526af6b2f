"""API Gateway REST proxy events (payload format 1.0), complete as API Gateway sends them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

STAGE = "dev"
API_ID = "a1b2c3d4e5"


def rest_event(
    method: str,
    path: str,
    *,
    body: str | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    request_id: str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
) -> dict[str, Any]:
    """An event for ``method path``; ``path`` is the resource path without the stage."""
    segments = path.strip("/").split("/")
    is_item = len(segments) == 2
    resource = f"/{segments[0]}/{{id}}" if is_item else path
    all_headers = {
        "Accept": "application/json",
        "Host": f"{API_ID}.execute-api.us-east-1.amazonaws.com",
        "User-Agent": "pytest",
        "X-Amzn-Trace-Id": "Root=1-5e1b4151-5ac6c58f5b5daa6532e4f0ea",
        "X-Forwarded-For": "127.0.0.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        **(headers or {}),
    }
    if isinstance(body, dict):
        body = json.dumps(body)
    if body is not None:
        all_headers.setdefault("Content-Type", "application/json")
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": dict(query) if query else None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"id": segments[1]} if is_item else None,
        "stageVariables": {"environment": STAGE, "functionAlias": "live"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_ID,
            "resourceId": "abc123",
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": "EXTENDED=",
            "requestId": request_id,
            "path": f"/{STAGE}{quote(path)}",
            "stage": STAGE,
            "protocol": "HTTP/1.1",
            "requestTime": "04/Dec/2026:20:00:00 +0000",
            "requestTimeEpoch": 1796500800000,
            "domainName": f"{API_ID}.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": API_ID,
            "identity": {
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
                "apiKey": "test-key",
                "apiKeyId": "key123",
                "accountId": None,
                "caller": None,
                "user": None,
                "userArn": None,
                "accessKey": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
            },
        },
        "body": body,
        "isBase64Encoded": False,
    }


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that the handler and Powertools read."""

    function_name: str = "serverless-app-dev-api"
    function_version: str = "1"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:serverless-app-dev-api:live"
    aws_request_id: str = "b3a1c1d2-0000-4000-8000-000000000000"
    log_group_name: str = "/aws/lambda/serverless-app-dev-api"
    log_stream_name: str = "2026/12/04/[1]abcdef"
    remaining_ms: int = 10_000
    identity: Any = field(default=None)
    client_context: Any = field(default=None)

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@dataclass(frozen=True)
class Reply:
    """A handler response, decoded: status, headers (case as sent) and JSON body (or None)."""

    status: int
    headers: dict[str, str]
    body: Any
    raw_body: str

    @classmethod
    def of(cls, response: dict[str, Any]) -> Reply:
        headers = dict(response.get("headers") or {})
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(values)
        raw = response.get("body") or ""
        return cls(response["statusCode"], headers, json.loads(raw) if raw else None, raw)
