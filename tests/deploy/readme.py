"""The deploy commands exactly as the README gives them, so the tests run what users run."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT

ARTIFACT_BUCKET_PLACEHOLDER = "YOUR_ARTIFACT_BUCKET"


def deploy_commands() -> dict[str, list[str]]:
    """The README's ``## Deploy`` shell block, as argv lists keyed by subcommand (package, deploy)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploy", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README has no deploy block"
    commands = {}
    for line in block.group(1).replace("\\\n", " ").splitlines():
        argv = shlex.split(line)
        if argv:
            assert argv[:2] == ["aws", "cloudformation"], line
            commands[argv[2]] = argv
    return commands


def option(argv: list[str], name: str) -> list[str]:
    """The values following ``name`` up to the next option."""
    start = argv.index(name) + 1
    values = []
    for value in argv[start:]:
        if value.startswith("--"):
            break
        values.append(value)
    return values


def parameter_overrides(argv: list[str]) -> dict[str, str]:
    """``--parameter-overrides Key=Value ...`` as a mapping."""
    return dict(item.split("=", 1) for item in option(argv, "--parameter-overrides"))


def replace_option(argv: list[str], name: str, value: str) -> list[str]:
    index = argv.index(name)
    return [*argv[: index + 1], value, *argv[index + 2 :]]
