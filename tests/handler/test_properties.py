"""Property-based: any JSON object DynamoDB can hold round-trips; non-JSON never gets a 2xx."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Strings without unpaired surrogates (JSON can carry them; DynamoDB cannot).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
keys = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10)
numbers = st.one_of(
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**20), max_value=10**20),
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=20,
)
json_objects = st.dictionaries(keys, json_values, max_size=6)


def _encode(value: object) -> str:
    """JSON text of ``value``. Fractions go through float, so this property checks that
    whatever text is sent comes back as the same numbers; the exact-digit cases beyond a
    float's precision (38 digits, 1E-130, ...) are spelled out in test_bodies.py."""
    return json.dumps(_plain(value))


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parse(text_: str) -> object:
    return json.loads(text_, parse_float=Decimal, parse_int=Decimal)


@SETTINGS
@given(data=json_objects)
def test_json_objects_round_trip(call, table, data):
    body = _encode(data)
    created = call("POST", "/data", body=body)
    assert created.status == 201, (body, created.raw_body)

    fetched = call("GET", f"/data/{created.body['id']}")

    assert fetched.status == 200
    assert _parse(fetched.raw_body)["data"] == _parse(body)


@SETTINGS
@given(body=st.text(max_size=50))
def test_non_json_bodies_get_4xx(call, table, body):
    try:
        value = json.loads(body)
        is_object = isinstance(value, dict)
    except ValueError:
        is_object = False
    reply = call("POST", "/data", body=body)
    if not is_object:
        assert 400 <= reply.status < 500, (body, reply.raw_body)
        assert isinstance(reply.body["message"], str)
    else:
        assert reply.status in (201, 400)


@SETTINGS
@given(body=st.binary(max_size=60).map(lambda raw: raw.decode("latin-1")))
def test_arbitrary_bytes_never_get_2xx_unless_an_object(call, table, body):
    reply = call("PUT", "/data/3f1d9a52-5d0e-4f8e-9a55-2d0c2b1f6a10", body=body)
    assert reply.status in (400, 404)
