"""Targeted assertions on what each resource group adds (the default config unless named)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import tapgen
from tapgen import names
from tests.templates import resources_of_type, the_resource


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return tapgen.build_template().to_dict()


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in role["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def all_policy_documents(template: dict[str, Any]) -> list[dict[str, Any]]:
    documents = []
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        documents += [p["PolicyDocument"] for p in props.get("Policies", [])]
        for key in ("AssumeRolePolicyDocument", "PolicyDocument", "KeyPolicy"):
            if key in props:
                documents.append(props[key])
    return documents


# --- data ---------------------------------------------------------------------------------------


def test_table_is_keyed_by_id_alone(template):
    table = the_resource(
        template,
        "AWS::DynamoDB::Table",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        SSESpecification={"SSEEnabled": True},
        StreamSpecification={"StreamViewType": "NEW_AND_OLD_IMAGES"},
        DeletionProtectionEnabled={"Ref": "ProtectData"},
    )
    assert table["UpdateReplacePolicy"] == "Retain"
    assert template["Parameters"]["ProtectData"]["Default"] == "true"
    assert template["Parameters"]["ProtectData"]["AllowedValues"] == ["true", "false"]


# --- access logs --------------------------------------------------------------------------------


def test_access_log_bucket_is_private_encrypted_and_expiring(template):
    bucket = the_resource(
        template,
        "AWS::S3::Bucket",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
    )["Properties"]
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] == 90


def test_bucket_policy_denies_plain_http(template):
    policy = the_resource(template, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_firehose_delivers_gzip_into_the_bucket(template):
    stream = the_resource(template, "AWS::KinesisFirehose::DeliveryStream", DeliveryStreamType="DirectPut")
    name = stream["Properties"]["DeliveryStreamName"]["Fn::Sub"]
    assert name.startswith("amazon-apigateway-"), "API Gateway only logs to streams named amazon-apigateway-*"
    destination = stream["Properties"]["ExtendedS3DestinationConfiguration"]
    assert destination["BucketARN"] == {"Fn::GetAtt": ["AccessLogBucket", "Arn"]}
    assert destination["CompressionFormat"] == "GZIP"
    assert destination["Prefix"].startswith("access-logs/")
    assert destination["ErrorOutputPrefix"].startswith("access-logs/")
    assert destination["CloudWatchLoggingOptions"]["Enabled"] is True


def test_execution_log_group_is_the_one_api_gateway_uses(template):
    group = template["Resources"][names.API_EXECUTION_LOG_GROUP]["Properties"]
    assert group["LogGroupName"] == {"Fn::Sub": "API-Gateway-Execution-Logs_${RestApi}/${EnvironmentSuffix}"}
    assert group["RetentionInDays"] == 30


# --- IAM ----------------------------------------------------------------------------------------


def test_no_policy_allows_a_wildcard_action(template):
    for document in all_policy_documents(template):
        for statement in document["Statement"]:
            if statement["Effect"] != "Allow":
                continue
            for action in statement.get("Action", []):
                assert "*" not in action, f"wildcard action {action} in {statement}"


def test_no_policy_hard_codes_partition_region_or_account(template):
    text = json.dumps(all_policy_documents(template))
    for literal in ("arn:aws:", "us-east-1", "123456789012"):
        assert literal not in text


def test_function_role_grants_exactly_the_handlers_table_actions(template):
    role = template["Resources"][names.FUNCTION_ROLE]
    by_resource = {json.dumps(s["Resource"]): sorted(s["Action"]) for s in statements(role)}
    assert by_resource[json.dumps([{"Fn::GetAtt": ["DataTable", "Arn"]}])] == [
        "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:UpdateItem",
    ]  # fmt: skip
    actions = {a for s in statements(role) for a in s["Action"]}
    assert actions == {
        "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:UpdateItem",
        "sqs:SendMessage", "logs:CreateLogStream", "logs:PutLogEvents",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords",
    }  # fmt: skip
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": ["lambda.amazonaws.com"]
    }


def test_function_role_names_its_own_queue_and_log_group(template):
    role = template["Resources"][names.FUNCTION_ROLE]
    resources = {json.dumps(s["Resource"]) for s in statements(role)}
    queue = template["Resources"][names.DEAD_LETTER_QUEUE]["Properties"]["QueueName"]["Fn::Sub"]
    group = template["Resources"][names.FUNCTION_LOG_GROUP]["Properties"]["LogGroupName"]["Fn::Sub"]
    assert any(queue in r and ":sqs:" in r for r in resources)
    assert any(f"log-group:{group}:*" in r for r in resources)


def test_delivery_role_writes_only_under_its_prefix(template):
    role = template["Resources"][names.ACCESS_LOG_DELIVERY_ROLE]
    bucket = template["Resources"][names.ACCESS_LOG_BUCKET]["Properties"]["BucketName"]["Fn::Sub"]
    for statement in statements(role):
        if "s3:PutObject" in statement["Action"]:
            assert statement["Resource"] == [
                {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}/access-logs/*"}
            ]
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": ["firehose.amazonaws.com"]}
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": {"Fn::Sub": "${AWS::AccountId}"}}}


def test_api_gateway_account_role_is_registered_on_a_condition(template):
    account = the_resource(
        template,
        "AWS::ApiGateway::Account",
        CloudWatchRoleArn={"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]},
    )
    assert account["Condition"] == "ShouldCreateApiGatewayAccount"
    assert template["Resources"]["ApiGatewayCloudWatchRole"]["Condition"] == "ShouldCreateApiGatewayAccount"
    assert template["Conditions"]["ShouldCreateApiGatewayAccount"] == {
        "Fn::Equals": [{"Ref": "CreateApiGatewayAccount"}, "true"]
    }
    # The API waits for the registration, through a handle that exists either way.
    assert template["Resources"][names.REST_API]["DependsOn"] == [names.API_ACCOUNT_READY]


# --- function -----------------------------------------------------------------------------------


def test_function_settings(template):
    function = the_resource(
        template,
        "AWS::Serverless::Function",
        CodeUri="../handler",
        Handler="app.lambda_handler",
        Runtime="python3.13",
        Architectures=["arm64"],
        Tracing="Active",
        AutoPublishAlias="live",
        Role={"Fn::GetAtt": ["FunctionRole", "Arn"]},
        DeadLetterQueue={"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}},
        Layers=["{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/3.37.0}}"],
    )["Properties"]
    assert function["Timeout"] < 29, "API Gateway ends integrations after 29 s"
    assert function["LoggingConfig"]["LogFormat"] == "JSON"
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": "FunctionLogGroup"}
    assert function["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": "DataTable"}
    assert function["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert function["DeploymentPreference"] == {
        "Type": {"Ref": "DeploymentType"},
        "Alarms": [{"Ref": "FunctionErrorsAlarm"}, {"Ref": "Api5xxAlarm"}],
    }
    assert template["Parameters"]["DeploymentType"]["Default"] == "AllAtOnce"


def test_layer_follows_architecture_and_runtime():
    config = tapgen.StackConfig(architecture="x86_64", runtime="python3.12", powertools_version="3.30.0")
    (function,) = resources_of_type(
        tapgen.build_template(config).to_dict(), "AWS::Serverless::Function"
    ).values()
    assert function["Properties"]["Layers"] == [
        "{{resolve:ssm:/aws/service/powertools/python/x86_64/python3.12/3.30.0}}"
    ]


def test_dead_letter_queue_is_encrypted_and_keeps_14_days(template):
    the_resource(
        template, "AWS::SQS::Queue", SqsManagedSseEnabled=True, MessageRetentionPeriod=14 * 24 * 3600
    )


def test_log_groups_have_retention(template):
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    assert len(groups) == 3
    assert all(group["Properties"]["RetentionInDays"] == 30 for group in groups.values())


# --- API ----------------------------------------------------------------------------------------


def test_api_stage_settings(template):
    api = the_resource(
        template,
        "AWS::Serverless::Api",
        StageName={"Ref": "EnvironmentSuffix"},
        TracingEnabled=True,
    )["Properties"]
    (settings,) = api["MethodSettings"]
    assert settings["MetricsEnabled"] is True
    assert settings["DataTraceEnabled"] is False
    assert settings["ThrottlingRateLimit"] == 50.0 and settings["ThrottlingBurstLimit"] == 100
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["AccessLogDeliveryStream", "Arn"]}
    log_format = json.loads(api["AccessLogSetting"]["Format"])
    assert log_format["requestId"] == "$context.requestId" and log_format["status"] == "$context.status"
    assert api["Cors"]["AllowOrigin"] == "'*'"
    assert "If-Match" in api["Cors"]["AllowHeaders"]
    assert api["Variables"] == {"environment": {"Ref": "EnvironmentSuffix"}, "functionAlias": "live"}


def test_routes_go_to_the_function(template):
    (function,) = resources_of_type(template, "AWS::Serverless::Function").values()
    routes = {
        (event["Properties"]["Method"], event["Properties"]["Path"])
        for event in function["Properties"]["Events"].values()
        if event["Properties"]["RestApiId"] == {"Ref": "RestApi"}
    }
    assert routes == {
        ("get", "/data"),
        ("post", "/data"),
        ("get", "/data/{id}"),
        ("put", "/data/{id}"),
        ("delete", "/data/{id}"),
    }


def test_api_key_is_the_default_auth_with_a_usage_plan(template):
    auth = template["Resources"][names.REST_API]["Properties"]["Auth"]
    assert auth["ApiKeyRequired"] is True
    assert auth["UsagePlan"]["CreateUsagePlan"] == "PER_API"
    assert auth["UsagePlan"]["Throttle"] == {"RateLimit": 50.0, "BurstLimit": 100}
    assert auth["UsagePlan"]["Quota"] == {"Limit": 100_000, "Period": "MONTH"}
    assert "ApiKeyId" in template["Outputs"]


def test_iam_auth():
    template = tapgen.build_template(tapgen.StackConfig(auth="iam")).to_dict()
    assert template["Resources"][names.REST_API]["Properties"]["Auth"] == {
        "DefaultAuthorizer": "AWS_IAM",
        "AddDefaultAuthorizerToCorsPreflight": False,
    }
    assert "ApiKeyId" not in template["Outputs"]


def test_no_auth():
    template = tapgen.build_template(tapgen.StackConfig(auth="none")).to_dict()
    assert "Auth" not in template["Resources"][names.REST_API]["Properties"]


# --- alarms -------------------------------------------------------------------------------------

EXPECTED_ALARMS = {
    names.FUNCTION_ERRORS_ALARM: ("AWS/Lambda", "Errors"),
    names.FUNCTION_THROTTLES_ALARM: ("AWS/Lambda", "Throttles"),
    names.FUNCTION_DURATION_ALARM: ("AWS/Lambda", "Duration"),
    names.API_5XX_ALARM: ("AWS/ApiGateway", "5XXError"),
    names.API_LATENCY_ALARM: ("AWS/ApiGateway", "Latency"),
    names.DEAD_LETTER_QUEUE_DEPTH_ALARM: ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
    names.TABLE_THROTTLES_ALARM: ("AWS/DynamoDB", "ReadThrottleEvents"),
    names.TABLE_SYSTEM_ERRORS_ALARM: ("AWS/DynamoDB", "SystemErrors"),
}


def test_every_alarm_watches_its_metric_and_notifies_the_topic(template):
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm")
    assert set(alarms) == set(EXPECTED_ALARMS)
    for name, (namespace, metric) in EXPECTED_ALARMS.items():
        props = alarms[name]["Properties"]
        if "Metrics" in props:
            stats = [q["MetricStat"]["Metric"] for q in props["Metrics"] if "MetricStat" in q]
            assert {(m["Namespace"], m["MetricName"]) for m in stats} >= {(namespace, metric)}
        else:
            assert (props["Namespace"], props["MetricName"]) == (namespace, metric)
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_dead_letter_alarm_fires_on_the_first_message(template):
    props = template["Resources"][names.DEAD_LETTER_QUEUE_DEPTH_ALARM]["Properties"]
    assert props["Threshold"] == 0 and props["ComparisonOperator"] == "GreaterThanThreshold"


def test_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use(template):
    topic = the_resource(template, "AWS::SNS::Topic", KmsMasterKeyId={"Ref": "AlarmTopicKey"})
    assert topic
    key = the_resource(template, "AWS::KMS::Key", EnableKeyRotation=True)["Properties"]["KeyPolicy"]
    services = [s for s in key["Statement"] if "Service" in s["Principal"]]
    assert [s["Principal"]["Service"] for s in services] == [["cloudwatch.amazonaws.com"]]
    assert sorted(services[0]["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_email_subscription_is_optional(template):
    subscription = the_resource(template, "AWS::SNS::Subscription", Protocol="email")
    assert subscription["Condition"] == "HasAlarmEmail"


# --- outputs and parameters ---------------------------------------------------------------------

PUBLISHED_OUTPUTS = [
    "ApiGatewayUrl", "LambdaFunctionName", "LambdaFunctionArn", "DynamoDBTableName", "DynamoDBTableArn",
    "S3BucketName", "LambdaAliasArn", "LambdaVersionArn", "DeadLetterQueueUrl", "DeadLetterQueueArn",
    "StackName", "EnvironmentSuffix",
]  # fmt: skip


def test_published_outputs_keep_their_names_and_exports(template):
    for name in PUBLISHED_OUTPUTS:
        assert template["Outputs"][name]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}
    assert template["Outputs"]["LambdaAliasArn"]["Value"] == {"Ref": "ApiFunction.Alias"}


def test_parameters_bound_names(template):
    params = template["Parameters"]
    assert params["EnvironmentSuffix"]["Default"] == "dev"
    assert params["ProjectName"]["Default"] == "serverless-app"
    assert params["EnvironmentSuffix"]["MaxLength"] == 8
    assert params["ProjectName"]["MaxLength"] == 20


def test_every_taggable_resource_is_tagged(template):
    untaggable = {
        "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription", "AWS::Logs::LogStream",
        "AWS::ApiGateway::Account", "AWS::CloudFormation::WaitConditionHandle",
    }  # fmt: skip
    expected = [
        {"Key": "Environment", "Value": {"Ref": "EnvironmentSuffix"}},
        {"Key": "Project", "Value": {"Ref": "ProjectName"}},
    ]
    for name, resource in template["Resources"].items():
        if resource["Type"] in untaggable:
            continue
        tags = resource["Properties"]["Tags"]
        if resource["Type"].startswith("AWS::Serverless::"):
            assert tags == {"Environment": {"Ref": "EnvironmentSuffix"}, "Project": {"Ref": "ProjectName"}}, (
                name
            )
            assert resource["Properties"]["PropagateTags"] is True, name
        else:
            assert tags == expected, name
