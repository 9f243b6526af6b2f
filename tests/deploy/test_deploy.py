"""Deploy the expanded stack into moto's CloudFormation with the README's deploy command,
check the resources it made, update it, and delete it."""

from __future__ import annotations

import ast
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

import tapgen
from tests.deploy.conftest import REGION
from tests.deploy.moto_stack import MOTO_UNSUPPORTED, POWERTOOLS_LAYER_NAME, moto_ready, unsupported_types
from tests.deploy.readme import deploy_commands, option, parameter_overrides, replace_option
from tests.templates import expand, resources_of_type

VARIANTS = {
    "default": tapgen.StackConfig(),
    "customer-managed-key": tapgen.StackConfig(customer_managed_key=True),
}
ENVIRONMENTS = {"default": "dev", "customer-managed-key": "kms"}


def _overrides(argv: list[str], **changes: str) -> list[str]:
    values = parameter_overrides(argv)
    values.update(changes)
    index = argv.index("--parameter-overrides")
    rest = argv[index + 1 + len(option(argv, "--parameter-overrides")) :]
    return [*argv[: index + 1], *(f"{k}={v}" for k, v in values.items()), *rest]


def _packaged_render(config: tapgen.StackConfig, packaged: dict[str, Any]) -> dict[str, Any]:
    """``config``'s render as `package` leaves it (same code, so the same uploaded object)."""
    template = yaml_parse(tapgen.render(config))
    (code_uri,) = {
        r["Properties"]["CodeUri"] for r in resources_of_type(packaged, "AWS::Serverless::Function").values()
    }
    for resource in resources_of_type(template, "AWS::Serverless::Function").values():
        resource["Properties"]["CodeUri"] = code_uri
    return template


@pytest.fixture(scope="module")
def powertools_layer(client) -> str:
    """A stand-in for the public Powertools layer, published in moto."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as layer:
        layer.writestr("python/README.txt", "stand-in for the Powertools layer")
    published = client("lambda").publish_layer_version(
        LayerName=POWERTOOLS_LAYER_NAME,
        Content={"ZipFile": archive.getvalue()},
        CompatibleRuntimes=["python3.13"],
    )
    return str(published["LayerVersionArn"])


@pytest.fixture(scope="module", params=list(VARIANTS))
def deployed(
    request, packaged, aws, client, powertools_layer, monkeypatch_module, tmp_path_factory
) -> dict[str, Any]:
    """A stack created by the README's deploy command from the moto-ready expanded template."""
    variant = request.param
    template_file = tmp_path_factory.mktemp(variant) / "expanded.json"
    stack_name = f"tapgen-{variant}"
    argv = deploy_commands()["deploy"]
    argv = replace_option(argv, "--template-file", str(template_file))
    argv = replace_option(argv, "--stack-name", stack_name)
    argv = _overrides(argv, EnvironmentSuffix=ENVIRONMENTS[variant])
    parameters = parameter_overrides(argv)
    expanded = expand(_packaged_render(VARIANTS[variant], packaged), REGION, monkeypatch_module, parameters)
    ready, left_out = moto_ready(expanded, powertools_layer)
    template_file.write_text(json.dumps(ready))
    aws(argv)
    cloudformation = client("cloudformation")
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    # moto fills no Outputs after a change set (what `deploy` uses), so the tests
    # find the resources by their logical IDs, which is what the outputs expose.
    summaries = cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}
    queue_arn = client("sqs").get_queue_attributes(
        QueueUrl=physical["DeadLetterQueue"], AttributeNames=["QueueArn"]
    )
    return {
        "variant": variant,
        "argv": argv,
        "stack": stack,
        "resources": physical,
        "outputs": {
            "DynamoDBTableName": physical["DataTable"],
            "DynamoDBTableArn": client("dynamodb").describe_table(TableName=physical["DataTable"])["Table"][
                "TableArn"
            ],
            "LambdaFunctionName": physical["ApiFunction"],
            "DeadLetterQueueUrl": physical["DeadLetterQueue"],
            "DeadLetterQueueArn": queue_arn["Attributes"]["QueueArn"],
            "S3BucketName": physical["AccessLogBucket"],
        },
        "left_out": left_out,
        "expanded": expanded,
    }


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_readme_deploy_passes_the_capabilities_the_stack_needs():
    argv = deploy_commands()["deploy"]
    assert option(argv, "--capabilities") == ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]


def test_moto_unsupported_types_are_the_pinned_ones(deployed):
    assert unsupported_types(deployed["expanded"]) == MOTO_UNSUPPORTED & {
        r["Type"] for r in deployed["expanded"]["Resources"].values()
    }


def test_stack_is_created(deployed, client):
    assert deployed["stack"]["StackStatus"] == "CREATE_COMPLETE"
    outputs = deployed["outputs"]
    env = ENVIRONMENTS[deployed["variant"]]
    assert outputs["DynamoDBTableName"] == f"serverless-app-{env}-data"
    assert outputs["LambdaFunctionName"] == f"serverless-app-{env}-api"
    assert outputs["S3BucketName"] == f"serverless-app-{env}-logs-123456789012-{REGION}"
    assert {"DataTable", "FunctionRole", "DeadLetterQueue", "ApiFunction", "AlarmTopic"} <= set(
        deployed["resources"]
    )
    if deployed["variant"] == "customer-managed-key":
        # (moto 5.2 cannot DescribeKey a key whose policy came from a template.)
        rotation = client("kms").get_key_rotation_status(KeyId=deployed["resources"]["DataKey"])
        assert rotation["KeyRotationEnabled"] is True


def test_table_is_as_declared(deployed, client):
    dynamodb = client("dynamodb")
    table = dynamodb.describe_table(TableName=deployed["outputs"]["DynamoDBTableName"])["Table"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert table["DeletionProtectionEnabled"] is True
    # moto applies neither SSESpecification (it reads the API's "Enabled", not CloudFormation's
    # "SSEEnabled") nor PointInTimeRecoverySpecification from a template; test_expanded checks both.


def test_queue_is_encrypted_and_keeps_messages_14_days(deployed, client):
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=deployed["outputs"]["DeadLetterQueueUrl"], AttributeNames=["All"]
    )["Attributes"]
    assert attributes["MessageRetentionPeriod"] == str(14 * 24 * 3600)
    assert attributes["QueueArn"] == deployed["outputs"]["DeadLetterQueueArn"]
    if deployed["variant"] == "customer-managed-key":
        assert attributes["KmsMasterKeyId"].startswith(f"arn:aws:kms:{REGION}:")
    else:
        assert attributes["SqsManagedSseEnabled"] == "true"


def test_bucket_is_encrypted_and_tagged(deployed, client):
    s3 = client("s3")
    bucket = deployed["outputs"]["S3BucketName"]
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    expected = "aws:kms" if deployed["variant"] == "customer-managed-key" else "AES256"
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == expected
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert tags == {"Environment": ENVIRONMENTS[deployed["variant"]], "Project": "serverless-app"}
    # moto applies only BucketEncryption and Tags of an S3 bucket from a template; the
    # public-access block, lifecycle and versioning are checked in test_expanded.


def _stack_roles(client: Any, stack_name: str) -> dict[str, dict[str, Any]]:
    resources = client("cloudformation").list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r for r in resources if r["ResourceType"] == "AWS::IAM::Role"}


def test_roles_carry_their_least_privilege_policies(deployed, client):
    iam = client("iam")
    roles = _stack_roles(client, deployed["stack"]["StackName"])
    assert {"FunctionRole", "AccessLogDeliveryRole", "ApiGatewayCloudWatchRole"} <= set(roles)
    role_name = roles["FunctionRole"]["PhysicalResourceId"]
    trust = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": ["lambda.amazonaws.com"]}
    (policy_name,) = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
    if isinstance(document, str):  # moto 5.2 stores a template's inline policy as a Python repr
        document = ast.literal_eval(document)
    statements = document["Statement"]
    actions = {action for s in statements for action in s["Action"]}
    assert "dynamodb:Scan" in actions and "sqs:SendMessage" in actions
    assert not any(a.endswith("*") for a in actions)
    table_statement = next(s for s in statements if "dynamodb:GetItem" in s["Action"])
    assert table_statement["Resource"] == [deployed["outputs"]["DynamoDBTableArn"]]
    if deployed["variant"] == "customer-managed-key":
        assert "kms:GenerateDataKey" in actions


def test_function_is_configured_from_the_template(deployed, client):
    function = client("lambda").get_function(FunctionName=deployed["outputs"]["LambdaFunctionName"])
    config = function["Configuration"]
    assert config["Runtime"] == "python3.13"
    assert config["Handler"] == "app.lambda_handler"
    assert config["Timeout"] == 10 and config["MemorySize"] == 256
    assert config["Environment"]["Variables"]["TABLE_NAME"] == deployed["outputs"]["DynamoDBTableName"]
    assert (
        config["Role"].split("/")[-1]
        == _stack_roles(client, deployed["stack"]["StackName"])["FunctionRole"]["PhysicalResourceId"]
    )
    assert "Concurrency" not in function  # ReservedConcurrency=0 means unreserved
    # moto applies only Code, Handler, Role, Runtime, Description, MemorySize, Timeout,
    # Environment and ReservedConcurrentExecutions of a function from a template; the
    # architecture, tracing, layer, DLQ and logging settings are checked in test_expanded.


def test_log_groups_have_retention(deployed, client):
    env = ENVIRONMENTS[deployed["variant"]]
    groups = client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/serverless-app-{env}-api")
    (group,) = groups["logGroups"]
    assert group["retentionInDays"] == 30


def _update(client: Any, argv: list[str], stack_name: str) -> dict[str, Any]:
    """Update ``stack_name`` with what ``argv`` (a deploy command) would send.

    moto 5.2 cannot execute an update change set of this stack ("GetAtt references
    undefined resource"), so this goes through UpdateStack with the same template,
    capabilities and parameters.
    """
    cloudformation = client("cloudformation")
    cloudformation.update_stack(
        StackName=stack_name,
        TemplateBody=Path(option(argv, "--template-file")[0]).read_text(),
        Capabilities=option(argv, "--capabilities"),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameter_overrides(argv).items()],
    )
    cloudformation.get_waiter("stack_update_complete").wait(StackName=stack_name, WaiterConfig={"Delay": 1})
    stack: dict[str, Any] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return stack


def test_update_then_protected_delete(deployed, aws, client):
    """A changed parameter updates the stack; a delete then leaves the protected table alone."""
    stack_name = deployed["stack"]["StackName"]
    stack = _update(client, _overrides(deployed["argv"], ReservedConcurrency="5"), stack_name)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["ReservedConcurrency"] == "5"

    table_name = deployed["outputs"]["DynamoDBTableName"]
    refused = aws(["aws", "cloudformation", "delete-stack", "--stack-name", stack_name], check=False)
    # AWS leaves the stack DELETE_FAILED; moto refuses the call. Either way the data stays.
    assert refused.returncode != 0 and "DeletionProtectionEnabled" in refused.stderr
    assert table_name in client("dynamodb").list_tables()["TableNames"]


def test_ephemeral_stack_deletes_cleanly(deployed, aws, client):
    """With ProtectData=false (an ephemeral environment) the stack deletes completely,
    except the access-log bucket, which is retained on purpose (audit records)."""
    env = ENVIRONMENTS[deployed["variant"]] + "eph"
    stack_name = deployed["stack"]["StackName"] + "-ephemeral"
    argv = replace_option(deployed["argv"], "--stack-name", stack_name)
    aws(_overrides(argv, EnvironmentSuffix=env, ProtectData="false"))
    dynamodb = client("dynamodb")
    table_name = f"serverless-app-{env}-data"
    assert dynamodb.describe_table(TableName=table_name)["Table"]["DeletionProtectionEnabled"] is False

    aws(["aws", "cloudformation", "delete-stack", "--stack-name", stack_name])
    aws(["aws", "cloudformation", "wait", "stack-delete-complete", "--stack-name", stack_name])

    assert table_name not in dynamodb.list_tables()["TableNames"]
    buckets = {b["Name"] for b in client("s3").list_buckets()["Buckets"]}
    assert f"serverless-app-{env}-logs-123456789012-{REGION}" in buckets
