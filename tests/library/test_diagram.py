"""`python -m tapgen diagram`: a node per resource, an edge per reference, groups as boxes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import tapgen
from tapgen.cli import main
from tapgen.graph import resource_edges
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_diagram_is_current():
    (embedded,) = re.findall(
        r"<!-- diagram:start -->\n```mermaid\n(.*?)```\n<!-- diagram:end -->", README, re.DOTALL
    )
    assert embedded == tapgen.diagram(), (
        "README diagram is stale: paste the output of python -m tapgen diagram"
    )


def test_mermaid_has_a_node_per_resource_and_an_edge_per_reference():
    text = tapgen.diagram()
    template = tapgen.build_template().to_dict()
    for name, resource in template["Resources"].items():
        assert f'    {name}["{name}<br/><small>{resource["Type"]}</small>"]' in text
    edges = re.findall(r"^  (\w+) --> (\w+)$", text, re.MULTILINE)
    assert edges == resource_edges(template)
    assert ("ApiFunction", "DataTable") in edges and ("AccessLogDeliveryStream", "AccessLogBucket") in edges


def test_resources_are_grouped_by_the_group_that_added_them():
    text = tapgen.diagram()
    groups = re.findall(r'subgraph (\w+)\["([^"]+)"\]\n(.*?)\n  end', text, re.DOTALL)
    members = {label: re.findall(r"^    (\w+)\[", body, re.MULTILINE) for _, label, body in groups}
    assert list(members) == ["data", "iam", "access logs", "api", "alarms", "function"]
    assert members["data"] == ["DataTable"]
    assert "ApiFunction" in members["function"]
    assert sum(len(m) for m in members.values()) == len(tapgen.build_template().resources)


def test_customer_managed_key_gets_its_own_group():
    text = tapgen.diagram(tapgen.StackConfig(customer_managed_key=True))
    assert 'subgraph encryption["encryption"]' in text
    assert "  DataTable --> DataKey" in text


def test_dot_format():
    text = tapgen.diagram(fmt="dot")
    assert text.startswith("digraph TapStack {")
    assert '"ApiFunction" -> "DataTable";' in text
    assert 'subgraph "cluster_function"' in text


def test_diagram_is_deterministic_across_processes():
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "tapgen", "diagram"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert outputs == {tapgen.diagram()}


def test_cli_diagram(capsys, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("customer_managed_key = true\n")
    assert main(["diagram", "--format", "dot", "--config", str(config)]) == 0
    assert "DataKey" in capsys.readouterr().out


def test_unknown_diagram_format_is_refused():
    with pytest.raises(ValueError, match="fmt='png'"):
        tapgen.diagram(fmt="png")
