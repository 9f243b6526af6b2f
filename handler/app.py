"""The data API: CRUD over DynamoDB behind API Gateway (REST, Lambda proxy integration).

Routes parse and validate; ``store`` does the single conditional DynamoDB request;
``_error`` maps every failure to a JSON ``{"message": ...}`` response; ``_respond``
sets the headers every response needs.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config
from items import BadRequest, TooLarge, dumps, is_item_id, new_item_id, parse_object
from store import NotFound, Store, Unavailable, VersionMismatch

# Bounded: a dead, hung or throttling DynamoDB yields a 503 within about 5 s (two
# attempts of at most 1 s to connect and 2 s to answer, plus one backoff), well
# inside the function's 10 s timeout, instead of a hung invocation. DynamoDB
# answers in milliseconds, so these bounds only ever cut off a failure.
_CLIENT_CONFIG = Config(
    connect_timeout=1, read_timeout=2, retries={"mode": "standard", "total_max_attempts": 2}
)
# No endpoint_url: boto3 honours AWS_ENDPOINT_URL_DYNAMODB by itself.
store = Store(boto3.client("dynamodb", config=_CLIENT_CONFIG), os.environ["TABLE_NAME"])

logger = Logger()
# DynamoDB (through botocore) is the only thing the function calls; patching just
# botocore gives one subsegment per request and spares the cold start patch_all's
# imports and wrappers of every other supported library.
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()
app = APIGatewayRestResolver()

ALLOW_ORIGIN = os.environ.get("CORS_ALLOW_ORIGIN", "*")
# The collection's path; tapgen sets it when the function serves another one.
BASE = os.environ.get("API_BASE_PATH", "/data")
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
# Paths the API serves and the methods each allows, for 405 and its Allow header.
_ALLOWED = (
    (re.compile(rf"^{re.escape(BASE)}/?$"), ("GET", "POST")),
    (re.compile(rf"^{re.escape(BASE)}/[^/]+/?$"), ("GET", "PUT", "DELETE")),
)
_ETAG = re.compile(r'^(W/)?"(\d{1,18})"$')
# If-Match compares strongly (RFC 9110, 13.1.1): a weak tag matches no version.
_NO_VERSION = -1


class ApiError(Exception):
    """A failure with the status and message the client gets."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _respond(status: HTTPStatus, body: Any = None, headers: dict[str, str] | None = None) -> Response[str]:
    """The one place response headers are set: CORS on every response, JSON unless 204.

    Powertools' CORS support only answers requests with an Origin header, and API
    Gateway passes our headers through as they are.
    """
    all_headers = {
        "Access-Control-Allow-Origin": ALLOW_ORIGIN,
        "Access-Control-Expose-Headers": "ETag, Location",
    }
    all_headers.update(headers or {})
    if status == HTTPStatus.NO_CONTENT:
        return Response(status_code=status, headers=all_headers, body="")
    return Response(
        status_code=status, content_type="application/json", headers=all_headers, body=dumps(body)
    )


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _item_id(raw: str) -> str:
    # Ids are UUIDs we issued; anything else cannot exist.
    if not is_item_id(raw):
        raise ApiError(HTTPStatus.NOT_FOUND, "item not found")
    return raw


def _if_match() -> list[int] | None:
    """Versions named by If-Match (None for no header or ``*``); 400 when malformed.

    Weak tags stand for a version no item has, so the conditional write still tells a
    missing item (404) from a mismatch (412) in its single request.
    """
    header = app.current_event.headers.get("If-Match")  # Powertools' headers ignore case
    if header is None or header.strip() == "*":
        return None
    versions = []
    for tag in header.split(","):
        match = _ETAG.match(tag.strip())
        if match is None:
            raise ApiError(HTTPStatus.BAD_REQUEST, 'If-Match must be "*" or ETags such as "3"')
        versions.append(_NO_VERSION if match.group(1) else int(match.group(2)))
    return versions


def _limit() -> int:
    raw = app.current_event.get_query_string_value("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _count(name: str) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


@app.get(BASE)
@tracer.capture_method
def list_items() -> Response[str]:
    items, next_token = store.page(_limit(), app.current_event.get_query_string_value("next_token"))
    _count("ItemsListed")
    return _respond(HTTPStatus.OK, {"items": items, "count": len(items), "next_token": next_token})


@app.post(BASE)
@tracer.capture_method
def create_item() -> Response[str]:
    data = parse_object(app.current_event.body)
    now = _now()
    item = {"id": new_item_id(), "data": data, "created_at": now, "updated_at": now, "version": 1}
    store.create(item)
    _count("ItemCreated")
    return _respond(HTTPStatus.CREATED, item, {"Location": f"{BASE}/{item['id']}", **_etag(1)})


@app.get(f"{BASE}/<item_id>")
@tracer.capture_method
def get_item(item_id: str) -> Response[str]:
    item = store.get(_item_id(item_id))
    _count("ItemRead")
    return _respond(HTTPStatus.OK, item, _etag(item["version"]))


@app.put(f"{BASE}/<item_id>")
@tracer.capture_method
def update_item(item_id: str) -> Response[str]:
    key = _item_id(item_id)
    versions = _if_match()
    data = parse_object(app.current_event.body)
    item = store.replace_data(key, data, _now(), versions)
    _count("ItemUpdated")
    return _respond(HTTPStatus.OK, item, _etag(item["version"]))


@app.delete(f"{BASE}/<item_id>")
@tracer.capture_method
def delete_item(item_id: str) -> Response[str]:
    key = _item_id(item_id)
    store.delete(key, _if_match())
    _count("ItemDeleted")
    return _respond(HTTPStatus.NO_CONTENT)


@app.not_found
def route_not_found(_: Exception) -> Response[str]:
    event = app.current_event
    for pattern, allowed in _ALLOWED:
        if pattern.match(event.path) and event.http_method.upper() not in allowed:
            return _error(
                ApiError(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed", {"Allow": ", ".join(allowed)})
            )
    return _error(ApiError(HTTPStatus.NOT_FOUND, "not found"))


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]  # Powertools leaves it unannotated
def handle_error(error: Exception) -> Response[str]:
    return _error(_as_api_error(error))


def _as_api_error(error: Exception) -> ApiError:
    """Every failure as the client sees it: a status and a message with nothing internal."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, BadRequest):
        return ApiError(HTTPStatus.BAD_REQUEST, str(error))
    if isinstance(error, TooLarge):
        return ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, str(error))
    if isinstance(error, NotFound):
        return ApiError(HTTPStatus.NOT_FOUND, "item not found")
    if isinstance(error, VersionMismatch):
        return ApiError(HTTPStatus.PRECONDITION_FAILED, "item has changed: If-Match names another version")
    if isinstance(error, Unavailable):
        logger.warning("data store unavailable", extra={"reason": str(error)})
        return ApiError(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "the data store is unavailable; try again shortly",
            {"Retry-After": "1"},
        )
    logger.exception("unhandled error")
    return ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error")


def _error(error: ApiError) -> Response[str]:
    _count(f"Error{error.status.value}")
    return _respond(error.status, {"message": error.message}, error.headers)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
