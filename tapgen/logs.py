"""The log groups the stack creates: one retention, tags, and the data key when there is one."""

from __future__ import annotations

from troposphere import Sub
from troposphere.logs import LogGroup

from tapgen.config import StackConfig
from tapgen.kms import EncryptionRefs, log_group_encryption
from tapgen.tags import resource_tags


def log_group(title: str, name: Sub, config: StackConfig, encryption: EncryptionRefs) -> LogGroup:
    """A log group (not yet added to a template) named ``name``, kept ``config.log_retention_days``.

    Creating the groups ourselves, before any writer does, is what gives them a
    retention: a group created by Lambda, API Gateway or Firehose keeps logs forever.
    Logs go with the stack; they are operational, not records.
    """
    return LogGroup(
        title,
        LogGroupName=name,
        RetentionInDays=config.log_retention_days,
        Tags=resource_tags(),
        DeletionPolicy="Delete",
        UpdateReplacePolicy="Delete",
        **log_group_encryption(encryption),
    )
