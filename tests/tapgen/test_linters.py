"""The real cfn-lint and the real SAM translator on every render variant."""

from __future__ import annotations

import pytest
from cfnlint.api import ManualArgs, lint
from samtranslator.yaml_helper import yaml_parse

import tapgen
from tapgen.config import AUTH_MODES
from tests.templates import dangling, dependency_graph, expand, find_cycle, resources_of_type

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"]
VARIANTS = {
    **{f"auth={mode}": tapgen.StackConfig(auth=mode) for mode in AUTH_MODES},
    "x86_64, python3.12": tapgen.StackConfig(architecture="x86_64", runtime="python3.12"),
    "python3.14, big": tapgen.StackConfig(runtime="python3.14", memory_mb=10240, timeout_seconds=28),
    "customer-managed key": tapgen.StackConfig(customer_managed_key=True),
}


@pytest.mark.parametrize("config", list(VARIANTS.values()), ids=list(VARIANTS))
def test_cfn_lint_finds_nothing(config):
    """Errors, warnings and informational checks, in several regions (cfn-lint's
    experimental rules are not part of its default set and are not run)."""
    matches = lint(tapgen.render(config), config=ManualArgs(regions=REGIONS, include_checks=["I"]))
    assert [str(match) for match in matches] == []


def test_cfn_lint_is_not_blind():
    """The same call does report a broken template, so an empty result above means something."""
    broken = tapgen.render().replace("Runtime: python3.13", "Runtime: python2.7")
    matches = lint(broken, config=ManualArgs(regions=REGIONS, include_checks=["I"]))
    assert any(match.rule.id.startswith("E") for match in matches)


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
@pytest.mark.parametrize("config", list(VARIANTS.values()), ids=list(VARIANTS))
def test_sam_transform_expands_to_a_closed_acyclic_graph(config, region, monkeypatch):
    expanded = expand(yaml_parse(tapgen.render(config)), region, monkeypatch)

    assert "Transform" not in expanded
    assert not any(r["Type"].startswith("AWS::Serverless::") for r in expanded["Resources"].values())
    assert dangling(expanded) == set()
    assert find_cycle(dependency_graph(expanded)) is None


def test_reference_checks_are_not_blind(monkeypatch):
    expanded = expand(yaml_parse(tapgen.render()), "us-east-1", monkeypatch)
    expanded["Resources"]["DataTable"]["Properties"]["TableName"] = {"Ref": "NoSuchThing"}
    assert dangling(expanded) == {"NoSuchThing"}
    expanded["Resources"]["FunctionRole"]["DependsOn"] = "ApiFunction"
    assert find_cycle(dependency_graph(expanded)) is not None


def test_api_integrations_invoke_the_alias(monkeypatch):
    expanded = expand(yaml_parse(tapgen.render()), "us-east-1", monkeypatch)
    (api,) = resources_of_type(expanded, "AWS::ApiGateway::RestApi").values()
    paths = api["Properties"]["Body"]["paths"]
    routes = {(path, method) for path, methods in paths.items() for method in methods if method != "options"}
    assert routes == {
        ("/data", "get"),
        ("/data", "post"),
        ("/data/{id}", "get"),
        ("/data/{id}", "put"),
        ("/data/{id}", "delete"),
    }
    for path, method in routes:
        uri = paths[path][method]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
        assert uri.endswith("/functions/${ApiFunctionAliaslive}/invocations"), (path, method, uri)
    permissions = resources_of_type(expanded, "AWS::Lambda::Permission")
    assert len(permissions) == 5
    assert all(
        p["Properties"]["FunctionName"] == {"Ref": "ApiFunctionAliaslive"} for p in permissions.values()
    )


@pytest.mark.parametrize(
    ("auth", "security"),
    [("api_key", [{"api_key": []}]), ("iam", [{"AWS_IAM": []}]), ("none", None)],
)
def test_auth_modes_protect_every_route_but_preflight(auth, security, monkeypatch):
    expanded = expand(yaml_parse(tapgen.render(tapgen.StackConfig(auth=auth))), "us-east-1", monkeypatch)
    (api,) = resources_of_type(expanded, "AWS::ApiGateway::RestApi").values()
    for path, methods in api["Properties"]["Body"]["paths"].items():
        for method, operation in methods.items():
            if method == "options":
                assert not operation.get("security"), f"CORS pre-flight of {path} must not need auth"
            else:
                assert operation.get("security") == security, (path, method)
    usage_plans = resources_of_type(expanded, "AWS::ApiGateway::UsagePlan")
    assert len(usage_plans) == (1 if auth == "api_key" else 0)
