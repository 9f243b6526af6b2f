"""The deploy path against moto's server: the real AWS CLI, the real SAM translator."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from samtranslator.yaml_helper import yaml_parse

from tests.conftest import FAKE_CREDENTIALS, ROOT
from tests.deploy.readme import ARTIFACT_BUCKET_PLACEHOLDER, deploy_commands, option, replace_option

REGION = "us-east-1"
ARTIFACT_BUCKET = "tapgen-artifacts"
AWS_CLI = Path(sys.executable).with_name("aws")


@pytest.fixture(scope="session")
def cli_environment(aws_endpoint: str) -> dict[str, str]:
    """The environment the AWS CLI runs in: only the endpoint and credentials point it at moto."""
    return {
        **os.environ,
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": aws_endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


@pytest.fixture(scope="session")
def aws(cli_environment: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run an ``aws ...`` argv with the project's AWS CLI; fails the test on a non-zero exit."""

    def run(argv: list[str], cwd: Path = ROOT, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert argv[0] == "aws"
        result = subprocess.run(
            [str(AWS_CLI), *argv[1:]],
            cwd=cwd,
            env=cli_environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, f"{' '.join(argv)}\n{result.stdout}\n{result.stderr}"
        return result

    return run


@pytest.fixture(scope="session")
def client(aws_endpoint: str) -> Callable[[str], Any]:
    def make(service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=aws_endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return make


@pytest.fixture(scope="session")
def packaged(aws, client, tmp_path_factory) -> dict[str, Any]:
    """The README's package command, run as written but for the bucket and output path."""
    client("s3").create_bucket(Bucket=ARTIFACT_BUCKET)
    output = tmp_path_factory.mktemp("package") / "packaged.yml"
    argv = deploy_commands()["package"]
    assert option(argv, "--s3-bucket") == [ARTIFACT_BUCKET_PLACEHOLDER]
    argv = replace_option(argv, "--s3-bucket", ARTIFACT_BUCKET)
    argv = replace_option(argv, "--output-template-file", str(output))
    aws(argv)
    parsed: dict[str, Any] = yaml_parse(output.read_text(encoding="utf-8"))
    return parsed
