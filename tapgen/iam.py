"""The IAM group: the roles of the function, of access-log delivery and of API Gateway.

Every document is written with awacs, one small function per grant, with exact
actions and resources addressed through ``${AWS::Partition}``, region and account
pseudo-parameters. Roles are left unnamed so that deploying needs only
``CAPABILITY_IAM`` and two stacks never clash on a global role name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import awacs.dynamodb as ddb
import awacs.kms as kms
import awacs.logs as logs
import awacs.s3 as s3
import awacs.sqs as sqs
import awacs.sts as sts
import awacs.xray as xray
from awacs.aws import Allow, Condition, PolicyDocument, Principal, Statement, StringEquals
from troposphere import GetAtt, Sub, Template
from troposphere.apigateway import Account
from troposphere.iam import Policy, Role

from tapgen import names
from tapgen.config import StackConfig
from tapgen.data import DataRefs
from tapgen.kms import EncryptionRefs
from tapgen.parameters import StackParameters, api_condition
from tapgen.tags import resource_tags

_ARN = "arn:${AWS::Partition}"
_REGIONAL = "${AWS::Region}:${AWS::AccountId}"

# Exactly the operations handler/app.py calls; tests/handler checks the two agree.
TABLE_ACTIONS = (ddb.GetItem, ddb.PutItem, ddb.UpdateItem, ddb.DeleteItem, ddb.Scan)
# Where Firehose writes (data and error records both live under it).
ACCESS_LOG_PREFIX = "access-logs/"


@dataclass(frozen=True)
class IamRefs:
    """The role ARNs the function and the delivery stream are given."""

    function_role_arn: GetAtt
    delivery_role_arn: GetAtt
    # Conditional: exists only where the stack registers API Gateway's role.
    api_gateway_account: Account


def _document(*statements: Statement) -> PolicyDocument:
    return PolicyDocument(Version="2012-10-17", Statement=list(statements))


def assume_role_by(service: str, *, external_id: Sub | None = None) -> PolicyDocument:
    """Trust ``service`` to assume the role (optionally only with our account as external id)."""
    condition = Condition(StringEquals("sts:ExternalId", external_id)) if external_id is not None else None
    statement = Statement(Effect=Allow, Principal=Principal("Service", [service]), Action=[sts.AssumeRole])
    if condition is not None:
        statement.Condition = condition
    return _document(statement)


def grant_table_crud(table_arn: GetAtt) -> Statement:
    """Read and write single items of the table, and scan it for listing."""
    return Statement(Effect=Allow, Action=list(TABLE_ACTIONS), Resource=[table_arn])


def grant_send_to_queue(queue_name: str) -> Statement:
    """Send messages (failed async events) to the named queue."""
    return Statement(
        Effect=Allow, Action=[sqs.SendMessage], Resource=[Sub(f"{_ARN}:sqs:{_REGIONAL}:{queue_name}")]
    )


def grant_write_log_group(log_group_name: str) -> Statement:
    """Write streams and events into the named log group only (it is created by the stack)."""
    return Statement(
        Effect=Allow,
        Action=[logs.CreateLogStream, logs.PutLogEvents],
        Resource=[Sub(f"{_ARN}:logs:{_REGIONAL}:log-group:{log_group_name}:*")],
    )


def grant_consume_queue(queue_arn: GetAtt) -> Statement:
    """Receive and delete messages of a queue: what a Lambda SQS event source needs.

    https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
    """
    return Statement(
        Effect=Allow,
        Action=[sqs.ReceiveMessage, sqs.DeleteMessage, sqs.GetQueueAttributes],
        Resource=[queue_arn],
    )


def grant_xray_write() -> Statement:
    """Send trace segments. X-Ray has no resource-level permissions for these two actions.

    See https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html
    """
    return Statement(Effect=Allow, Action=[xray.PutTraceSegments, xray.PutTelemetryRecords], Resource=["*"])


def grant_bucket_prefix_write(bucket_name: str, prefix: str) -> list[Statement]:
    """What Firehose needs to deliver objects under ``prefix`` of the bucket, and nothing more.

    See https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
    """
    bucket = Sub(f"{_ARN}:s3:::{bucket_name}")
    objects = Sub(f"{_ARN}:s3:::{bucket_name}/{prefix}*")
    return [
        Statement(
            Effect=Allow,
            Action=[s3.GetBucketLocation, s3.ListBucket, s3.ListBucketMultipartUploads],
            Resource=[bucket],
        ),
        Statement(
            Effect=Allow, Action=[s3.AbortMultipartUpload, s3.GetObject, s3.PutObject], Resource=[objects]
        ),
    ]


def grant_use_key(key_arn: GetAtt) -> Statement:
    """Encrypt and decrypt data keys with the stack's key: needed to send to a queue
    or write to a bucket that the key encrypts. The key policy limits the use to
    those services (kms:ViaService)."""
    return Statement(Effect=Allow, Action=[kms.GenerateDataKey, kms.Decrypt], Resource=[key_arn])


def grant_api_gateway_logging() -> Statement:
    """What API Gateway's account-wide CloudWatch role needs (the managed
    AmazonAPIGatewayPushToCloudWatchLogs policy's actions), limited to this account and region."""
    return Statement(
        Effect=Allow,
        Action=[
            logs.CreateLogGroup,
            logs.CreateLogStream,
            logs.DescribeLogGroups,
            logs.DescribeLogStreams,
            logs.PutLogEvents,
            logs.GetLogEvents,
            logs.FilterLogEvents,
        ],
        Resource=[Sub(f"{_ARN}:logs:{_REGIONAL}:log-group:*")],
    )


def add_function_role(
    template: Template,
    *,
    data: DataRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
    extra_grants: Sequence[Statement] = (),
) -> GetAtt:
    """Add the runtime role of the function named by ``naming``: CRUD on ``data``'s table,
    sends to its dead-letter queue, its own log group, X-Ray, and ``extra_grants`` (e.g.
    ``grant_consume_queue`` for a queue-fed function); return the role's ARN."""
    role = template.add_resource(
        Role(
            naming.id(names.FUNCTION_ROLE),
            Description=Sub("Runtime role of " + naming.function_name),
            AssumeRolePolicyDocument=assume_role_by("lambda.amazonaws.com"),
            Policies=[
                Policy(
                    PolicyName="function-runtime",
                    PolicyDocument=_document(
                        grant_table_crud(data.arn),
                        grant_send_to_queue(naming.dead_letter_queue_name),
                        grant_write_log_group(naming.function_log_group),
                        grant_xray_write(),
                        *_key_grants(encryption),
                        *extra_grants,
                    ),
                )
            ],
            Tags=resource_tags(),
        )
    )
    return GetAtt(role, "Arn")


def add_access_log_delivery_role(
    template: Template, *, encryption: EncryptionRefs, naming: names.Naming = names.DEFAULT_NAMING
) -> GetAtt:
    """Add the role Firehose assumes to deliver access logs under the bucket's prefix
    (only for this account); return its ARN."""
    role = template.add_resource(
        Role(
            naming.id(names.ACCESS_LOG_DELIVERY_ROLE),
            Description=Sub("Firehose delivery of API access logs for " + naming.physical("api")),
            AssumeRolePolicyDocument=assume_role_by(
                "firehose.amazonaws.com", external_id=Sub("${AWS::AccountId}")
            ),
            Policies=[
                Policy(
                    PolicyName="access-log-delivery",
                    PolicyDocument=_document(
                        *grant_bucket_prefix_write(naming.access_log_bucket_name, ACCESS_LOG_PREFIX),
                        grant_write_log_group(naming.access_log_delivery_log_group),
                        *_key_grants(encryption),
                    ),
                )
            ],
            Tags=resource_tags(),
        )
    )
    return GetAtt(role, "Arn")


def add_api_gateway_account(
    template: Template, *, params: StackParameters, naming: names.Naming = names.DEFAULT_NAMING
) -> Account:
    """Add (on the CreateApiGatewayAccount condition) API Gateway's CloudWatch role and
    its registration; return the registration. Account-wide: add it once per stack.

    A stage with method logging fails to deploy unless the account has a CloudWatch
    role registered in API Gateway's per-region account settings.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    """
    condition = api_condition(params)
    cloudwatch_role = template.add_resource(
        Role(
            naming.id(names.API_GATEWAY_CLOUDWATCH_ROLE),
            Condition=condition,
            Description="API Gateway's account-wide role for writing execution and access logs",
            AssumeRolePolicyDocument=assume_role_by("apigateway.amazonaws.com"),
            Policies=[
                Policy(
                    PolicyName="api-gateway-logging", PolicyDocument=_document(grant_api_gateway_logging())
                )
            ],
            Tags=resource_tags(),
        )
    )
    account: Account = template.add_resource(
        Account(
            naming.id(names.API_GATEWAY_ACCOUNT),
            Condition=condition,
            CloudWatchRoleArn=GetAtt(cloudwatch_role, "Arn"),
        )
    )
    return account


def _key_grants(encryption: EncryptionRefs) -> list[Statement]:
    return [] if encryption.key_arn is None else [grant_use_key(encryption.key_arn)]


def add_iam(
    template: Template,
    config: StackConfig,  # noqa: ARG001 - the same signature as every group
    *,
    params: StackParameters,
    data: DataRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> IamRefs:
    """Add the function role, the access-log delivery role and (on a condition)
    API Gateway's account CloudWatch role with its registration; return the role ARNs."""
    return IamRefs(
        function_role_arn=add_function_role(template, data=data, encryption=encryption, naming=naming),
        delivery_role_arn=add_access_log_delivery_role(template, encryption=encryption, naming=naming),
        api_gateway_account=add_api_gateway_account(template, params=params, naming=naming),
    )
