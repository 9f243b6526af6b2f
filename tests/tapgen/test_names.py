"""Logical IDs are a public contract: renaming a stateful resource replaces it in AWS.

Changing this list must be a deliberate act, reviewed with that in mind.
"""

from __future__ import annotations

import tapgen

RESOURCES = [
    "DataTable",
    "FunctionRole",
    "AccessLogDeliveryRole",
    "ApiGatewayCloudWatchRole",
    "ApiGatewayAccount",
    "AccessLogBucket",
    "AccessLogBucketPolicy",
    "AccessLogDeliveryLogGroup",
    "AccessLogDeliveryLogStream",
    "AccessLogDeliveryStream",
    "ApiGatewayAccountReady",
    "RestApi",
    "ApiExecutionLogGroup",
    "AlarmTopicKey",
    "AlarmTopic",
    "AlarmTopicPolicy",
    "AlarmEmailSubscription",
    "FunctionErrorsAlarm",
    "FunctionThrottlesAlarm",
    "FunctionDurationAlarm",
    "Api5xxAlarm",
    "ApiLatencyAlarm",
    "DeadLetterQueueDepthAlarm",
    "TableThrottlesAlarm",
    "TableSystemErrorsAlarm",
    "DeadLetterQueue",
    "FunctionLogGroup",
    "ApiFunction",
]
PARAMETERS = [
    "EnvironmentSuffix",
    "ProjectName",
    "ProtectData",
    "CreateApiGatewayAccount",
    "ReservedConcurrency",
    "DeploymentType",
    "AlarmEmail",
]


def test_logical_ids_are_pinned():
    template = tapgen.build_template().to_dict()
    assert list(template["Resources"]) == RESOURCES
    assert list(template["Parameters"]) == PARAMETERS


def test_logical_ids_do_not_depend_on_config():
    variants = [tapgen.StackConfig(auth=mode) for mode in ("api_key", "iam", "none")]
    assert all(list(tapgen.build_template(c).to_dict()["Resources"]) == RESOURCES for c in variants)
