"""Every physical name stays within its AWS limit for the longest values the parameters allow."""

from __future__ import annotations

import re
from typing import Any

import pytest

import tapgen
from tapgen.parameters import ENVIRONMENT_SUFFIX_MAX, PROJECT_NAME_MAX

# (resource type, property) -> (max length, allowed characters)
LIMITS = {
    ("AWS::DynamoDB::Table", "TableName"): (255, r"[A-Za-z0-9_.-]+"),
    ("AWS::S3::Bucket", "BucketName"): (63, r"[a-z0-9][a-z0-9.-]*[a-z0-9]"),
    ("AWS::SQS::Queue", "QueueName"): (80, r"[A-Za-z0-9_-]+"),
    ("AWS::Serverless::Function", "FunctionName"): (64, r"[A-Za-z0-9_-]+"),
    ("AWS::Logs::LogGroup", "LogGroupName"): (512, r"[A-Za-z0-9_./#-]+"),
    ("AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"): (64, r"[A-Za-z0-9_.-]+"),
    ("AWS::CloudWatch::Alarm", "AlarmName"): (255, r"[ -~]+"),
    ("AWS::SNS::Topic", "TopicName"): (256, r"[A-Za-z0-9_-]+"),
    ("AWS::SNS::Topic", "DisplayName"): (100, r"[ -~]+"),
    ("AWS::Serverless::Api", "Name"): (1024, r"[ -~]+"),
}
ACCOUNT = "123456789012"
LONGEST_REGIONS = ["ap-southeast-7", "us-isob-east-1", "eu-isoe-west-1", "us-gov-west-1"]
LONGEST_PROJECTS = ["a" * PROJECT_NAME_MAX, "a" + "-" * (PROJECT_NAME_MAX - 1)]
LONGEST_ENVIRONMENT = "9" * ENVIRONMENT_SUFFIX_MAX
S3_RESERVED = ("xn--", "sthree-", "amzn-s3-demo-")


def resolve(value: Any, project: str, region: str) -> str:
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    assert isinstance(text, str), value
    variables = {
        "ProjectName": project,
        "EnvironmentSuffix": LONGEST_ENVIRONMENT,
        "AWS::AccountId": ACCOUNT,
        "AWS::Region": region,
        "RestApi": "a1b2c3d4e5",  # API Gateway ids are 10 characters
    }
    resolved = re.sub(r"\$\{([^}]+)\}", lambda m: variables[m.group(1)], text)
    assert "${" not in resolved
    return resolved


def physical_names(template: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(resource type, property, value) of every name the stack sets."""
    names = []
    for resource in template["Resources"].values():
        for key, value in resource.get("Properties", {}).items():
            if key.endswith("Name") and (isinstance(value, dict) and "Fn::Sub" in value):
                names.append((resource["Type"], key, value))
    return names


@pytest.mark.parametrize("project", LONGEST_PROJECTS)
@pytest.mark.parametrize("region", LONGEST_REGIONS)
@pytest.mark.parametrize("config", [tapgen.StackConfig(), tapgen.StackConfig(customer_managed_key=True)])
def test_names_fit_for_the_longest_parameters(config, region, project):
    names = physical_names(tapgen.build_template(config).to_dict())
    assert len(names) >= 15
    for resource_type, key, value in names:
        assert (resource_type, key) in LIMITS, f"no limit known for {resource_type}.{key}: add it to LIMITS"
        limit, characters = LIMITS[(resource_type, key)]
        name = resolve(value, project, region)
        assert len(name) <= limit, f"{resource_type}.{key} = {name!r} is {len(name)} > {limit}"
        assert re.fullmatch(characters, name), f"{resource_type}.{key} = {name!r}"
        if resource_type == "AWS::S3::Bucket":
            assert not name.startswith(S3_RESERVED)


def test_roles_are_unnamed_so_cloudformation_keeps_them_within_64():
    template = tapgen.build_template().to_dict()
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::IAM::Role":
            assert "RoleName" not in resource["Properties"]


def test_the_bucket_is_the_tightest_fit():
    """The parameters' MaxLength is as long as it can be: one more character breaks S3's 63."""
    (bucket,) = [v for t, k, v in physical_names(tapgen.build_template().to_dict()) if t == "AWS::S3::Bucket"]
    longest = resolve(bucket, "a" * PROJECT_NAME_MAX, LONGEST_REGIONS[0])
    assert 62 <= len(longest) <= 63


@pytest.mark.parametrize(
    ("parameter", "value", "allowed"),
    [
        ("ProjectName", "serverless-app", True),
        ("ProjectName", "a", True),
        ("ProjectName", "Serverless", False),
        ("ProjectName", "9lives", False),
        ("ProjectName", "xn--app", False),
        ("ProjectName", "sthree-app", False),
        ("ProjectName", "has_underscore", False),
        ("EnvironmentSuffix", "dev", True),
        ("EnvironmentSuffix", "prod2", True),
        ("EnvironmentSuffix", "Dev", False),
        ("EnvironmentSuffix", "dev-1", False),
        ("AlarmEmail", "", True),
        ("AlarmEmail", "ops@example.com", True),
        ("AlarmEmail", "not an email", False),
    ],
)
def test_allowed_patterns(parameter, value, allowed):
    spec = tapgen.build_template().to_dict()["Parameters"][parameter]
    matches = re.fullmatch(spec["AllowedPattern"], value) is not None
    within = len(value) <= spec.get("MaxLength", 10**6)
    assert (matches and within) == allowed
