"""Compose the resource groups into the TapStack template, in reading order."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from troposphere import Template

from tapgen.access_logs import AccessLogRefs, add_access_logs
from tapgen.alarms import AlarmRefs, add_alarms
from tapgen.api import ApiRefs, add_api
from tapgen.config import StackConfig
from tapgen.data import DataRefs, add_data
from tapgen.function import FunctionRefs, add_function
from tapgen.iam import IamRefs, add_iam
from tapgen.kms import EncryptionRefs, add_encryption
from tapgen.outputs import add_outputs
from tapgen.parameters import StackParameters, add_parameters
from tapgen.yaml_writer import to_json, to_yaml

DESCRIPTION = (
    "Serverless CRUD service: API Gateway REST API -> Lambda (published alias, DLQ, X-Ray) -> DynamoDB, "
    "with access logs in S3 and alarms. Rendered by tapgen; do not edit by hand."
)
FORMATS = ("yaml", "json")


@dataclass(frozen=True)
class TapStackRefs:
    """Every group's refs, for stacks that add their own resources next to TapStack,
    and which logical IDs each group added (in order), for pictures of the stack."""

    params: StackParameters
    encryption: EncryptionRefs
    data: DataRefs
    iam: IamRefs
    access_logs: AccessLogRefs
    api: ApiRefs
    alarms: AlarmRefs
    function: FunctionRefs
    groups: tuple[tuple[str, tuple[str, ...]], ...]


def new_template(description: str = DESCRIPTION) -> Template:
    """An empty SAM template (format version and the Serverless transform set)."""
    template = Template(Description=description)
    template.set_version("2010-09-09")
    template.set_transform("AWS::Serverless-2016-10-31")
    return template


def add_tapstack(template: Template, config: StackConfig) -> TapStackRefs:
    """Add the whole TapStack (parameters, every group, outputs); return every group's refs.

    Alarms come before the function because its deployment preference rolls back
    on them; IAM comes before the resources its policies name (see tapgen.names).
    """
    groups: list[tuple[str, tuple[str, ...]]] = []
    seen = set(template.resources)

    def added(group: str) -> None:
        new = tuple(name for name in template.resources if name not in seen)
        seen.update(new)
        if new:
            groups.append((group, new))

    params = add_parameters(template)
    encryption = add_encryption(template, config)
    added("encryption")
    data = add_data(template, config, params=params, encryption=encryption)
    added("data")
    iam = add_iam(template, config, params=params, data=data, encryption=encryption)
    added("iam")
    access_logs = add_access_logs(template, config, params=params, iam=iam, encryption=encryption)
    added("access logs")
    api = add_api(template, config, params=params, iam=iam, access_logs=access_logs, encryption=encryption)
    added("api")
    alarms = add_alarms(template, config, params=params, api=api)
    added("alarms")
    function = add_function(
        template,
        config,
        params=params,
        data=data,
        role_arn=iam.function_role_arn,
        api=api,
        alarms=alarms,
        encryption=encryption,
    )
    added("function")
    add_outputs(
        template,
        config,
        params=params,
        data=data,
        access_logs=access_logs,
        api=api,
        alarms=alarms,
        function=function,
    )
    return TapStackRefs(params, encryption, data, iam, access_logs, api, alarms, function, tuple(groups))


def build_template(config: StackConfig | None = None) -> Template:
    """Build the whole stack as a troposphere Template (defaults when ``config`` is None)."""
    template = new_template()
    add_tapstack(template, config or StackConfig())
    return template


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its state afterwards.

    A render allocates tens of thousands of short-lived, acyclic dicts, lists and
    nodes; the collector's full passes over that growing heap made a template of 50
    stacks cost 1.4 times as much per stack as a template of one. Reference counting
    frees all of it; anything cyclic waits for the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_template(template: Template, fmt: str = "yaml") -> str:
    """Any troposphere Template as deterministic YAML (short-form intrinsics) or JSON."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt={fmt!r} is not supported; use one of: {', '.join(FORMATS)}")
    with _collector_paused():
        document = template.to_dict()
        return to_yaml(document) if fmt == "yaml" else to_json(document)


def render(config: StackConfig | None = None, fmt: str = "yaml") -> str:
    """Render the stack as YAML (short-form intrinsics) or JSON; same config, same bytes."""
    with _collector_paused():
        return render_template(build_template(config), fmt)
