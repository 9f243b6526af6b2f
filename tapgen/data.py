"""The data group: the DynamoDB table the API stores items in."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import GetAtt, Ref, Template
from troposphere.dynamodb import (
    AttributeDefinition,
    KeySchema,
    PointInTimeRecoverySpecification,
    SSESpecification,
    StreamSpecification,
    Table,
)

from tapgen import names
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.kms import EncryptionRefs
from tapgen.parameters import StackParameters
from tapgen.tags import resource_tags

# The handler addresses items by ``id`` alone, so ``id`` must be the whole key:
# with a sort key, GetItem/UpdateItem/DeleteItem by id would all be rejected.
PARTITION_KEY = "id"


@dataclass(frozen=True)
class DataRefs:
    """What other groups use of the table."""

    table: Table
    name: Ref
    arn: GetAtt
    stream_arn: GetAtt


def add_data(
    template: Template,
    config: StackConfig,  # noqa: ARG001 - the same signature as every group
    *,
    params: StackParameters,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> DataRefs:
    """Add the table (on-demand, PITR, encrypted, streamed); return its refs."""
    key = encryption.key_arn
    sse = (
        SSESpecification(SSEEnabled=True)
        if key is None
        else SSESpecification(SSEEnabled=True, SSEType="KMS", KMSMasterKeyId=key)
    )
    table = template.add_resource(
        Table(
            naming.id(names.DATA_TABLE),
            TableName=naming.sub("data"),
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[AttributeDefinition(AttributeName=PARTITION_KEY, AttributeType="S")],
            KeySchema=[KeySchema(AttributeName=PARTITION_KEY, KeyType="HASH")],
            PointInTimeRecoverySpecification=PointInTimeRecoverySpecification(
                PointInTimeRecoveryEnabled=True
            ),
            SSESpecification=sse,
            StreamSpecification=StreamSpecification(StreamViewType="NEW_AND_OLD_IMAGES"),
            DeletionProtectionEnabled=params.protect_data,
            Tags=resource_tags(),
            # A replacement (e.g. a key change) must never drop the old table's
            # data. A stack delete is guarded by deletion protection instead of
            # Retain, so an ephemeral stack (ProtectData=false) leaves no orphan
            # table behind to block its next deploy under the same name.
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Retain",
            **skipped("CKV_AWS_119", when=key is None),
        )
    )
    return DataRefs(
        table=table,
        name=Ref(table),
        arn=GetAtt(table, "Arn"),
        stream_arn=GetAtt(table, "StreamArn"),
    )
