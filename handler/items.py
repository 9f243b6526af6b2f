"""The item model: parsing client JSON into what DynamoDB can store exactly, and back.

Numbers are parsed as ``Decimal`` and written back digit for digit, never through
``float``; anything DynamoDB would reject or silently change is refused here with
a message the client can act on.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from json.encoder import encode_basestring as _quote  # JSON string literal, non-ASCII kept as is
from typing import Any

# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
MAX_DEPTH = 32
MAX_ITEM_BYTES = 400 * 1024
MAX_DIGITS = 38
MIN_EXPONENT = -130  # smallest positive magnitude 1E-130
MAX_EXPONENT = 125  # largest magnitude 9.99...E+125


class BadRequest(ValueError):
    """The client sent something we refuse; the message is safe to show."""


class TooLarge(ValueError):
    """The item would exceed DynamoDB's item size limit."""


def _refuse_constant(name: str) -> Any:
    raise BadRequest(f"{name} is not a number DynamoDB can store")


def parse_object(body: str | None) -> dict[str, Any]:
    """The request body as a JSON object with Decimal numbers, or BadRequest."""
    if body is None or not body.strip():
        raise BadRequest("request body is required: a JSON object")
    try:
        value = json.loads(body, parse_float=Decimal, parse_int=Decimal, parse_constant=_refuse_constant)
    except BadRequest:
        raise
    except RecursionError:
        raise BadRequest(f"JSON nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:
        raise BadRequest(f"request body is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise BadRequest(f"request body must be a JSON object, not {_json_type(value)}")
    check_storable(value)
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"


def check_storable(data: dict[str, Any]) -> None:
    """Refuse values DynamoDB cannot hold exactly: numbers, depth, broken Unicode, size."""
    size = _check(data, depth=1)
    if size > MAX_ITEM_BYTES:
        raise TooLarge(f"item is about {size} bytes; DynamoDB stores at most {MAX_ITEM_BYTES} bytes per item")


def _check(value: Any, depth: int) -> int:
    """Validate ``value`` and return its DynamoDB size in bytes (documented rules).

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
    """
    if isinstance(value, str):
        return _utf8_len(value)
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, Decimal):
        return _number_size(value)
    if depth > MAX_DEPTH:
        raise BadRequest(f"JSON nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        if "" in value:
            # DynamoDB map keys are attribute names, which need at least one character.
            raise BadRequest("object keys must not be empty")
        return 3 + sum(1 + _utf8_len(key) + _check(item, depth + 1) for key, item in value.items())
    return 3 + sum(1 + _check(item, depth + 1) for item in value)


def _utf8_len(text: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise BadRequest("strings must be valid Unicode (no unpaired surrogates)") from None


def _number_size(number: Decimal) -> int:
    if number.is_zero():
        return 2
    # Trailing zeros are not significant; normalize() would round to the context's 28 digits.
    digits = "".join(map(str, number.as_tuple().digits)).rstrip("0")
    if len(digits) > MAX_DIGITS:
        raise BadRequest(f"number {number} has more than {MAX_DIGITS} significant digits")
    if not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise BadRequest(f"number {number} is outside DynamoDB's range 1E-130 to 9.99E+125")
    return 1 + (len(digits) + 1) // 2


def is_item_id(value: str) -> bool:
    """True for an id this API could have issued: a canonical (lower-case) UUID."""
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def new_item_id() -> str:
    """A new random item id."""
    return str(uuid.uuid4())


def dumps(value: Any) -> str:
    """JSON text with every Decimal written as the exact number it holds.

    ``json.dumps`` can only write floats, which would turn 0.1 into
    0.1000000000000000055... or lose digits beyond 17; so this small writer covers
    the types an item holds (dict, list, str, Decimal, int, bool, None).
    """
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is dict:
        out.append("{")
        first = True
        for key, item in value.items():
            out.append(_quote(key) + ":" if first else "," + _quote(key) + ":")
            first = False
            _write(item, out)
        out.append("}")
    elif kind is list:
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:  # Decimal or int: their str() is the exact JSON number
        out.append(str(value))
