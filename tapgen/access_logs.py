"""The access-log group: API access logs delivered into an encrypted S3 bucket.

API Gateway REST stages cannot write access logs to S3 themselves; they can send
them to a Kinesis Data Firehose stream whose name starts with
``amazon-apigateway-``, which then delivers GZIP batches into the bucket.
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-logging-to-kinesis.html
"""

from __future__ import annotations

from dataclasses import dataclass

import awacs.s3 as s3
from awacs.aws import Bool, Condition, Deny, PolicyDocument, Principal, Statement
from troposphere import GetAtt, Ref, Sub, Template
from troposphere.firehose import (
    BufferingHints,
    CloudWatchLoggingOptions,
    DeliveryStream,
    DeliveryStreamEncryptionConfigurationInput,
    ExtendedS3DestinationConfiguration,
)
from troposphere.logs import LogStream
from troposphere.s3 import (
    AbortIncompleteMultipartUpload,
    Bucket,
    BucketEncryption,
    BucketPolicy,
    LifecycleConfiguration,
    LifecycleRule,
    NoncurrentVersionExpiration,
    OwnershipControls,
    OwnershipControlsRule,
    PublicAccessBlockConfiguration,
    ServerSideEncryptionByDefault,
    ServerSideEncryptionRule,
    VersioningConfiguration,
)

from tapgen import names
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.iam import ACCESS_LOG_PREFIX, IamRefs
from tapgen.kms import EncryptionRefs
from tapgen.logs import log_group
from tapgen.parameters import StackParameters
from tapgen.tags import resource_tags

DELIVERY_LOG_STREAM = "S3Delivery"
_DATE_PARTITION = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"


@dataclass(frozen=True)
class AccessLogRefs:
    """What the API and the outputs use of the access-log delivery."""

    bucket_name: Ref
    bucket_arn: GetAtt
    stream_name: Ref
    stream_arn: GetAtt


def tls_only(bucket: Bucket) -> PolicyDocument:
    """Deny every request to the bucket that does not use TLS.

    A Deny on all S3 actions is the form AWS documents for this rule; it grants nothing.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
    """
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="DenyInsecureTransport",
                Effect=Deny,
                Principal=Principal("*"),
                Action=[s3.Action("*")],
                Resource=[GetAtt(bucket, "Arn"), Sub(f"${{{bucket.title}.Arn}}/*")],
                Condition=Condition(Bool("aws:SecureTransport", "false")),
            )
        ],
    )


def add_access_logs(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,  # noqa: ARG001 - the same signature as every group
    iam: IamRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> AccessLogRefs:
    """Add the log bucket, its TLS-only policy, and the Firehose stream (with its own
    error log) that delivers into it; return the bucket and stream refs."""
    key = encryption.key_arn
    default_encryption = (
        ServerSideEncryptionByDefault(SSEAlgorithm="AES256")
        if key is None
        else ServerSideEncryptionByDefault(SSEAlgorithm="aws:kms", KMSMasterKeyID=key)
    )
    bucket = template.add_resource(
        Bucket(
            naming.id(names.ACCESS_LOG_BUCKET),
            BucketName=Sub(naming.access_log_bucket_name),
            BucketEncryption=BucketEncryption(
                ServerSideEncryptionConfiguration=[
                    ServerSideEncryptionRule(
                        ServerSideEncryptionByDefault=default_encryption,
                        BucketKeyEnabled=True,
                    )
                ]
            ),
            PublicAccessBlockConfiguration=PublicAccessBlockConfiguration(
                BlockPublicAcls=True,
                BlockPublicPolicy=True,
                IgnorePublicAcls=True,
                RestrictPublicBuckets=True,
            ),
            OwnershipControls=OwnershipControls(
                Rules=[OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
            ),
            VersioningConfiguration=VersioningConfiguration(Status="Enabled"),
            LifecycleConfiguration=LifecycleConfiguration(
                Rules=[
                    LifecycleRule(
                        Id="expire-access-logs",
                        Status="Enabled",
                        ExpirationInDays=config.access_log_expiration_days,
                        NoncurrentVersionExpiration=NoncurrentVersionExpiration(NoncurrentDays=1),
                        AbortIncompleteMultipartUpload=AbortIncompleteMultipartUpload(DaysAfterInitiation=1),
                    )
                ]
            ),
            Tags=resource_tags(),
            # Access logs are audit records: they outlive the stack and any
            # replacement of the bucket, and expire by the lifecycle rule instead.
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            **skipped("CKV_AWS_18"),
        )
    )
    template.add_resource(
        BucketPolicy(
            naming.id(names.ACCESS_LOG_BUCKET_POLICY), Bucket=Ref(bucket), PolicyDocument=tls_only(bucket)
        )
    )
    delivery_log_group = template.add_resource(
        log_group(
            naming.id(names.ACCESS_LOG_DELIVERY_LOG_GROUP),
            Sub(naming.access_log_delivery_log_group),
            config,
            encryption,
        )
    )
    delivery_log_stream = template.add_resource(
        LogStream(
            naming.id(names.ACCESS_LOG_DELIVERY_LOG_STREAM),
            LogGroupName=Ref(delivery_log_group),
            LogStreamName=DELIVERY_LOG_STREAM,
        )
    )
    stream = template.add_resource(
        DeliveryStream(
            naming.id(names.ACCESS_LOG_STREAM),
            DeliveryStreamName=Sub(naming.access_log_stream_name),
            DeliveryStreamType="DirectPut",
            DeliveryStreamEncryptionConfigurationInput=DeliveryStreamEncryptionConfigurationInput(
                KeyType="AWS_OWNED_CMK"
            ),
            ExtendedS3DestinationConfiguration=ExtendedS3DestinationConfiguration(
                BucketARN=GetAtt(bucket, "Arn"),
                RoleARN=iam.delivery_role_arn,
                Prefix=f"{ACCESS_LOG_PREFIX}data/{_DATE_PARTITION}",
                ErrorOutputPrefix=f"{ACCESS_LOG_PREFIX}errors/!{{firehose:error-output-type}}/{_DATE_PARTITION}",
                CompressionFormat="GZIP",
                BufferingHints=BufferingHints(IntervalInSeconds=300, SizeInMBs=5),
                CloudWatchLoggingOptions=CloudWatchLoggingOptions(
                    Enabled=True,
                    LogGroupName=Ref(delivery_log_group),
                    LogStreamName=Ref(delivery_log_stream),
                ),
            ),
            Tags=resource_tags(),
        )
    )
    return AccessLogRefs(
        bucket_name=Ref(bucket),
        bucket_arn=GetAtt(bucket, "Arn"),
        stream_name=Ref(stream),
        stream_arn=GetAtt(stream, "Arn"),
    )
