"""Checkov (pinned, offline) finds nothing on either render; every skip ships with its reason."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

import tapgen
from tapgen.checkov import SKIP_REASONS
from tests.conftest import ROOT

# Made by the README's set-up: checkov pins an old boto3, so it has a venv of its own.
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CONFIGS = {
    "default": tapgen.StackConfig(),
    "customer-managed-key": tapgen.StackConfig(customer_managed_key=True),
    "auth=iam": tapgen.StackConfig(auth="iam"),
}
EXPECTED_SKIPS = {
    "default": {
        ("AccessLogBucket", "CKV_AWS_18"),
        ("RestApi", "CKV_AWS_120"),
        ("ApiFunction", "CKV_AWS_117"),
        ("ApiFunction", "CKV_AWS_173"),
        ("DataTable", "CKV_AWS_119"),
        ("DeadLetterQueue", "CKV_AWS_27"),
        ("FunctionLogGroup", "CKV_AWS_158"),
        ("ApiExecutionLogGroup", "CKV_AWS_158"),
        ("AccessLogDeliveryLogGroup", "CKV_AWS_158"),
    },
    # A key of the stack's own answers the encryption checks; design choices remain.
    "customer-managed-key": {
        ("AccessLogBucket", "CKV_AWS_18"),
        ("RestApi", "CKV_AWS_120"),
        ("ApiFunction", "CKV_AWS_117"),
    },
}
EXPECTED_SKIPS["auth=iam"] = EXPECTED_SKIPS["default"]


def run_checkov(template_text: str, directory: Path) -> dict[str, Any]:
    assert CHECKOV.exists(), f"{CHECKOV} is missing: run the README's test set-up command"
    path = directory / "template.yml"
    path.write_text(template_text)
    result = subprocess.run(
        [str(CHECKOV), "-f", str(path), "--framework", "cloudformation", "--skip-download", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(directory), "BC_SKIP_MAPPING": "TRUE"},
    )
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def skips_in(template: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(logical ID, check ID) -> reason, for every checkov skip in resource Metadata."""
    found = {}
    for name, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            found[(name, skip.get("id", ""))] = skip.get("comment", "")
    return found


@pytest.mark.parametrize("variant", list(CONFIGS))
def test_checkov_finds_no_failed_check(variant, tmp_path):
    report = run_checkov(tapgen.render(CONFIGS[variant]), tmp_path)
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 40
    skipped = {(c["resource"].split(".")[-1], c["check_id"]) for c in report["results"]["skipped_checks"]}
    assert skipped == EXPECTED_SKIPS[variant]


def test_checkov_is_not_blind(tmp_path):
    """Without the function's skips, checkov reports exactly what they cover."""
    template = tapgen.build_template().to_dict()
    del template["Resources"]["ApiFunction"]["Metadata"]
    report = run_checkov(json.dumps(template), tmp_path)
    failed = {(c["check_id"], c["resource"].split(".")[-1]) for c in report["results"]["failed_checks"]}
    assert failed == {("CKV_AWS_117", "ApiFunction"), ("CKV_AWS_173", "ApiFunction")}


def skips_without_reason(template: dict[str, Any]) -> list[tuple[str, str]]:
    """Skips whose check ID is not a checkov ID or whose reason is not a real sentence."""
    return [
        (resource, check)
        for (resource, check), reason in skips_in(template).items()
        if not check.startswith("CKV_") or len(reason.split()) < 8
    ]


@pytest.mark.parametrize("variant", list(CONFIGS))
def test_every_skip_in_the_template_has_a_reason(variant):
    template = yaml_parse(tapgen.render(CONFIGS[variant]))
    skips = skips_in(template)
    assert set(skips) == EXPECTED_SKIPS[variant]
    assert skips_without_reason(template) == []
    assert all(reason == SKIP_REASONS[check] for (_, check), reason in skips.items())


@pytest.mark.parametrize("comment", ["", "because", None])
def test_a_skip_without_reason_is_caught(comment):
    template = tapgen.build_template().to_dict()
    skip = template["Resources"]["DataTable"]["Metadata"]["checkov"]["skip"][0]
    if comment is None:
        del skip["comment"]
    else:
        skip["comment"] = comment
    assert skips_without_reason(template) == [("DataTable", "CKV_AWS_119")]
