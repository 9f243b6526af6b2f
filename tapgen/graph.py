"""The dependency graph of a template: which logical names each resource refers to."""

from __future__ import annotations

import re
from typing import Any

_SUB_VARIABLE = re.compile(r"\$\{([^!][^}]*)\}")


def references(value: Any) -> set[str]:
    """Every logical name (resource or parameter) ``value`` points at through Ref, GetAtt or Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            found.add(value["Ref"].split(".")[0])
        elif set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else target.split(".")[0])
        elif set(value) == {"Fn::Sub"}:
            sub = value["Fn::Sub"]
            text, variables = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])
            found |= {name.split(".")[0] for name in _SUB_VARIABLE.findall(text) if name not in variables}
            found |= references(variables)
        else:
            for inner in value.values():
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def resource_edges(template: dict[str, Any]) -> list[tuple[str, str]]:
    """(resource, resource it refers to) for every Ref/GetAtt/Sub between resources, sorted."""
    resources = template["Resources"]
    edges = set()
    for name, resource in resources.items():
        body = {key: value for key, value in resource.items() if key != "DependsOn"}
        edges |= {(name, target) for target in references(body) if target in resources}
    return sorted(edges)
