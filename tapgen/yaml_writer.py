"""A deterministic template writer with CloudFormation's short-form tags.

troposphere's ``to_yaml`` goes through cfn_flip's pure-Python emitter, which is
most of the cost of a render. PyYAML's C-accelerated dumper with representers for
``!Ref``/``!GetAtt``/``!Sub``/... writes the same kind of document several times
faster. Keys keep the order the groups built them in, after a fixed order for the
template's and each resource's own sections, so the output is the same bytes on
every run and machine.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

try:  # PyYAML wheels ship libyaml; a source build without it still works, slower.
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

TEMPLATE_SECTIONS = (
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Globals",
    "Resources",
    "Outputs",
)
RESOURCE_SECTIONS = (
    "Type",
    "Condition",
    "DependsOn",
    "Metadata",
    "Properties",
    "CreationPolicy",
    "UpdatePolicy",
    "DeletionPolicy",
    "UpdateReplacePolicy",
)
# Long form -> short-form tag. Fn::GetAtt is handled apart (dotted scalar form).
_SHORT_TAGS = {
    "Ref": "!Ref",
    "Fn::Sub": "!Sub",
    "Fn::If": "!If",
    "Fn::Equals": "!Equals",
    "Fn::Not": "!Not",
    "Fn::And": "!And",
    "Fn::Or": "!Or",
    "Fn::Join": "!Join",
    "Fn::Select": "!Select",
    "Fn::Split": "!Split",
    "Fn::FindInMap": "!FindInMap",
    "Fn::ImportValue": "!ImportValue",
    "Fn::Base64": "!Base64",
    "Fn::GetAZs": "!GetAZs",
    "Fn::Cidr": "!Cidr",
    "Fn::GetAtt": "!GetAtt",
}


class _Tagged:
    """A value to be written with a short-form tag."""

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


_RESOLVED: dict[tuple[str, tuple[bool, ...]], str] = {}
_RESOLVED_MAX = 100_000


class _Dumper(_BaseDumper):
    """PyYAML's dumper with a direct representer for the types a template holds.

    PyYAML's generic representer (alias tracking, MRO lookups) is pure Python and was
    most of a render; templates never share objects, so nodes are built directly. The
    C emitter still decides quoting, so the text is what PyYAML would write.
    """

    def represent_data(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR, data)
        if kind is dict:
            return yaml.MappingNode(
                _MAP,
                [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()],
                flow_style=False,
            )
        if kind is list:
            return yaml.SequenceNode(_SEQ, [self.represent_data(item) for item in data], flow_style=False)
        if kind is _Tagged:
            return self._represent_tagged(data)
        if kind is bool:
            return yaml.ScalarNode(_BOOL, "true" if data else "false")
        if kind is int:
            return yaml.ScalarNode(_INT, str(data))
        if data is None:
            return yaml.ScalarNode(_NULL, "null")
        node: yaml.Node = super().represent_data(data)  # floats and anything rarer
        return node

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        # The emitter asks, for every scalar, which tag its text would resolve to
        # (to decide on quoting). The answer depends only on the arguments, and a
        # template repeats the same few hundred texts, so scalar answers are kept.
        if kind is not yaml.ScalarNode:
            tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # untyped stub
            return tag
        key = (value, tuple(implicit))
        cached = _RESOLVED.get(key)
        if cached is None:
            if len(_RESOLVED) >= _RESOLVED_MAX:
                _RESOLVED.clear()
            cached = _RESOLVED[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return cached

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered on this dumper, so there is no path to track."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""

    def _represent_tagged(self, data: _Tagged) -> yaml.Node:
        if isinstance(data.value, list):
            return yaml.SequenceNode(
                data.tag, [self.represent_data(item) for item in data.value], flow_style=False
            )
        if isinstance(data.value, dict):
            items = [(self.represent_data(k), self.represent_data(v)) for k, v in data.value.items()]
            return yaml.MappingNode(data.tag, items, flow_style=False)
        return yaml.ScalarNode(data.tag, str(data.value))


def _ordered(mapping: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    ordered = {key: mapping[key] for key in first if key in mapping}
    ordered.update((key, value) for key, value in mapping.items() if key not in ordered)
    return ordered


def normalize(document: dict[str, Any]) -> dict[str, Any]:
    """The template with its sections, and each resource's, in the fixed order."""
    template = _ordered(document, TEMPLATE_SECTIONS)
    if "Resources" in template:
        template["Resources"] = {
            name: _ordered(resource, RESOURCE_SECTIONS) for name, resource in template["Resources"].items()
        }
    return template


def _shorten(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            tag = _SHORT_TAGS.get(key)
            if tag is not None:
                if key == "Fn::GetAtt" and isinstance(inner, list) and all(isinstance(p, str) for p in inner):
                    return _Tagged(tag, ".".join(inner))
                return _Tagged(tag, _shorten(inner))
        return {key: _shorten(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_shorten(item) for item in value]
    return value


def to_yaml(document: dict[str, Any]) -> str:
    """YAML with short-form intrinsics; lines are never folded."""
    return yaml.dump(
        _shorten(normalize(document)),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 20,
        indent=2,
    )


def to_json(document: dict[str, Any]) -> str:
    """Indented JSON in the same key order as the YAML."""
    return json.dumps(normalize(document), indent=2, ensure_ascii=False) + "\n"
