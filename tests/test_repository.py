"""The repository's parts agree: README commands, CI, docs tables, lint and types."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

import tapgen
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)


def test_readme_gives_the_render_and_test_commands_first():
    render, test = SHELL_BLOCKS[0].strip(), SHELL_BLOCKS[1].strip()
    assert render.endswith("python -m tapgen render > templates/TapStack.yml")
    assert test.endswith("python -m pytest")
    assert "\n" not in render and "\n" not in test, "each set-up command is one copy-paste line"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert SHELL_BLOCKS[1].strip() in ci.splitlines()


def test_readme_documents_every_config_field_and_parameter():
    for field in dataclasses.fields(tapgen.StackConfig):
        assert f"| `{field.name}` |" in README, field.name
    for parameter in tapgen.build_template().to_dict()["Parameters"]:
        assert f"| `{parameter}` |" in README, parameter


def test_readme_config_defaults_are_current():
    rows = dict(re.findall(r"^\| `(\w+)` \| `?([^`|]+?)`? \|", README, re.MULTILINE))
    for field in dataclasses.fields(tapgen.StackConfig):
        assert rows[field.name] == str(field.default), field.name


def test_readme_lists_every_output():
    for output in tapgen.build_template().to_dict()["Outputs"]:
        assert output in README, output


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_code_is_lint_and_type_clean(command):
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
