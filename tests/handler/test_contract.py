"""The handler, its pinned dependencies and the template agree with each other."""

from __future__ import annotations

import ast
import re

import tapgen
from tapgen import names
from tapgen.iam import TABLE_ACTIONS
from tests.conftest import HANDLER_DIR


def _snake_to_pascal(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def test_table_actions_granted_are_exactly_the_operations_the_store_calls():
    """store.py reaches DynamoDB only through Store._call / Store._conditional_write("<operation>", ...)."""
    tree = ast.parse((HANDLER_DIR / "store.py").read_text())
    called = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"_call", "_conditional_write"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert {f"dynamodb:{_snake_to_pascal(op)}" for op in called} == {str(a.JSONrepr()) for a in TABLE_ACTIONS}


def test_powertools_pin_matches_the_layer_the_template_names():
    requirements = (HANDLER_DIR / "requirements.txt").read_text()
    (pinned,) = re.findall(r"^aws-lambda-powertools(?:\[[a-z,]+\])?==(\S+)$", requirements, re.MULTILINE)
    assert pinned == tapgen.StackConfig().powertools_version
    assert f"/{pinned}}}}}" in tapgen.render()


def test_every_runtime_dependency_is_pinned_exactly():
    for line in (HANDLER_DIR / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.match(r"^[A-Za-z0-9_.\-\[\],]+==[0-9][0-9A-Za-z.]*$", line), line


def test_environment_the_handler_requires_is_set_by_the_template():
    source = "\n".join(p.read_text() for p in HANDLER_DIR.glob("*.py"))
    required = set(re.findall(r"os\.environ\[\"([A-Z_]+)\"\]", source))
    optional = set(re.findall(r"os\.environ\.get\(\"([A-Z_]+)\", ", source))
    assert required == {"TABLE_NAME"}
    assert optional == {"CORS_ALLOW_ORIGIN", "API_BASE_PATH"}
    template = tapgen.build_template().to_dict()
    variables = template["Resources"][names.FUNCTION]["Properties"]["Environment"]["Variables"]
    assert required | {"CORS_ALLOW_ORIGIN"} <= set(variables)
    # API_BASE_PATH is set only for a collection other than /data (tests/library).
    assert "API_BASE_PATH" not in variables


def test_handler_entry_point_matches_the_template():
    template = tapgen.build_template().to_dict()
    module, function = template["Resources"][names.FUNCTION]["Properties"]["Handler"].split(".")
    tree = ast.parse((HANDLER_DIR / f"{module}.py").read_text())
    assert function in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
