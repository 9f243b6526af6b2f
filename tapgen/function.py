"""The function group: the SAM function with its alias, routes, log group and DLQ."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import GetAtt, If, NoValue, Ref, Sub, Template
from troposphere.logs import LogGroup
from troposphere.serverless import DeadLetterQueue, DeploymentPreference, Environment
from troposphere.sqs import Queue

from tapgen import names, sam
from tapgen.alarms import AlarmRefs
from tapgen.api import ApiRefs
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.data import DataRefs
from tapgen.iam import IamRefs
from tapgen.kms import EncryptionRefs, log_group_encryption
from tapgen.parameters import StackParameters
from tapgen.tags import resource_tags, tag_values

# Relative to templates/, where TapStack.yml lives: `aws cloudformation package`
# resolves it from the template's folder and uploads the handler's code.
CODE_URI = "../handler"
HANDLER = "app.lambda_handler"
DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum
# Route name -> (method, path). Names become part of SAM's generated logical IDs.
ROUTES = {
    "ListItems": ("get", "/data"),
    "CreateItem": ("post", "/data"),
    "GetItem": ("get", "/data/{id}"),
    "UpdateItem": ("put", "/data/{id}"),
    "DeleteItem": ("delete", "/data/{id}"),
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


def add_function(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,
    data: DataRefs,
    iam: IamRefs,
    api: ApiRefs,
    alarms: AlarmRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> FunctionRefs:
    """Add the dead-letter queue, the log group and the function (published alias,
    gradual deployment, API routes); return the function, alias and queue refs."""
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
    log_group = template.add_resource(
        LogGroup(
            naming.id(names.FUNCTION_LOG_GROUP),
            LogGroupName=Sub(naming.function_log_group),
            RetentionInDays=config.log_retention_days,
            Tags=resource_tags(),
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            **log_group_encryption(encryption),
        )
    )
    function = template.add_resource(
        sam.Function(
            naming.id(names.FUNCTION),
            FunctionName=Sub(naming.function_name),
            Description="CRUD API over the data table",
            CodeUri=CODE_URI,
            Handler=HANDLER,
            Runtime=config.runtime,
            Architectures=[config.architecture],
            MemorySize=config.memory_mb,
            Timeout=config.timeout_seconds,
            Role=iam.function_role_arn,
            Tracing="Active",
            Layers=[powertools_layer(config)],
            LoggingConfig=sam.LoggingConfig(
                LogFormat="JSON",
                LogGroup=Ref(log_group),
                ApplicationLogLevel=config.log_level,
                SystemLogLevel="WARN",
            ),
            Environment=Environment(
                Variables={
                    "TABLE_NAME": data.name,
                    "CORS_ALLOW_ORIGIN": config.cors_allow_origin,
                    "POWERTOOLS_SERVICE_NAME": config.service_name,
                    "POWERTOOLS_METRICS_NAMESPACE": params.project_name,
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
            Events={
                name: {
                    "Type": "Api",
                    "Properties": {"RestApiId": api.rest_api_id, "Path": path, "Method": method},
                }
                for name, (method, path) in ROUTES.items()
            },
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
