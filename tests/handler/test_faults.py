"""Pagination over many items, the If-Match race, and an unreachable DynamoDB."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import free_port
from tests.handler.conftest import handler_environment, load_handler
from tests.handler.events import LambdaContext, Reply, rest_event
from tests.handler.fault_server import fault_server
from tests.handler.test_routes import assert_error, create

ITEMS = 300


def test_pagination_returns_every_item_exactly_once(call, table):
    created = {create(call, {"i": i})["id"] for i in range(ITEMS)}
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        query = {"limit": "7"} if token is None else {"limit": "7", "next_token": token}
        reply = call("GET", "/data", query=query)
        assert reply.status == 200, reply.raw_body
        assert reply.body["count"] == len(reply.body["items"]) <= 7
        seen.extend(item["id"] for item in reply.body["items"])
        token = reply.body["next_token"]
        pages += 1
        assert pages <= ITEMS // 7 + 2, "pagination does not terminate"
        if token is None:
            break
    assert len(seen) == len(set(seen)) == ITEMS
    assert set(seen) == created


def test_default_page_size_is_25_and_max_is_100(call, table):
    for i in range(110):
        create(call, {"i": i})
    assert call("GET", "/data").body["count"] == 25
    assert call("GET", "/data", query={"limit": "100"}).body["count"] == 100
    assert call("GET", "/data", query={"limit": "1"}).body["count"] == 1


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_concurrent_if_match_has_exactly_one_winner(handler, call, table, method):
    item = create(call, {"n": 0})
    writers = 16

    def attempt(index: int) -> int:
        event = rest_event(
            method,
            f"/data/{item['id']}",
            body={"writer": index} if method == "PUT" else None,
            headers={"If-Match": '"1"'},
            request_id=f"req-{index}",
        )
        return Reply.of(handler.lambda_handler(event, LambdaContext())).status

    with ThreadPoolExecutor(max_workers=writers) as pool:
        statuses = list(pool.map(attempt, range(writers)))

    winner = 200 if method == "PUT" else 204
    loser = 412 if method == "PUT" else 404  # once deleted, the item is gone
    assert sorted(statuses) == sorted([winner] + [loser] * (writers - 1)), statuses
    stored = table()
    if method == "PUT":
        assert stored[item["id"]]["version"] == 2
    else:
        assert stored == {}


def test_unreachable_dynamodb_gives_503_within_seconds(monkeypatch, table_name):
    closed = f"http://127.0.0.1:{free_port()}"
    for key, value in handler_environment(closed, table_name).items():
        monkeypatch.setenv(key, value)
    unreachable = load_handler("app_unreachable")
    requests = [
        rest_event("GET", "/data"),
        rest_event("POST", "/data", body={"a": 1}),
        rest_event("GET", "/data/3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10"),
        rest_event("PUT", "/data/3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10", body={"a": 1}),
        rest_event("DELETE", "/data/3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10"),
    ]
    for event in requests:
        started = time.monotonic()
        reply = Reply.of(unreachable.lambda_handler(event, LambdaContext()))
        elapsed = time.monotonic() - started
        assert_error(reply, 503, table_name)
        assert reply.headers["Retry-After"] == "1"
        # A correctness bound (no hang), not a performance figure.
        assert elapsed < 10, f"{event['httpMethod']} took {elapsed:.1f}s"


def test_bad_request_is_refused_before_dynamodb_is_called(monkeypatch, table_name):
    """Validation happens first: with DynamoDB down, a bad body is still a 400, not a 503."""
    for key, value in handler_environment(f"http://127.0.0.1:{free_port()}", table_name).items():
        monkeypatch.setenv(key, value)
    unreachable = load_handler("app_unreachable_validation")
    reply = Reply.of(unreachable.lambda_handler(rest_event("POST", "/data", body="[1]"), LambdaContext()))
    assert_error(reply, 400, table_name)


ITEM_PATH = "/data/3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10"
EVERY_OPERATION = [
    ("GET", "/data", None),
    ("POST", "/data", {"a": 1}),
    ("GET", ITEM_PATH, None),
    ("PUT", ITEM_PATH, {"a": 1}),
    ("DELETE", ITEM_PATH, None),
]


def _handler_at(monkeypatch, endpoint, table_name, module_name):
    for key, value in handler_environment(endpoint, table_name).items():
        monkeypatch.setenv(key, value)
    return load_handler(module_name)


@pytest.mark.parametrize("mode", ["throttle", "capacity", "internal", "unavailable", "hang"])
def test_failing_dynamodb_gives_503_within_seconds(monkeypatch, table_name, mode):
    with fault_server(mode) as (endpoint, received):
        failing = _handler_at(monkeypatch, endpoint, table_name, f"app_{mode}")
        for method, path, body in EVERY_OPERATION:
            started = time.monotonic()
            reply = Reply.of(failing.lambda_handler(rest_event(method, path, body=body), LambdaContext()))
            elapsed = time.monotonic() - started
            assert_error(reply, 503, table_name)
            # Inside the function's 10 s timeout, so the client gets our 503, not a 504.
            assert elapsed < 7, f"{mode}: {method} {path} took {elapsed:.1f}s"
    # Retries are bounded: two attempts per request.
    assert len(received) == 2 * len(EVERY_OPERATION)


def test_item_refused_by_dynamodb_for_size_is_413(monkeypatch, table_name):
    with fault_server("too-large") as (endpoint, _):
        failing = _handler_at(monkeypatch, endpoint, table_name, "app_too_large")
        for method, path in (("POST", "/data"), ("PUT", ITEM_PATH)):
            reply = Reply.of(failing.lambda_handler(rest_event(method, path, body={"a": 1}), LambdaContext()))
            assert_error(reply, 413, table_name)


def test_unexpected_dynamodb_error_is_a_generic_500(monkeypatch, table_name):
    with fault_server("no-table") as (endpoint, _):
        failing = _handler_at(monkeypatch, endpoint, table_name, "app_no_table")
        for method, path, body in EVERY_OPERATION:
            reply = Reply.of(failing.lambda_handler(rest_event(method, path, body=body), LambdaContext()))
            assert_error(reply, 500, table_name)
            assert reply.body == {"message": "internal error"}
            assert "items-x" not in reply.raw_body
