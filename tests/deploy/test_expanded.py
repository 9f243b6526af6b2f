"""What moto cannot create or does not apply, checked on the SAM-expanded template.

moto skips these resource types (tests/deploy/moto_stack.py lists them) and applies
only some properties of tables, buckets and functions; CloudFormation receives
exactly this expanded template, so its properties are what AWS would create.
"""

from __future__ import annotations

from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

import tapgen
from tests.templates import expand, resources_of_type, the_resource

CONFIGS = {
    "default": tapgen.StackConfig(),
    "customer-managed-key": tapgen.StackConfig(customer_managed_key=True),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def expanded(request) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        template = expand(
            yaml_parse(tapgen.render(CONFIGS[request.param])),
            "us-east-1",
            patch,
            {"EnvironmentSuffix": "prod", "DeploymentType": "Canary10Percent5Minutes"},
        )
    template["variant"] = request.param
    return template


def _key_or_none(expanded: dict[str, Any]) -> Any:
    return {"Fn::GetAtt": ["DataKey", "Arn"]} if expanded["variant"] == "customer-managed-key" else None


def test_table_encryption_and_point_in_time_recovery(expanded):
    table = the_resource(
        expanded,
        "AWS::DynamoDB::Table",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )["Properties"]
    key = _key_or_none(expanded)
    expected = (
        {"SSEEnabled": True} if key is None else {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
    )
    assert table["SSESpecification"] == expected


def test_bucket_public_access_lifecycle_versioning_and_tls_policy(expanded):
    bucket = the_resource(expanded, "AWS::S3::Bucket", VersioningConfiguration={"Status": "Enabled"})[
        "Properties"
    ]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 90
    (statement,) = the_resource(expanded, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"][
        "Statement"
    ]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_function_settings_moto_does_not_apply(expanded):
    function = the_resource(
        expanded,
        "AWS::Lambda::Function",
        Architectures=["arm64"],
        TracingConfig={"Mode": "Active"},
        DeadLetterConfig={"TargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}},
        Layers=["{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/3.37.0}}"],
    )["Properties"]
    assert function["LoggingConfig"]["LogFormat"] == "JSON"
    assert function.get("KmsKeyArn") == _key_or_none(expanded)


def test_alias_is_published_and_shifted_by_codedeploy(expanded):
    (version_id,) = resources_of_type(expanded, "AWS::Lambda::Version")
    alias = the_resource(
        expanded,
        "AWS::Lambda::Alias",
        Name="live",
        FunctionVersion={"Fn::GetAtt": [version_id, "Version"]},
    )
    assert alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]["DeploymentGroupName"] == {
        "Ref": "ApiFunctionDeploymentGroup"
    }
    group = the_resource(expanded, "AWS::CodeDeploy::DeploymentGroup")["Properties"]
    # The DeploymentType parameter's value reaches CodeDeploy.
    assert group["DeploymentConfigName"]["Fn::Sub"][1] == {"ConfigName": "Canary10Percent5Minutes"}
    assert group["AlarmConfiguration"] == {
        "Enabled": True,
        "Alarms": [{"Name": {"Ref": "FunctionErrorsAlarm"}}, {"Name": {"Ref": "Api5xxAlarm"}}],
    }
    assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]


def test_stage_settings(expanded):
    stage = the_resource(expanded, "AWS::ApiGateway::Stage", StageName={"Ref": "EnvironmentSuffix"})[
        "Properties"
    ]
    assert stage["TracingEnabled"] is True
    (settings,) = stage["MethodSettings"]
    assert settings["DataTraceEnabled"] is False and settings["MetricsEnabled"] is True
    assert stage["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["AccessLogDeliveryStream", "Arn"]}
    assert stage["Variables"]["functionAlias"] == "live"


def test_usage_plan_throttles_and_sets_a_quota(expanded):
    plan = the_resource(expanded, "AWS::ApiGateway::UsagePlan")["Properties"]
    assert plan["Throttle"] == {"RateLimit": 50.0, "BurstLimit": 100}
    assert plan["Quota"] == {"Limit": 100_000, "Period": "MONTH"}
    assert plan["UsagePlanName"] == {"Fn::Sub": "serverless-app-prod-usage-plan"}
    the_resource(expanded, "AWS::ApiGateway::ApiKey", Enabled=True)
    the_resource(expanded, "AWS::ApiGateway::UsagePlanKey", KeyType="API_KEY")


def test_firehose_account_alarms_and_subscription(expanded):
    stream = the_resource(expanded, "AWS::KinesisFirehose::DeliveryStream")["Properties"]
    assert stream["DeliveryStreamEncryptionConfigurationInput"] == {"KeyType": "AWS_OWNED_CMK"}
    assert the_resource(expanded, "AWS::ApiGateway::Account")["Condition"] == "ShouldCreateApiGatewayAccount"
    assert len(resources_of_type(expanded, "AWS::CloudWatch::Alarm")) == 8
    assert the_resource(expanded, "AWS::SNS::Subscription")["Condition"] == "HasAlarmEmail"
    the_resource(expanded, "AWS::SNS::TopicPolicy")
