"""tapgen as a library: composable groups, a small typed public API, examples that run."""

from __future__ import annotations

import contextlib
import inspect
import io
import re
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from samtranslator.yaml_helper import yaml_parse
from troposphere import Template

import tapgen
from tapgen import Naming, StackConfig
from tests.conftest import ROOT
from tests.templates import dangling, dependency_graph, expand, find_cycle, resources_of_type

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def checked(text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The same checks as TapStack: cfn-lint (with I checks), the SAM transform, a closed acyclic graph."""
    matches = lint(text, config=ManualArgs(regions=["us-east-1", "eu-west-1"], include_checks=["I"]))
    assert [str(m) for m in matches] == []
    expanded = expand(yaml_parse(text), "us-east-1", monkeypatch)
    assert dangling(expanded) == set()
    assert find_cycle(dependency_graph(expanded)) is None
    return expanded


# --- examples -----------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_runs_as_an_outside_script_and_passes_the_checks(example, monkeypatch):
    result = subprocess.run(
        [sys.executable, str(example)], capture_output=True, text=True, cwd=ROOT / "templates"
    )
    assert result.returncode == 0, result.stderr
    checked(result.stdout, monkeypatch)


def test_there_are_at_least_two_examples():
    assert {e.stem for e in EXAMPLES} >= {"items_api", "queue_worker"}


def test_items_example_serves_items_through_the_same_api(monkeypatch):
    text = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "items_api.py")], capture_output=True, text=True, check=True
    ).stdout
    expanded = expand(yaml_parse(text), "us-east-1", monkeypatch)
    (api,) = resources_of_type(expanded, "AWS::ApiGateway::RestApi").values()
    paths = api["Properties"]["Body"]["paths"]
    assert {"/data", "/data/{id}", "/items", "/items/{id}"} <= set(paths)
    uri = paths["/items/{id}"]["put"]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
    assert "${ItemsApiFunctionAliaslive}" in uri
    template = yaml_parse(text)
    env = template["Resources"]["ItemsApiFunction"]["Properties"]["Environment"]["Variables"]
    assert env["API_BASE_PATH"] == "/items"
    assert env["TABLE_NAME"] == {"Ref": "ItemsDataTable"}


def test_queue_worker_example_has_no_api(monkeypatch):
    text = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "queue_worker.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    template = yaml_parse(text)
    types = {r["Type"] for r in template["Resources"].values()}
    assert "AWS::Serverless::Api" not in types and "AWS::ApiGateway::Account" not in types
    assert "CreateApiGatewayAccount" not in template["Parameters"]
    expanded = expand(template, "us-east-1", monkeypatch)
    (mapping,) = resources_of_type(expanded, "AWS::Lambda::EventSourceMapping").values()
    assert mapping["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["WorkQueue", "Arn"]}


# --- composition --------------------------------------------------------------------------------


def _two_collections() -> Template:
    config = StackConfig()
    template = tapgen.new_template()
    stack = tapgen.add_tapstack(template, config)
    for prefix in ("Orders", "Items"):
        naming = Naming(prefix)
        data = tapgen.add_data(
            template, config, params=stack.params, encryption=stack.encryption, naming=naming
        )
        role = tapgen.add_function_role(template, data=data, encryption=stack.encryption, naming=naming)
        alarms = tapgen.add_alarms(template, config, params=stack.params, api=None, naming=naming)
        tapgen.add_function(
            template, config, params=stack.params, data=data, role_arn=role, api=stack.api, alarms=alarms,
            encryption=stack.encryption, naming=naming, base_path="/" + prefix.lower(),
        )  # fmt: skip
    return template


def test_groups_added_several_times_do_not_clash(monkeypatch):
    template = _two_collections()
    document = template.to_dict()
    tables = resources_of_type(document, "AWS::DynamoDB::Table")
    assert set(tables) == {"DataTable", "OrdersDataTable", "ItemsDataTable"}
    # A name must be unique among resources of its type (a topic's DisplayName need not be).
    physical = [
        (resource["Type"], key, value["Fn::Sub"])
        for resource in document["Resources"].values()
        for key, value in resource.get("Properties", {}).items()
        if key.endswith("Name") and key != "DisplayName" and isinstance(value, dict) and "Fn::Sub" in value
    ]
    assert len(physical) == len(set(physical)), "two resources of one type share a physical name"
    assert len(physical) >= 40
    checked(tapgen.render_template(template), monkeypatch)


def test_default_naming_reproduces_tapstack():
    template = tapgen.new_template()
    tapgen.add_tapstack(template, StackConfig())
    assert tapgen.render_template(template) == (ROOT / "templates" / "TapStack.yml").read_text()


def test_adding_a_group_twice_with_one_name_is_refused():
    template = tapgen.new_template()
    stack = tapgen.add_tapstack(template, StackConfig())
    with pytest.raises(ValueError, match="duplicate key"):
        tapgen.add_data(template, StackConfig(), params=stack.params, encryption=stack.encryption)


def test_an_api_needs_the_api_parameters():
    template = tapgen.new_template()
    params = tapgen.add_parameters(template, with_api=False)
    with pytest.raises(ValueError, match="with_api=False"):
        tapgen.add_api_gateway_account(template, params=params)


@pytest.mark.parametrize("base_path", ["items", "/Items", "/a/b", "/", "/items/"])
def test_bad_base_path_is_refused(base_path):
    template = tapgen.new_template()
    stack = tapgen.add_tapstack(template, StackConfig())
    with pytest.raises(ValueError, match="base_path"):
        tapgen.add_function(
            template, StackConfig(), params=stack.params, data=stack.data,
            role_arn=stack.iam.function_role_arn, api=stack.api, alarms=stack.alarms,
            encryption=stack.encryption, naming=Naming("Other"), base_path=base_path,
        )  # fmt: skip


# --- the public API ------------------------------------------------------------------------------


def test_public_api_is_exactly_all():
    public = {name for name in dir(tapgen) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(tapgen, name))}
    assert public - modules == set(tapgen.__all__)


@pytest.mark.parametrize("name", tapgen.__all__)
def test_every_public_name_is_documented(name):
    obj = getattr(tapgen, name)
    assert inspect.getdoc(obj), f"tapgen.{name} has no docstring"
    if inspect.isfunction(obj):
        signature = inspect.signature(obj)
        assert signature.return_annotation is not inspect.Signature.empty, name
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), name


def test_package_ships_py_typed():
    assert resources.files("tapgen").joinpath("py.typed").is_file()


def test_mypy_strict_on_the_package():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "tapgen"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


# --- the README ----------------------------------------------------------------------------------


def test_readme_library_example_runs_and_renders_a_valid_stack(monkeypatch):
    (snippet,) = re.findall(
        r"<!-- library-example:start -->\n```python\n(.*?)```\n<!-- library-example:end -->",
        README,
        re.DOTALL,
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet, "README.md", "exec"), {"__name__": "readme"})
    expanded = checked(out.getvalue(), monkeypatch)
    (api,) = resources_of_type(expanded, "AWS::ApiGateway::RestApi").values()
    assert "/orders/{id}" in api["Properties"]["Body"]["paths"]
