"""Every row of the HTTP contract, with the table's real content checked after each request."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

import pytest

from tests.handler.events import Reply

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MISSING_ID = "3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10"


def assert_common_headers(reply: Reply) -> None:
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    if reply.status == 204:
        assert reply.raw_body == ""
        assert "Content-Type" not in reply.headers
    else:
        assert reply.headers["Content-Type"] == "application/json"


def assert_error(reply: Reply, status: int, table_name: str) -> None:
    """An error: the status, common headers, and a JSON {"message"} with nothing internal."""
    assert reply.status == status, reply.raw_body
    assert_common_headers(reply)
    assert set(reply.body) == {"message"}
    message = reply.body["message"]
    assert isinstance(message, str) and message
    for leak in ("Traceback", "Exception", "botocore", "ClientError", table_name, 'File "'):
        assert leak not in reply.raw_body


def is_utc_timestamp(value: str) -> bool:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0


def create(call: Any, data: dict[str, Any]) -> dict[str, Any]:
    reply = call("POST", "/data", body=data)
    assert reply.status == 201, reply.raw_body
    return reply.body


def test_post_creates_item(call, table):
    reply = call("POST", "/data", body={"name": "widget", "tags": ["a", "b"]})

    assert reply.status == 201
    assert_common_headers(reply)
    item = reply.body
    assert set(item) == {"id", "data", "created_at", "updated_at", "version"}
    assert UUID4.match(item["id"])
    assert item["data"] == {"name": "widget", "tags": ["a", "b"]}
    assert item["version"] == 1
    assert item["created_at"] == item["updated_at"] and is_utc_timestamp(item["created_at"])
    assert reply.headers["Location"] == f"/data/{item['id']}"
    assert reply.headers["ETag"] == '"1"'
    stored = table()
    assert list(stored) == [item["id"]]
    assert stored[item["id"]]["data"] == {"name": "widget", "tags": ["a", "b"]}
    assert stored[item["id"]]["version"] == 1


def test_get_returns_item_with_etag(call, table):
    item = create(call, {"n": 1})

    reply = call("GET", f"/data/{item['id']}")

    assert reply.status == 200
    assert_common_headers(reply)
    assert reply.body == item
    assert reply.headers["ETag"] == '"1"'


def test_get_missing_is_404(call, table, table_name):
    assert_error(call("GET", f"/data/{MISSING_ID}"), 404, table_name)


@pytest.mark.parametrize(
    "bad_id", ["not-a-uuid", "123", "3F1D9A52-5D0E-4F8E-9A55-2D0C2B1F6A10", "x" * 300, "%00"]
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_non_uuid_id_is_404(call, table, table_name, method, bad_id):
    create(call, {"keep": True})
    before = table()

    reply = call(method, f"/data/{bad_id}", body={"a": 1} if method == "PUT" else None)

    assert_error(reply, 404, table_name)
    assert table() == before


def test_put_replaces_data_and_bumps_version(call, table):
    item = create(call, {"old": True, "n": 1})

    reply = call("PUT", f"/data/{item['id']}", body={"new": "value"})

    assert reply.status == 200
    assert_common_headers(reply)
    updated = reply.body
    assert updated["id"] == item["id"]
    assert updated["data"] == {"new": "value"}
    assert updated["version"] == 2
    assert updated["created_at"] == item["created_at"]
    assert updated["updated_at"] >= item["updated_at"] and is_utc_timestamp(updated["updated_at"])
    assert reply.headers["ETag"] == '"2"'
    stored = table()[item["id"]]
    assert stored["data"] == {"new": "value"} and stored["version"] == 2


def test_put_never_creates(call, table, table_name):
    assert_error(call("PUT", f"/data/{MISSING_ID}", body={"a": 1}), 404, table_name)
    assert table() == {}


@pytest.mark.parametrize("if_match", ['"1"', '"1", "5"', "*", 'W/"1", "1"'])
def test_put_with_matching_if_match(call, table, if_match):
    item = create(call, {"a": 1})

    reply = call("PUT", f"/data/{item['id']}", body={"a": 2}, headers={"If-Match": if_match})

    assert reply.status == 200, reply.raw_body
    assert table()[item["id"]]["version"] == 2


def test_put_with_stale_if_match_is_412_and_changes_nothing(call, table, table_name):
    item = create(call, {"a": 1})
    call("PUT", f"/data/{item['id']}", body={"a": 2})
    before = table()

    reply = call("PUT", f"/data/{item['id']}", body={"a": 3}, headers={"If-Match": '"1"'})

    assert_error(reply, 412, table_name)
    assert table() == before


def test_weak_etag_never_matches(call, table, table_name):
    """If-Match compares strongly: W/"1" does not match version 1 (RFC 9110)."""
    item = create(call, {"a": 1})
    before = table()
    assert_error(
        call("PUT", f"/data/{item['id']}", body={"a": 2}, headers={"If-Match": 'W/"1"'}), 412, table_name
    )
    assert_error(call("DELETE", f"/data/{item['id']}", headers={"If-Match": 'W/"1"'}), 412, table_name)
    assert table() == before


def test_if_match_header_name_is_case_insensitive(call, table, table_name):
    item = create(call, {"a": 1})
    assert_error(
        call("PUT", f"/data/{item['id']}", body={"a": 2}, headers={"if-match": '"7"'}), 412, table_name
    )


@pytest.mark.parametrize("if_match", ["1", '"one"', '""', '"1",,', "W/1"])
def test_malformed_if_match_is_400(call, table, table_name, if_match):
    item = create(call, {"a": 1})
    before = table()

    assert_error(
        call("PUT", f"/data/{item['id']}", body={"a": 2}, headers={"If-Match": if_match}), 400, table_name
    )
    assert_error(call("DELETE", f"/data/{item['id']}", headers={"If-Match": if_match}), 400, table_name)
    assert table() == before


def test_delete_removes_item(call, table):
    item = create(call, {"a": 1})
    other = create(call, {"b": 2})

    reply = call("DELETE", f"/data/{item['id']}")

    assert reply.status == 204
    assert_common_headers(reply)
    assert list(table()) == [other["id"]]


def test_delete_missing_is_404(call, table, table_name):
    assert_error(call("DELETE", f"/data/{MISSING_ID}"), 404, table_name)


def test_delete_twice_is_404_the_second_time(call, table, table_name):
    item = create(call, {"a": 1})
    assert call("DELETE", f"/data/{item['id']}").status == 204
    assert_error(call("DELETE", f"/data/{item['id']}"), 404, table_name)


def test_delete_with_stale_if_match_is_412_and_changes_nothing(call, table, table_name):
    item = create(call, {"a": 1})
    before = table()

    assert_error(call("DELETE", f"/data/{item['id']}", headers={"If-Match": '"2"'}), 412, table_name)
    assert table() == before
    assert call("DELETE", f"/data/{item['id']}", headers={"If-Match": '"1"'}).status == 204
    assert table() == {}


def test_put_after_delete_does_not_resurrect(call, table, table_name):
    item = create(call, {"a": 1})
    call("DELETE", f"/data/{item['id']}")

    assert_error(call("PUT", f"/data/{item['id']}", body={"a": 2}), 404, table_name)
    assert table() == {}


def test_list_returns_page_shape(call, table):
    created = {create(call, {"i": i})["id"] for i in range(3)}

    reply = call("GET", "/data")

    assert reply.status == 200
    assert_common_headers(reply)
    assert set(reply.body) == {"items", "count", "next_token"}
    assert reply.body["count"] == 3 == len(reply.body["items"])
    assert {item["id"] for item in reply.body["items"]} == created
    assert reply.body["next_token"] is None


def test_list_of_empty_table(call, table):
    reply = call("GET", "/data")
    assert reply.status == 200
    assert reply.body == {"items": [], "count": 0, "next_token": None}


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "", " 5", "1e2"])
def test_bad_limit_is_400(call, table, table_name, limit):
    assert_error(call("GET", "/data", query={"limit": limit}), 400, table_name)


@pytest.mark.parametrize(
    "token",
    [
        "garbage!",
        "e30",  # {}
        "eyJpZCI6IDF9",  # {"id": 1}
        "eyJpZCI6ICJ4In0",  # {"id": "x"}
        "WzFd",  # [1]
        "bm90IGpzb24",  # not json
        "eyJpZCI6ICIzZjFkOWE1Mi01ZDBlLTRmOGUtOWE1NS0yZDBjMmIxZjZhMTAiLCAiZXh0cmEiOiAxfQ",  # extra key
    ],
)
def test_bad_next_token_is_400(call, table, table_name, token):
    assert_error(call("GET", "/data", query={"next_token": token}), 400, table_name)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing", 404),
        ("GET", "/", 404),
        ("POST", f"/data/{MISSING_ID}/extra", 404),
        ("PATCH", "/data", 405),
        ("DELETE", "/data", 405),
        ("POST", f"/data/{MISSING_ID}", 405),
        ("PATCH", f"/data/{MISSING_ID}", 405),
    ],
)
def test_unknown_routes(call, table, table_name, method, path, status):
    reply = call(method, path)
    assert_error(reply, status, table_name)
    if status == 405:
        assert "GET" in reply.headers["Allow"]


def test_ids_are_unique(call, table):
    ids = {create(call, {})["id"] for _ in range(20)}
    assert len(ids) == 20
    assert all(uuid.UUID(i).version == 4 for i in ids)


def test_empty_object_is_a_valid_body(call, table):
    item = create(call, {})
    assert call("GET", f"/data/{item['id']}").body["data"] == {}
