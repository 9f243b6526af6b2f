"""The same handler serves another collection path when tapgen sets API_BASE_PATH."""

from __future__ import annotations

from tests.handler.conftest import handler_environment, load_handler
from tests.handler.events import LambdaContext, Reply, rest_event


def test_handler_serves_its_base_path(monkeypatch, aws_endpoint, table_name, table):
    for key, value in {**handler_environment(aws_endpoint, table_name), "API_BASE_PATH": "/items"}.items():
        monkeypatch.setenv(key, value)
    items = load_handler("app_items")

    def call(method: str, path: str, **kwargs: object) -> Reply:
        return Reply.of(items.lambda_handler(rest_event(method, path, **kwargs), LambdaContext()))

    created = call("POST", "/items", body={"sku": "A-1"})
    assert created.status == 201
    assert created.headers["Location"] == f"/items/{created.body['id']}"
    assert call("GET", f"/items/{created.body['id']}").body["data"] == {"sku": "A-1"}
    assert call("GET", "/items").body["count"] == 1
    assert call("PATCH", "/items").status == 405
    assert call("GET", "/data").status == 404
    assert list(table()) == [created.body["id"]]
