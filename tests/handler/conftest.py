"""The handler under test, imported against a table made from the rendered template."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from tests.conftest import FAKE_CREDENTIALS, HANDLER_DIR
from tests.handler.events import LambdaContext, Reply, rest_event

REGION = "us-east-1"
_TABLE_PROPERTIES = (
    "KeySchema",
    "AttributeDefinitions",
    "BillingMode",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "StreamSpecification",
)


def table_definition(template: dict[str, Any]) -> dict[str, Any]:
    """The CreateTable arguments the template's (single) table resource declares."""
    tables = [r for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(tables) == 1, "the stack declares exactly one table"
    properties = tables[0]["Properties"]
    definition = {name: properties[name] for name in _TABLE_PROPERTIES if name in properties}
    if "StreamSpecification" in definition:  # CloudFormation implies what the API spells out
        definition["StreamSpecification"] = {"StreamEnabled": True, **definition["StreamSpecification"]}
    return definition


def handler_environment(endpoint: str, table_name: str) -> dict[str, str]:
    return {
        **FAKE_CREDENTIALS,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "TABLE_NAME": table_name,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "tapgen-data",
        "POWERTOOLS_METRICS_NAMESPACE": "tapgen-tests",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }


def load_handler(module_name: str) -> ModuleType:
    """Import handler/app.py afresh under ``module_name`` (it reads its environment at import)."""
    if str(HANDLER_DIR) not in sys.path:
        sys.path.insert(0, str(HANDLER_DIR))
    spec = importlib.util.spec_from_file_location(module_name, HANDLER_DIR / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def dynamodb(aws_endpoint: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=aws_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="session")
def table_name(dynamodb: Any, rendered_template: dict[str, Any]) -> str:
    """A table created from the rendered template's own definition."""
    name = f"items-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(TableName=name, **table_definition(rendered_template))
    dynamodb.get_waiter("table_exists").wait(TableName=name)
    return name


@pytest.fixture(scope="session")
def handler(aws_endpoint: str, table_name: str) -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in handler_environment(aws_endpoint, table_name).items():
            patch.setenv(key, value)
        yield load_handler("app")


@pytest.fixture
def context() -> LambdaContext:
    return LambdaContext()


@pytest.fixture
def table(dynamodb: Any, table_name: str) -> Callable[[], dict[str, dict[str, Any]]]:
    """Empties the table before the test; calling it returns the table's real content by id."""
    deserialize = TypeDeserializer().deserialize

    def scan() -> list[dict[str, Any]]:
        pages = dynamodb.get_paginator("scan").paginate(TableName=table_name, ConsistentRead=True)
        return [{k: deserialize(v) for k, v in record.items()} for page in pages for record in page["Items"]]

    for item in scan():
        dynamodb.delete_item(TableName=table_name, Key={"id": {"S": item["id"]}})

    def content() -> dict[str, dict[str, Any]]:
        return {item["id"]: item for item in scan()}

    return content


@pytest.fixture
def call(handler: ModuleType, context: LambdaContext) -> Callable[..., Reply]:
    """Send one request through lambda_handler: call("POST", "/data", body={...})."""

    def send(method: str, path: str, **kwargs: Any) -> Reply:
        return Reply.of(handler.lambda_handler(rest_event(method, path, **kwargs), context))

    return send
