"""The function group: the SAM function with its alias, routes, log group and DLQ."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from troposphere import GetAtt, If, NoValue, Ref, Sub, Template
from troposphere.serverless import DeadLetterQueue, DeploymentPreference, Environment
from troposphere.sqs import Queue

from tapgen import names, sam
from tapgen.alarms import AlarmRefs
from tapgen.api import ApiRefs
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.data import DataRefs
from tapgen.kms import EncryptionRefs
from tapgen.logs import log_group
from tapgen.parameters import StackParameters
from tapgen.tags import resource_tags, tag_values

# Relative to templates/, where TapStack.yml lives: `aws cloudformation package`
# resolves it from the template's folder and uploads the handler's code.
CODE_URI = "../handler"
HANDLER = "app.lambda_handler"
DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum
# The handler's default collection path; another one is passed to it as API_BASE_PATH.
DEFAULT_BASE_PATH = "/data"
_BASE_PATH = re.compile(r"^/[a-z0-9][a-z0-9-]{0,62}$")


def routes(base_path: str) -> dict[str, tuple[str, str]]:
    """Route name -> (method, path) of the CRUD API under ``base_path``.

    Route names become part of the logical IDs SAM generates, so they never change.
    """
    return {
        "ListItems": ("get", base_path),
        "CreateItem": ("post", base_path),
        "GetItem": ("get", base_path + "/{id}"),
        "UpdateItem": ("put", base_path + "/{id}"),
        "DeleteItem": ("delete", base_path + "/{id}"),
    }


@dataclass(frozen=True)
class FunctionRefs:
    """What the outputs use of the function, its alias and its queue."""

    function: sam.Function
    name: Ref
    arn: GetAtt
    alias_arn: Ref
    version_arn: Ref
    dead_letter_queue_url: Ref
    dead_letter_queue_arn: GetAtt


def powertools_layer(config: StackConfig) -> str:
    """The official Powertools layer ARN for this runtime and architecture, resolved at
    deploy time from AWS's public SSM parameter for the pinned version.

    https://docs.aws.amazon.com/powertools/python/latest/getting-started/lambda-layers/
    """
    path = (
        f"/aws/service/powertools/python/{config.architecture}/{config.runtime}/{config.powertools_version}"
    )
    return f"{{{{resolve:ssm:{path}}}}}"


def _events(events: dict[str, object]) -> dict[str, object]:
    return {"Events": events} if events else {}


def _api_events(api: ApiRefs | None, base_path: str) -> dict[str, object]:
    if api is None:
        return {}
    return {
        name: {"Type": "Api", "Properties": {"RestApiId": api.rest_api_id, "Path": path, "Method": method}}
        for name, (method, path) in routes(base_path).items()
    }


def add_function(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,
    data: DataRefs,
    role_arn: GetAtt,
    api: ApiRefs | None,
    alarms: AlarmRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
    base_path: str = DEFAULT_BASE_PATH,
    code_uri: str = CODE_URI,
    handler: str = HANDLER,
    events: Mapping[str, object] | None = None,
) -> FunctionRefs:
    """Add the dead-letter queue, the log group and the function (published alias,
    gradual deployment, and the CRUD routes under ``base_path`` on ``api`` when one is
    given); return the function, alias and queue refs.

    ``code_uri`` is relative to the folder the rendered template is written to;
    ``events`` are further SAM event sources (e.g. an SQS queue) by name.
    """
    if not _BASE_PATH.match(base_path):
        raise ValueError(
            f"base_path={base_path!r} is not valid: use one lower-case path segment such as '/items'"
        )
    key = encryption.key_arn
    queue_encryption: dict[str, object] = (
        {"SqsManagedSseEnabled": True, **skipped("CKV_AWS_27")} if key is None else {"KmsMasterKeyId": key}
    )
    queue = template.add_resource(
        Queue(
            naming.id(names.DEAD_LETTER_QUEUE),
            QueueName=Sub(naming.dead_letter_queue_name),
            MessageRetentionPeriod=DLQ_RETENTION_SECONDS,
            Tags=resource_tags(),
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            **queue_encryption,
        )
    )
    logs = template.add_resource(
        log_group(naming.id(names.FUNCTION_LOG_GROUP), Sub(naming.function_log_group), config, encryption)
    )
    function = template.add_resource(
        sam.Function(
            naming.id(names.FUNCTION),
            FunctionName=Sub(naming.function_name),
            Description="CRUD API over the data table",
            CodeUri=code_uri,
            Handler=handler,
            Runtime=config.runtime,
            Architectures=[config.architecture],
            MemorySize=config.memory_mb,
            Timeout=config.timeout_seconds,
            Role=role_arn,
            Tracing="Active",
            Layers=[powertools_layer(config)],
            LoggingConfig=sam.LoggingConfig(
                LogFormat="JSON",
                LogGroup=Ref(logs),
                ApplicationLogLevel=config.log_level,
                SystemLogLevel="WARN",
            ),
            Environment=Environment(
                Variables={
                    "TABLE_NAME": data.name,
                    "CORS_ALLOW_ORIGIN": config.cors_allow_origin,
                    "POWERTOOLS_SERVICE_NAME": config.service_name,
                    "POWERTOOLS_METRICS_NAMESPACE": params.project_name,
                    **({} if base_path == DEFAULT_BASE_PATH else {"API_BASE_PATH": base_path}),
                }
            ),
            ReservedConcurrentExecutions=If(
                params.has_reserved_concurrency, params.reserved_concurrency, NoValue
            ),
            DeadLetterQueue=DeadLetterQueue(Type="SQS", TargetArn=GetAtt(queue, "Arn")),
            AutoPublishAlias=names.FUNCTION_ALIAS,
            DeploymentPreference=DeploymentPreference(
                Type=params.deployment_type, Alarms=list(alarms.rollback_alarms)
            ),
            **_events({**_api_events(api, base_path), **(events or {})}),
            Tags=tag_values(),
            PropagateTags=True,
            **({} if key is None else {"KmsKeyArn": key}),
            **skipped("CKV_AWS_117", *(("CKV_AWS_173",) if key is None else ())),
        )
    )
    logical_id = function.title
    return FunctionRefs(
        function=function,
        name=Ref(function),
        arn=GetAtt(function, "Arn"),
        # SAM's documented references to the resources AutoPublishAlias generates.
        alias_arn=Ref(f"{logical_id}.Alias"),
        version_arn=Ref(f"{logical_id}.Version"),
        dead_letter_queue_url=Ref(queue),
        dead_letter_queue_arn=GetAtt(queue, "Arn"),
    )
