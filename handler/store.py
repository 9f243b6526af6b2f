"""All DynamoDB access of the API: one conditional request per write, never read-then-write.

The table's key is ``id`` alone (see tapgen/data.py). Failures come back as the
exceptions below, so the routes never see botocore's.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError
from items import BadRequest, TooLarge, is_item_id

_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize
ATTRIBUTES = ("id", "data", "created_at", "updated_at", "version")
# Error codes that mean "try again later", not "your request is wrong".
_UNAVAILABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "LimitExceededException",
}


class NotFound(LookupError):
    """No item has this id."""


class VersionMismatch(LookupError):
    """The item exists, but not at any of the versions the client named."""


class Unavailable(RuntimeError):
    """DynamoDB could not be reached or did not answer in time; worth retrying."""


def _to_item(record: dict[str, Any]) -> dict[str, Any]:
    item = {name: _deserialize(record[name]) for name in ATTRIBUTES}
    item["version"] = int(item["version"])
    return item


class Store:
    """The items table, reached through one low-level DynamoDB client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _call(self, operation: str, **request: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(TableName=self._table, **request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = error.response.get("Error", {}).get("Message", "")
            if code in _UNAVAILABLE:
                raise Unavailable(code) from error
            if code == "ValidationException" and "size" in message.lower():
                raise TooLarge("item exceeds DynamoDB's 400 KB item size limit") from error
            raise
        except BotoCoreError as error:  # connection refused, timeouts, retries exhausted
            raise Unavailable(type(error).__name__) from error
        return response

    def create(self, item: dict[str, Any]) -> None:
        """Store a new item; the condition guards against an (astronomically unlikely) id clash."""
        self._call(
            "put_item",
            Item={name: _serialize(item[name]) for name in ATTRIBUTES},
            ConditionExpression="attribute_not_exists(id)",
        )

    def get(self, item_id: str) -> dict[str, Any]:
        """The item with this id, or NotFound."""
        response = self._call("get_item", Key={"id": {"S": item_id}}, ConsistentRead=True)
        if "Item" not in response:
            raise NotFound(item_id)
        return _to_item(response["Item"])

    def page(self, limit: int, next_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Up to ``limit`` items after ``next_token``, and the token of the next page (or None)."""
        request: dict[str, Any] = {"Limit": limit, "ConsistentRead": True}
        if next_token is not None:
            request["ExclusiveStartKey"] = {"id": {"S": decode_token(next_token)}}
        response = self._call("scan", **request)
        items = [_to_item(record) for record in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return items, encode_token(last["id"]["S"]) if last else None

    def replace_data(
        self, item_id: str, data: dict[str, Any], now: str, versions: Sequence[int] | None
    ) -> dict[str, Any]:
        """Replace ``data`` of an existing item, bump its version; return the new item.

        Raises NotFound or VersionMismatch; a failed condition changes nothing.
        """
        condition, values = _exists_at(versions)
        response = self._conditional_write(
            "update_item",
            Key={"id": {"S": item_id}},
            UpdateExpression="SET #data = :data, updated_at = :now, version = version + :one",
            ConditionExpression=condition,
            ExpressionAttributeNames={"#data": "data"},
            ExpressionAttributeValues={
                ":data": _serialize(data),
                ":now": {"S": now},
                ":one": {"N": "1"},
                **values,
            },
            ReturnValues="ALL_NEW",
        )
        return _to_item(response["Attributes"])

    def delete(self, item_id: str, versions: Sequence[int] | None) -> None:
        """Delete an existing item; raises NotFound or VersionMismatch and then changes nothing."""
        condition, values = _exists_at(versions)
        request: dict[str, Any] = {"Key": {"id": {"S": item_id}}, "ConditionExpression": condition}
        if values:
            request["ExpressionAttributeValues"] = values
        self._conditional_write("delete_item", **request)

    def _conditional_write(self, operation: str, **request: Any) -> dict[str, Any]:
        """A write whose condition is that the item exists (at the named versions).

        On failure DynamoDB returns the old item, if any, with the error, so NotFound
        and VersionMismatch are told apart without a second request.
        """
        try:
            return self._call(operation, ReturnValuesOnConditionCheckFailure="ALL_OLD", **request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            raise (VersionMismatch() if error.response.get("Item") else NotFound()) from error


def _exists_at(versions: Sequence[int] | None) -> tuple[str, dict[str, Any]]:
    if not versions:
        return "attribute_exists(id)", {}
    values = {f":v{index}": {"N": str(version)} for index, version in enumerate(versions)}
    return f"attribute_exists(id) AND version IN ({', '.join(values)})", values


def encode_token(item_id: str) -> str:
    """An opaque page token for the key ``item_id``."""
    return base64.urlsafe_b64encode(json.dumps({"id": item_id}).encode()).decode().rstrip("=")


def decode_token(token: str) -> str:
    """The key inside a page token, or BadRequest for anything we did not issue."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        raise BadRequest("next_token is not a token this API issued") from None
    if (
        not isinstance(key, dict)
        or set(key) != {"id"}
        or not isinstance(key["id"], str)
        or not is_item_id(key["id"])
    ):
        raise BadRequest("next_token is not a token this API issued")
    return key["id"]
