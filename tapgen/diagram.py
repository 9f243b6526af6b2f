"""A picture of the stack: a node per resource, an edge per Ref/GetAtt/Sub, a box per group.

Mermaid for READMEs (GitHub renders it) and Graphviz DOT; both deterministic.
"""

from __future__ import annotations

from typing import Any

from tapgen.config import StackConfig
from tapgen.graph import resource_edges
from tapgen.stack import add_tapstack, new_template

DIAGRAM_FORMATS = ("mermaid", "dot")


def _slug(group: str) -> str:
    return group.replace(" ", "_")


def mermaid(template: dict[str, Any], groups: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """A Mermaid flowchart; an edge A --> B means A refers to B."""
    resources = template["Resources"]
    lines = ["flowchart LR"]
    for group, members in groups:
        lines.append(f'  subgraph {_slug(group)}["{group}"]')
        lines += [f'    {name}["{name}<br/><small>{resources[name]["Type"]}</small>"]' for name in members]
        lines.append("  end")
    lines += [f"  {source} --> {target}" for source, target in resource_edges(template)]
    return "\n".join(lines) + "\n"


def dot(template: dict[str, Any], groups: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """A Graphviz digraph; an edge A -> B means A refers to B."""
    resources = template["Resources"]
    lines = ["digraph TapStack {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for group, members in groups:
        lines.append(f'  subgraph "cluster_{_slug(group)}" {{')
        lines.append(f'    label="{group}";')
        lines += [f'    "{name}" [label="{name}\\n{resources[name]["Type"]}"];' for name in members]
        lines.append("  }")
    lines += [f'  "{source}" -> "{target}";' for source, target in resource_edges(template)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def diagram(config: StackConfig | None = None, fmt: str = "mermaid") -> str:
    """The picture of the stack ``config`` renders, as Mermaid or DOT."""
    if fmt not in DIAGRAM_FORMATS:
        raise ValueError(f"fmt={fmt!r} is not supported; use one of: {', '.join(DIAGRAM_FORMATS)}")
    template = new_template()
    refs = add_tapstack(template, config or StackConfig())
    document = template.to_dict()
    return mermaid(document, refs.groups) if fmt == "mermaid" else dot(document, refs.groups)
