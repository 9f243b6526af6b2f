"""Compose the resource groups into the TapStack template, in reading order."""

from __future__ import annotations

from troposphere import Template

from tapgen.access_logs import add_access_logs
from tapgen.alarms import add_alarms
from tapgen.api import add_api
from tapgen.config import StackConfig
from tapgen.data import add_data
from tapgen.function import add_function
from tapgen.iam import add_iam
from tapgen.kms import add_encryption
from tapgen.outputs import add_outputs
from tapgen.parameters import add_parameters
from tapgen.yaml_writer import to_json, to_yaml

DESCRIPTION = (
    "Serverless CRUD service: API Gateway REST API -> Lambda (published alias, DLQ, X-Ray) -> DynamoDB, "
    "with access logs in S3 and alarms. Rendered by tapgen; do not edit by hand."
)
FORMATS = ("yaml", "json")


def build_template(config: StackConfig | None = None) -> Template:
    """Build the whole stack as a troposphere Template (defaults when ``config`` is None).

    Alarms come before the function because its deployment preference rolls back
    on them; IAM comes before the resources its policies name (see tapgen.names).
    """
    config = config or StackConfig()
    template = Template(Description=DESCRIPTION)
    template.set_version("2010-09-09")
    template.set_transform("AWS::Serverless-2016-10-31")
    params = add_parameters(template)
    encryption = add_encryption(template, config)
    data = add_data(template, config, params=params, encryption=encryption)
    iam = add_iam(template, config, params=params, data=data, encryption=encryption)
    access_logs = add_access_logs(template, config, params=params, iam=iam, encryption=encryption)
    api = add_api(template, config, params=params, iam=iam, access_logs=access_logs, encryption=encryption)
    alarms = add_alarms(template, config, params=params)
    function = add_function(
        template, config, params=params, data=data, iam=iam, api=api, alarms=alarms, encryption=encryption
    )
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
    return template


def render(config: StackConfig | None = None, fmt: str = "yaml") -> str:
    """Render the stack as YAML (short-form intrinsics) or JSON; same config, same bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt={fmt!r} is not supported; use one of: {', '.join(FORMATS)}")
    document = build_template(config).to_dict()
    return to_yaml(document) if fmt == "yaml" else to_json(document)
