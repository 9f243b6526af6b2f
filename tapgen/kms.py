"""Customer-managed KMS keys with least-privilege key policies.

The account may administer a key (delegated to IAM, so the key can never become
unmanageable) but not use it; each AWS service that must encrypt or decrypt with
it is named with exactly the actions it needs, only on behalf of this account.
"""

from __future__ import annotations

import awacs.kms as kms
from awacs.aws import Allow, Condition, PolicyDocument, Principal, Statement, StringEquals
from troposphere import Sub
from troposphere.kms import Key

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


def key_policy(service_principals: tuple[str, ...]) -> PolicyDocument:
    """Administration by the account; encrypt/decrypt only by the named services for this account."""
    statements = [
        Statement(
            Sid="AccountAdministersKey",
            Effect=Allow,
            Principal=Principal("AWS", [Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")]),
            Action=list(ADMIN_ACTIONS),
            Resource=["*"],  # In a key policy, "*" means this key.
        )
    ]
    statements.extend(
        Statement(
            Sid="ServiceUsesKey" + service.split(".")[0].replace("-", "").title(),
            Effect=Allow,
            Principal=Principal("Service", [service]),
            Action=list(USE_ACTIONS),
            Resource=["*"],
            Condition=Condition(StringEquals("aws:SourceAccount", Sub("${AWS::AccountId}"))),
        )
        for service in service_principals
    )
    return PolicyDocument(Version="2012-10-17", Statement=statements)


def customer_key(
    title: str, description: str | Sub, service_principals: tuple[str, ...], *, retain: bool
) -> Key:
    """A rotating symmetric key usable by ``service_principals`` (not yet added to a template).

    ``retain`` keeps the key when the stack or the key is deleted or replaced: a key
    that encrypted stored data must outlive it, or backups become unreadable.
    """
    policy = "Retain" if retain else "Delete"
    return Key(
        title,
        Description=description,
        EnableKeyRotation=True,
        PendingWindowInDays=30,
        KeyPolicy=key_policy(service_principals),
        Tags=resource_tags(),
        DeletionPolicy=policy,
        UpdateReplacePolicy=policy,
    )
