"""Helpers over rendered templates: find resources, expand SAM, follow references."""

from __future__ import annotations

import copy
from typing import Any

from samtranslator.translator.transform import transform

from tapgen.graph import references, resource_edges

PSEUDO_PARAMETERS = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def the_resource(template: dict[str, Any], resource_type: str, **properties: Any) -> dict[str, Any]:
    """The one resource of ``resource_type``; asserts it has (at least) ``properties``."""
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    ((_, resource),) = found.items()
    actual = resource.get("Properties", {})
    for name, expected in properties.items():
        assert actual.get(name) == expected, f"{resource_type}.{name}: {actual.get(name)!r} != {expected!r}"
    return resource


class _NoManagedPolicies:
    """The translator asks IAM for managed-policy ARNs only for SAM ``Policies``; tapgen uses none."""

    def load(self) -> dict[str, str]:
        return {}


def with_code_in_s3(template: dict[str, Any]) -> dict[str, Any]:
    """The template as ``aws cloudformation package`` leaves it: local CodeUri paths become S3 URIs."""
    packaged = copy.deepcopy(template)
    for resource in resources_of_type(packaged, "AWS::Serverless::Function").values():
        resource["Properties"]["CodeUri"] = "s3://tapgen-artifacts/handler.zip"
    return packaged


def expand(
    template: dict[str, Any], region: str, monkeypatch: Any, parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run the real SAM transform (what CloudFormation runs) for ``region``.

    CloudFormation hands the transform the stack's parameter values, which SAM
    substitutes in some places (e.g. the deployment type); ``parameters`` are those.
    """
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.setenv("AWS_REGION", region)
    expanded: dict[str, Any] = transform(with_code_in_s3(template), parameters or {}, _NoManagedPolicies())
    return expanded


def dependency_graph(template: dict[str, Any]) -> dict[str, set[str]]:
    """Resource -> the resources it needs (references and DependsOn), parameters excluded."""
    resources = template["Resources"]
    graph: dict[str, set[str]] = {name: set() for name in resources}
    for source, target in resource_edges(template):
        graph[source].add(target)
    for name, resource in resources.items():
        depends = resource.get("DependsOn", [])
        graph[name] |= {d for d in ([depends] if isinstance(depends, str) else depends) if d in resources}
    return graph


def dangling(template: dict[str, Any]) -> set[str]:
    """Names referenced anywhere (resources, outputs, conditions) that the template does not define."""
    known = set(template["Resources"]) | set(template.get("Parameters", {})) | PSEUDO_PARAMETERS
    used = references(template["Resources"]) | references(template.get("Outputs", {}))
    for resource in template["Resources"].values():
        depends = resource.get("DependsOn", [])
        used |= {depends} if isinstance(depends, str) else set(depends)
    return used - known


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A dependency cycle, if there is one."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None
