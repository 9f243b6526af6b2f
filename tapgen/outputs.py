"""The outputs group: names other stacks import (``${AWS::StackName}-<Name>``).

The first twelve names are a published interface: renaming one breaks every
stack that imports it.
"""

from __future__ import annotations

from troposphere import Export, Output, Ref, Sub, Template

from tapgen import names
from tapgen.access_logs import AccessLogRefs
from tapgen.alarms import AlarmRefs
from tapgen.api import ApiRefs
from tapgen.config import StackConfig
from tapgen.data import DataRefs
from tapgen.function import FunctionRefs
from tapgen.parameters import StackParameters


def add_outputs(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,
    data: DataRefs,
    access_logs: AccessLogRefs,
    api: ApiRefs,
    alarms: AlarmRefs,
    function: FunctionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> None:
    """Add every output with an export named after the stack; returns nothing (no group uses outputs)."""
    api_id = api.api.title
    values: list[tuple[str, str, object]] = [
        (
            "ApiGatewayUrl",
            "Base URL of the API stage; items live under /data",
            Sub(
                f"https://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
                f"/${{{names.ENVIRONMENT_SUFFIX}}}"
            ),
        ),
        ("LambdaFunctionName", "Name of the API function", function.name),
        ("LambdaFunctionArn", "ARN of the API function (unqualified)", function.arn),
        ("DynamoDBTableName", "Name of the data table", data.name),
        ("DynamoDBTableArn", "ARN of the data table", data.arn),
        ("S3BucketName", "Bucket the API access logs are delivered to", access_logs.bucket_name),
        ("LambdaAliasArn", "ARN of the function's live alias, which the API invokes", function.alias_arn),
        ("LambdaVersionArn", "ARN of the function version the alias points to", function.version_arn),
        ("DeadLetterQueueUrl", "URL of the function's dead-letter queue", function.dead_letter_queue_url),
        ("DeadLetterQueueArn", "ARN of the function's dead-letter queue", function.dead_letter_queue_arn),
        ("StackName", "Name of this stack", Ref("AWS::StackName")),
        ("EnvironmentSuffix", "Environment this stack serves", params.environment_suffix),
        ("DynamoDBTableStreamArn", "ARN of the table's stream (new and old images)", data.stream_arn),
        ("RestApiId", "ID of the REST API", api.rest_api_id),
        (
            "AccessLogDeliveryStreamArn",
            "Firehose stream that carries API access logs",
            access_logs.stream_arn,
        ),
        ("AlarmTopicArn", "SNS topic every alarm notifies; subscribe to it", alarms.topic_arn),
    ]
    if config.auth == "api_key":
        # SAM names the key it creates for a PER_API usage plan <ApiId>ApiKey.
        values.append(
            (
                "ApiKeyId",
                "ID of the API key; read its value with aws apigateway get-api-key --include-value",
                Ref(f"{api_id}ApiKey"),
            )
        )
    for name, description, value in values:
        output_id = naming.id(name)
        template.add_output(
            Output(
                output_id,
                Description=description,
                Value=value,
                Export=Export(Sub("${AWS::StackName}-" + output_id)),
            )
        )
