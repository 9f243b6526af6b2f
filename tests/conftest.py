"""Fixtures shared by the whole suite: the rendered template and a local AWS endpoint."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer
from samtranslator.yaml_helper import yaml_parse

import tapgen

# Importing the handler must not leave __pycache__ in handler/, which
# `aws cloudformation package` would upload with the code.
sys.dont_write_bytecode = True

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "templates" / "TapStack.yml"
HANDLER_DIR = ROOT / "handler"
# Credentials for the local endpoint only; it accepts any.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def rendered_template() -> dict[str, Any]:
    """The default render, parsed as CloudFormation reads it (short-form tags and all)."""
    parsed: dict[str, Any] = yaml_parse(tapgen.render())
    return parsed


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server (DynamoDB, S3, CloudFormation, ...) on a free loopback port; stops on exit."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    """One local AWS endpoint for the whole session."""
    with moto_server() as endpoint:
        yield endpoint
