"""Bad bodies get a 400 (or 413) and change nothing; good values round-trip exactly."""

from __future__ import annotations

import json

import pytest

from tests.handler.test_routes import assert_error, create

TOO_DEEP = '{"a":' * 33 + "1" + "}" * 33  # the item's data is 33 levels deep
DEEP_OK = '{"a":' * 31 + "1" + "}" * 31  # 32 levels with the outer object

BAD_BODIES = {
    "missing": None,
    "empty": "",
    "blank": "  \n",
    "not json": "{not json",
    "truncated": '{"a": 1',
    "array": "[1, 2]",
    "string": '"text"',
    "number": "42",
    "null": "null",
    "true": "true",
    "NaN": '{"a": NaN}',
    "Infinity": '{"a": Infinity}',
    "-Infinity": '{"a": -Infinity}',
    "39 digits": '{"a": 123456789012345678901234567890123456789}',
    "39 digit fraction": '{"a": 0.123456789012345678901234567890123456789}',
    "too small": '{"a": 1e-131}',
    "too large": '{"a": 1e126}',
    "too large negative": '{"a": -1e126}',
    "deep nesting": TOO_DEEP,
    "very deep nesting": "[" * 100_000 + "]" * 100_000,
    "lone surrogate": '{"a": "\\ud800"}',
    "lone surrogate key": '{"\\udfff": 1}',
    "empty key": '{"": 1}',
    "nested empty key": '{"a": [{"": 1}]}',
}


@pytest.mark.parametrize("body", list(BAD_BODIES.values()), ids=list(BAD_BODIES))
def test_bad_body_on_post_is_400_and_stores_nothing(call, table, table_name, body):
    assert_error(call("POST", "/data", body=body), 400, table_name)
    assert table() == {}


@pytest.mark.parametrize("body", list(BAD_BODIES.values()), ids=list(BAD_BODIES))
def test_bad_body_on_put_is_400_and_changes_nothing(call, table, table_name, body):
    item = create(call, {"keep": "me"})
    before = table()

    assert_error(call("PUT", f"/data/{item['id']}", body=body), 400, table_name)
    assert table() == before


def test_item_over_400_kb_is_413(call, table, table_name):
    assert_error(call("POST", "/data", body={"blob": "x" * (400 * 1024)}), 413, table_name)
    assert table() == {}


def test_put_over_400_kb_is_413_and_changes_nothing(call, table, table_name):
    item = create(call, {"small": True})
    before = table()
    assert_error(call("PUT", f"/data/{item['id']}", body={"blob": "é" * (210 * 1024)}), 413, table_name)
    assert table() == before


def test_item_just_under_the_limit_is_stored(call, table):
    item = create(call, {"blob": "x" * (390 * 1024)})
    assert len(table()[item["id"]]["data"]["blob"]) == 390 * 1024


def test_32_levels_are_accepted(call, table):
    item = create(call, json.loads(DEEP_OK))
    assert call("GET", f"/data/{item['id']}").body["data"] == json.loads(DEEP_OK)


@pytest.mark.parametrize(
    "number_text",
    [
        "1", "0", "-0", "1.5", "0.1", "-7", "100", "1e2", "2.50",
        "12345678901234567890123456789012345678",
        "0.12345678901234567890123456789012345678",
        "1e-130", "9.9999999999999999999999999999999999999e125", "-1e-130",
        "9007199254740993",  # 2**53 + 1: a float would turn it into ...992
    ],
)  # fmt: skip
def test_numbers_round_trip_exactly(call, table, number_text):
    created = call("POST", "/data", body=f'{{"n": {number_text}, "list": [{number_text}]}}')
    assert created.status == 201, created.raw_body

    fetched = call("GET", f"/data/{created.body['id']}")

    # Compare the JSON text, not floats: the digits must survive.
    for reply in (created, fetched):
        text = json.loads(reply.raw_body, parse_float=str, parse_int=str)["data"]
        from decimal import Decimal

        assert Decimal(text["n"]) == Decimal(number_text)
        assert Decimal(text["list"][0]) == Decimal(number_text)
        assert not reply.raw_body.count('"n": "') and '"n":"' not in reply.raw_body  # a number, not a string


@pytest.mark.parametrize(("sent", "expected"), [("1", "1"), ("1.5", "1.5"), ("0.1", "0.1")])
def test_simple_numbers_come_back_as_written(call, table, sent, expected):
    created = call("POST", "/data", body=f'{{"n": {sent}}}')
    fetched = call("GET", f"/data/{created.body['id']}")
    assert f'"n":{expected}}}' in fetched.raw_body


@pytest.mark.parametrize(
    "value",
    [
        "",
        "héllo wörld",
        "日本語",
        "emoji 🎉🚀",
        "\u0000nul",
        'quote " and backslash \\',
        "line\nbreak",
        "\u2028",
    ],
)
def test_strings_round_trip_unchanged(call, table, value):
    data = {"s": value, "list": [value]}
    if value:
        data[value] = "as key"
    item = create(call, data)
    fetched = call("GET", f"/data/{item['id']}").body
    assert fetched["data"] == data
    assert table()[item["id"]]["data"] == data


def test_booleans_nulls_and_nesting_round_trip(call, table):
    data = {
        "t": True,
        "f": False,
        "none": None,
        "nested": {"list": [1, "two", [3, {"four": None}]], "empty": []},
    }
    item = create(call, data)
    assert call("GET", f"/data/{item['id']}").body["data"] == data
