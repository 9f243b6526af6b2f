"""Turning the SAM-expanded template into one moto's CloudFormation can create, openly.

Everything changed here is listed and explained; the resources left out are checked
on the expanded template instead (tests/deploy/test_expanded.py).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.cloudformation.parsing import resource_class_from_type

from tests.templates import references

# Resource types moto 5.2 cannot create through CloudFormation (it skips them), pinned
# so that a moto upgrade that adds one makes this test point it out.
MOTO_UNSUPPORTED = {
    "AWS::ApiGateway::Account",
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::UsagePlanKey",
    "AWS::CloudFormation::WaitConditionHandle",
    "AWS::CloudWatch::Alarm",
    "AWS::CodeDeploy::Application",
    "AWS::CodeDeploy::DeploymentGroup",
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::Lambda::Alias",
    "AWS::Logs::LogStream",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
}
# AWS resolves {{resolve:ssm:/aws/service/powertools/...}} to the public layer's ARN.
# moto refuses parameter names under the reserved /aws/ prefix, and checks on update
# that a layer exists, so the test publishes a stand-in layer under this name in moto
# and resolves the reference to it.
POWERTOOLS_LAYER_NAME = "AWSLambdaPowertoolsPythonV3-python313-arm64"


def unsupported_types(template: dict[str, Any]) -> set[str]:
    return {r["Type"] for r in template["Resources"].values() if not resource_class_from_type(r["Type"])}


def moto_ready(expanded: dict[str, Any], layer_arn: str) -> tuple[dict[str, Any], set[str]]:
    """The expanded template as moto can create it, and the logical IDs left out.

    - resources of MOTO_UNSUPPORTED types are left out, and so is every resource or
      output that references one (moto cannot resolve the reference); DependsOn on
      them is dropped (it only orders creation);
    - the Powertools layer's SSM dynamic reference is resolved to ``layer_arn``, as AWS
      resolves it to the public layer;
    - KMS key tags are dropped: moto 5.2 reads CloudFormation's Key/Value tags as
      the KMS API's TagKey/TagValue and fails;
    - the table's DeletionProtectionEnabled gets the boolean CloudFormation makes of
      the ProtectData parameter: moto passes the string "false" through, which it
      then treats as true.
    """
    template = copy.deepcopy(expanded)
    resources = template["Resources"]
    left_out = {name for name, r in resources.items() if r["Type"] in MOTO_UNSUPPORTED}
    while True:
        referencing = {
            name
            for name, r in resources.items()
            if name not in left_out
            and references({k: v for k, v in r.items() if k != "DependsOn"}) & left_out
        }
        if not referencing:
            break
        left_out |= referencing
    for name in left_out:
        del resources[name]
    for resource in resources.values():
        depends = resource.pop("DependsOn", [])
        depends = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in left_out]
        if depends:
            resource["DependsOn"] = depends
        if resource["Type"] == "AWS::KMS::Key":
            resource["Properties"].pop("Tags", None)
        properties = resource.get("Properties", {})
        if properties.get("DeletionProtectionEnabled") == {"Ref": "ProtectData"}:
            template.setdefault("Conditions", {})["MotoProtectData"] = {
                "Fn::Equals": [{"Ref": "ProtectData"}, "true"]
            }
            properties["DeletionProtectionEnabled"] = {"Fn::If": ["MotoProtectData", True, False]}
    template["Outputs"] = {
        name: output for name, output in template["Outputs"].items() if not references(output) & left_out
    }
    text = json.dumps(template)
    for layer in {"{{resolve:ssm:" + part.split("}}")[0] + "}}" for part in text.split("{{resolve:ssm:")[1:]}:
        text = text.replace(layer, layer_arn)
    return json.loads(text), left_out
