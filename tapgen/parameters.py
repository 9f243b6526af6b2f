"""Deploy-time parameters and the conditions derived from them.

Lengths are bounded so that every physical name derived from them stays within
its AWS limit; the tightest is the access-log bucket,
``<project>-<env>-logs-<account id>-<region>``, against S3's 63 characters.
Both are lower-case because S3 bucket names must be.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Equals, Not, Parameter, Ref, Template

from tapgen import names

PROJECT_NAME_MAX = 20
ENVIRONMENT_SUFFIX_MAX = 8
DEPLOYMENT_TYPES = (
    "AllAtOnce",
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
)


@dataclass(frozen=True)
class StackParameters:
    """Refs to the parameters and the names of the conditions other groups use."""

    environment_suffix: Ref
    project_name: Ref
    protect_data: Ref
    reserved_concurrency: Ref
    deployment_type: Ref
    alarm_email: Ref
    # None in a stack without an API (see add_parameters' with_api).
    create_api_gateway_account: str | None
    has_reserved_concurrency: str
    has_alarm_email: str


def api_condition(params: StackParameters) -> str:
    """The CreateApiGatewayAccount condition's name; a clear error when the stack has none."""
    if params.create_api_gateway_account is None:
        raise ValueError(
            "these parameters were added with with_api=False; an API needs add_parameters(template)"
        )
    return params.create_api_gateway_account


def add_parameters(template: Template, *, with_api: bool = True) -> StackParameters:
    """Add the stack's parameters and conditions; return refs to them.

    ``with_api=False`` leaves out what only an API uses (CreateApiGatewayAccount), for
    stacks built from a subset of the groups.
    """
    env = template.add_parameter(
        Parameter(
            names.ENVIRONMENT_SUFFIX,
            Type="String",
            Default="dev",
            Description=(
                "Environment name (lower-case letters and digits); names every resource and the API stage."
            ),
            AllowedPattern="^[a-z0-9]+$",
            MinLength=1,
            MaxLength=ENVIRONMENT_SUFFIX_MAX,
            ConstraintDescription=f"1-{ENVIRONMENT_SUFFIX_MAX} lower-case letters and digits.",
        )
    )
    project = template.add_parameter(
        Parameter(
            names.PROJECT_NAME,
            Type="String",
            Default="serverless-app",
            Description="Project name (lower-case letters, digits, hyphens); prefixes every physical name.",
            # The bucket name starts with it, and S3 reserves these prefixes.
            AllowedPattern="^(?!xn--|sthree-|amzn-s3-demo-)[a-z][a-z0-9-]*$",
            MinLength=1,
            MaxLength=PROJECT_NAME_MAX,
            ConstraintDescription=(
                f"1-{PROJECT_NAME_MAX} lower-case letters, digits and hyphens, starting with a letter "
                "(not xn--, sthree- or amzn-s3-demo-, which S3 reserves)."
            ),
        )
    )
    protect = template.add_parameter(
        Parameter(
            names.PROTECT_DATA,
            Type="String",
            Default="true",
            AllowedValues=["true", "false"],
            Description="Turn on the table's deletion protection; set false only for ephemeral environments.",
        )
    )
    account = (
        None
        if not with_api
        else template.add_parameter(
            Parameter(
                names.CREATE_API_GATEWAY_ACCOUNT,
                Type="String",
                Default="true",
                AllowedValues=["true", "false"],
                Description=(
                    "Register API Gateway's CloudWatch role for this account and region (an account-wide "
                    "setting); set false when the account already has one."
                ),
            )
        )
    )
    concurrency = template.add_parameter(
        Parameter(
            names.RESERVED_CONCURRENCY,
            Type="Number",
            Default=0,
            MinValue=0,
            MaxValue=1000,
            Description="Concurrent executions reserved for the function; 0 leaves it unreserved.",
        )
    )
    deployment = template.add_parameter(
        Parameter(
            names.DEPLOYMENT_TYPE,
            Type="String",
            Default="AllAtOnce",
            AllowedValues=list(DEPLOYMENT_TYPES),
            Description="How CodeDeploy shifts traffic to a new function version; alarms roll it back.",
        )
    )
    email = template.add_parameter(
        Parameter(
            names.ALARM_EMAIL,
            Type="String",
            Default="",
            AllowedPattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$",
            MaxLength=254,
            Description="E-mail address subscribed to the alarm topic; empty for none.",
            ConstraintDescription="Empty, or one e-mail address.",
        )
    )
    if account is not None:
        template.add_condition(names.SHOULD_CREATE_API_GATEWAY_ACCOUNT, Equals(Ref(account), "true"))
    template.add_condition(names.HAS_RESERVED_CONCURRENCY, Not(Equals(Ref(concurrency), 0)))
    template.add_condition(names.HAS_ALARM_EMAIL, Not(Equals(Ref(email), "")))
    return StackParameters(
        environment_suffix=Ref(env),
        project_name=Ref(project),
        protect_data=Ref(protect),
        reserved_concurrency=Ref(concurrency),
        deployment_type=Ref(deployment),
        alarm_email=Ref(email),
        create_api_gateway_account=names.SHOULD_CREATE_API_GATEWAY_ACCOUNT if with_api else None,
        has_reserved_concurrency=names.HAS_RESERVED_CONCURRENCY,
        has_alarm_email=names.HAS_ALARM_EMAIL,
    )
