"""Customer-managed KMS keys with least-privilege key policies, and the optional data key.

The account may administer a key (delegated to IAM, so the key can never become
unmanageable). Use is granted narrowly: to named AWS service principals for this
account only, to IAM principals of this account only through named services
(``kms:ViaService``), and to CloudWatch Logs only for this account's log groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import awacs.kms as kms
from awacs.aws import Allow, ArnLike, Condition, PolicyDocument, Principal, Statement, StringEquals
from troposphere import GetAtt, Sub, Template
from troposphere.kms import Key

from tapgen import names
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.tags import resource_tags

ADMIN_ACTIONS = (
    kms.CancelKeyDeletion,
    kms.DescribeKey,
    kms.DisableKey,
    kms.DisableKeyRotation,
    kms.EnableKey,
    kms.EnableKeyRotation,
    kms.GetKeyPolicy,
    kms.GetKeyRotationStatus,
    kms.ListGrants,
    kms.ListKeyPolicies,
    kms.ListKeyRotations,
    kms.ListResourceTags,
    kms.PutKeyPolicy,
    kms.RevokeGrant,
    kms.RotateKeyOnDemand,
    kms.ScheduleKeyDeletion,
    kms.TagResource,
    kms.UntagResource,
    kms.UpdateKeyDescription,
)
USE_ACTIONS = (kms.Decrypt, kms.GenerateDataKey)
# What a service needs to encrypt and decrypt on a caller's behalf, including the
# grants DynamoDB and Lambda create for the resources they encrypt.
VIA_SERVICE_ACTIONS = (
    kms.Encrypt,
    kms.Decrypt,
    kms.ReEncryptFrom,
    kms.ReEncryptTo,
    kms.GenerateDataKey,
    kms.GenerateDataKeyWithoutPlaintext,
    kms.CreateGrant,
    kms.DescribeKey,
)
LOGS_ACTIONS = (
    kms.Encrypt,
    kms.Decrypt,
    kms.ReEncryptFrom,
    kms.ReEncryptTo,
    kms.GenerateDataKey,
    kms.GenerateDataKeyWithoutPlaintext,
    kms.DescribeKey,
)
# Services whose resources the data key encrypts (table, queue, bucket, environment).
DATA_KEY_SERVICES = ("dynamodb", "sqs", "s3", "lambda")
_ACCOUNT = Sub("${AWS::AccountId}")
_ACCOUNT_ROOT = Principal("AWS", [Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")])


def _account_administers() -> Statement:
    return Statement(
        Sid="AccountAdministersKey",
        Effect=Allow,
        Principal=_ACCOUNT_ROOT,
        Action=list(ADMIN_ACTIONS),
        Resource=["*"],  # In a key policy, "*" means this key.
    )


def _service_uses(service: str) -> Statement:
    return Statement(
        Sid="ServiceUsesKey" + service.split(".")[0].replace("-", "").title(),
        Effect=Allow,
        Principal=Principal("Service", [service]),
        Action=list(USE_ACTIONS),
        Resource=["*"],
        Condition=Condition(StringEquals("aws:SourceAccount", _ACCOUNT)),
    )


def _account_uses_via(services: tuple[str, ...]) -> Statement:
    return Statement(
        Sid="AccountUsesKeyThroughServices",
        Effect=Allow,
        Principal=_ACCOUNT_ROOT,
        Action=list(VIA_SERVICE_ACTIONS),
        Resource=["*"],
        Condition=Condition(
            [
                StringEquals("kms:CallerAccount", _ACCOUNT),
                StringEquals(
                    "kms:ViaService",
                    [Sub(f"{service}.${{AWS::Region}}.amazonaws.com") for service in services],
                ),
            ]
        ),
    )


def _logs_use() -> Statement:
    """CloudWatch Logs, for log groups of this account and region only.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    """
    return Statement(
        Sid="LogsUsesKey",
        Effect=Allow,
        Principal=Principal("Service", [Sub("logs.${AWS::Region}.amazonaws.com")]),
        Action=list(LOGS_ACTIONS),
        Resource=["*"],
        Condition=Condition(
            ArnLike(
                "kms:EncryptionContext:aws:logs:arn",
                Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"),
            )
        ),
    )


def customer_key(
    title: str,
    description: str | Sub,
    *,
    retain: bool,
    service_principals: tuple[str, ...] = (),
    via_services: tuple[str, ...] = (),
    log_groups: bool = False,
) -> Key:
    """A rotating symmetric key (not yet added to a template).

    ``retain`` keeps the key when the stack or the key is deleted or replaced: a key
    that encrypted stored data must outlive it, or backups become unreadable.
    """
    statements = [_account_administers()]
    statements += [_service_uses(service) for service in service_principals]
    if via_services:
        statements.append(_account_uses_via(via_services))
    if log_groups:
        statements.append(_logs_use())
    policy = "Retain" if retain else "Delete"
    return Key(
        title,
        Description=description,
        EnableKeyRotation=True,
        PendingWindowInDays=30,
        KeyPolicy=PolicyDocument(Version="2012-10-17", Statement=statements),
        Tags=resource_tags(),
        DeletionPolicy=policy,
        UpdateReplacePolicy=policy,
    )


@dataclass(frozen=True)
class EncryptionRefs:
    """The data key's ARN, or None when the stack uses AWS-managed encryption."""

    key_arn: GetAtt | None


def add_encryption(
    template: Template, config: StackConfig, *, naming: names.Naming = names.DEFAULT_NAMING
) -> EncryptionRefs:
    """With ``config.customer_managed_key``, add the key that encrypts the table, queue,
    bucket, log groups and environment; return its ARN (None otherwise, adding nothing)."""
    if not config.customer_managed_key:
        return EncryptionRefs(key_arn=None)
    key = template.add_resource(
        customer_key(
            naming.id(names.DATA_KEY),
            Sub("Data at rest of " + naming.physical("api")),
            retain=True,
            via_services=DATA_KEY_SERVICES,
            log_groups=True,
        )
    )
    return EncryptionRefs(key_arn=GetAtt(key, "Arn"))


def log_group_encryption(encryption: EncryptionRefs) -> dict[str, Any]:
    """Keyword arguments for a log group: the data key when there is one, else the reasoned skip."""
    if encryption.key_arn is None:
        return skipped("CKV_AWS_158")
    return {"KmsKeyId": encryption.key_arn}
