"""The golden template, determinism, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from samtranslator.yaml_helper import yaml_parse

import tapgen
from tapgen.cli import main
from tests.conftest import ROOT, TEMPLATE_PATH


def test_committed_template_equals_render():
    committed = TEMPLATE_PATH.read_text(encoding="utf-8")
    rendered = tapgen.render()
    if committed != rendered:
        import difflib

        diff = "".join(
            difflib.unified_diff(committed.splitlines(True), rendered.splitlines(True), "committed", "render")
        )
        pytest.fail(
            f"templates/TapStack.yml is stale; run: python -m tapgen render > templates/TapStack.yml\n{diff}"
        )


def test_two_renders_are_identical():
    assert tapgen.render() == tapgen.render()
    assert tapgen.render(fmt="json") == tapgen.render(fmt="json")


@pytest.mark.parametrize("seed", ["0", "1", "12345"])
def test_render_does_not_depend_on_hash_seed(seed):
    """Set iteration order changes with PYTHONHASHSEED; the output must not."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-m", "tapgen", "render"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    assert out.stdout == TEMPLATE_PATH.read_text(encoding="utf-8")


def test_yaml_uses_short_form_intrinsics():
    text = tapgen.render()
    assert "!Ref DataTable" in text
    assert "!GetAtt FunctionRole.Arn" in text
    assert "!Sub ${ProjectName}-${EnvironmentSuffix}-data" in text
    assert "Fn::" not in text and "Ref:" not in text


def test_json_and_yaml_describe_the_same_template():
    assert json.loads(tapgen.render(fmt="json")) == yaml_parse(tapgen.render())


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="fmt='xml'"):
        tapgen.render(fmt="xml")


def test_cli_prints_the_render(capsys):
    assert main(["render"]) == 0
    assert capsys.readouterr().out == tapgen.render()


def test_cli_json(capsys):
    assert main(["render", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["Transform"] == "AWS::Serverless-2016-10-31"


def test_cli_config_file(tmp_path, capsys):
    config = tmp_path / "stack.toml"
    config.write_text('auth = "iam"\nmemory_mb = 512\n')
    assert main(["render", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert out == tapgen.render(tapgen.StackConfig(auth="iam", memory_mb=512))
    assert "MemorySize: 512" in out


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('colour = "blue"\n', "colour"),
        ('auth = "open"\n', "auth"),
        ("memory_mb = 64\n", "memory_mb"),
        ('memory_mb = "lots"\n', "memory_mb"),
        ("timeout_seconds = 60\n", "timeout_seconds"),
        ("not toml at all = = =\n", "not valid TOML"),
    ],
)
def test_cli_bad_config_exits_2_with_one_line(tmp_path, capsys, toml, named):
    config = tmp_path / "stack.toml"
    config.write_text(toml)
    assert main(["render", "--config", str(config)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert named in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_cli_missing_config_exits_2(tmp_path, capsys):
    assert main(["render", "--config", str(tmp_path / "absent.toml")]) == 2
    assert "absent.toml" in capsys.readouterr().err


def test_cli_check_passes_on_identical_file(capsys):
    assert main(["render", "--check", str(TEMPLATE_PATH)]) == 0
    assert capsys.readouterr().out == ""


def test_cli_check_fails_with_a_diff(tmp_path, capsys):
    stale = tmp_path / "TapStack.yml"
    stale.write_text(tapgen.render().replace("MemorySize: 256", "MemorySize: 128"))
    assert main(["render", "--check", str(stale)]) == 1
    captured = capsys.readouterr()
    assert "-      MemorySize: 128" in captured.out
    assert "+      MemorySize: 256" in captured.out
    assert "differs" in captured.err


def test_cli_check_unreadable_file_exits_2(tmp_path, capsys):
    assert main(["render", "--check", str(tmp_path / "missing.yml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_python_dash_m_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "tapgen", "render", "--check", str(TEMPLATE_PATH)],
        cwd=ROOT,
        capture_output=True,
    )
    assert out.returncode == 0, out.stderr
