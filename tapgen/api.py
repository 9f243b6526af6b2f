"""The API group: the SAM REST API, its stage settings, auth and execution logs.

Routes are declared on the function (SAM ``Api`` events, see ``tapgen.function``),
which is how SAM points each integration at the function's published alias.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from troposphere import If, Ref, Sub, Template
from troposphere.cloudformation import WaitConditionHandle
from troposphere.serverless import AccessLogSetting, EndpointConfiguration, MethodSetting

from tapgen import names, sam
from tapgen.access_logs import AccessLogRefs
from tapgen.checkov import skipped
from tapgen.config import StackConfig
from tapgen.iam import IamRefs
from tapgen.kms import EncryptionRefs
from tapgen.logs import log_group
from tapgen.parameters import StackParameters, api_condition
from tapgen.tags import tag_values

# One JSON object per request; every field is a $context variable.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "requestTime": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "apiKeyId": "$context.identity.apiKeyId",
    "caller": "$context.identity.caller",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "path": "$context.path",
    "protocol": "$context.protocol",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integration.status",
    "errorMessage": "$context.error.message",
    "xrayTraceId": "$context.xrayTraceId",
}
# Headers a browser may send: If-Match for optimistic concurrency, the rest for auth.
CORS_ALLOW_HEADERS = "Content-Type,If-Match,Authorization,X-Api-Key,X-Amz-Date,X-Amz-Security-Token"
CORS_ALLOW_METHODS = "GET,POST,PUT,DELETE,OPTIONS"


@dataclass(frozen=True)
class ApiRefs:
    """What the function's routes, the alarms and the outputs use of the API."""

    api: sam.Api
    rest_api_id: Ref
    stage_name: Ref
    # The API's physical name, for use inside Sub (CloudWatch metrics are keyed by it).
    name: str


def _quoted(value: str) -> str:
    # SAM's REST CORS values are header values written as quoted strings.
    return f"'{value}'"


def _auth(config: StackConfig, naming: names.Naming) -> sam.RestAuth | None:
    if config.auth == "api_key":
        return sam.RestAuth(
            ApiKeyRequired=True,
            # Browsers send CORS pre-flights without the key; they must pass.
            AddApiKeyRequiredToCorsPreflight=False,
            UsagePlan=sam.UsagePlan(
                CreateUsagePlan="PER_API",
                UsagePlanName=naming.sub("usage-plan"),
                Description="Throttle and quota for the data API's key",
                Throttle=sam.Throttle(
                    RateLimit=config.throttle_rate_limit, BurstLimit=config.throttle_burst_limit
                ),
                Quota=sam.Quota(Limit=config.quota_limit, Period=config.quota_period),
            ),
        )
    if config.auth == "iam":
        return sam.RestAuth(DefaultAuthorizer="AWS_IAM", AddDefaultAuthorizerToCorsPreflight=False)
    return None


def add_api(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,
    iam: IamRefs,
    access_logs: AccessLogRefs,
    encryption: EncryptionRefs,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> ApiRefs:
    """Add the REST API (stage, tracing, CORS, access and execution logs, method
    settings, auth) and its execution log group; return the API refs."""
    # DependsOn cannot name a resource whose condition is false, so the API waits
    # on this handle, which references the account registration only when it exists.
    account_ready = template.add_resource(
        WaitConditionHandle(
            naming.id(names.API_ACCOUNT_READY),
            Metadata={"ApiGatewayAccount": If(api_condition(params), Ref(iam.api_gateway_account), "")},
        )
    )
    api_name = naming.physical("api")
    api = sam.Api(
        naming.id(names.REST_API),
        Name=Sub(api_name),
        Description="CRUD API over the data table",
        StageName=params.environment_suffix,
        # Without it, SAM also creates a stage literally named "Stage".
        OpenApiVersion="3.0.1",
        EndpointConfiguration=EndpointConfiguration(Type="REGIONAL"),
        TracingEnabled=True,
        Cors=sam.RestCors(
            AllowOrigin=_quoted(config.cors_allow_origin),
            AllowHeaders=_quoted(CORS_ALLOW_HEADERS),
            AllowMethods=_quoted(CORS_ALLOW_METHODS),
            MaxAge=_quoted("600"),
        ),
        Variables={"environment": params.environment_suffix, "functionAlias": names.FUNCTION_ALIAS},
        AccessLogSetting=AccessLogSetting(
            DestinationArn=access_logs.stream_arn,
            Format=json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":")),
        ),
        MethodSettings=[
            MethodSetting(
                ResourcePath="/*",
                HttpMethod="*",
                MetricsEnabled=True,
                LoggingLevel="ERROR",
                # Full request/response bodies in logs would leak item data.
                DataTraceEnabled=False,
                ThrottlingRateLimit=config.throttle_rate_limit,
                ThrottlingBurstLimit=config.throttle_burst_limit,
            )
        ],
        Tags=tag_values(),
        PropagateTags=True,
        DependsOn=[account_ready],
        **skipped("CKV_AWS_120"),
    )
    auth = _auth(config, naming)
    if auth is not None:
        api.Auth = auth
    template.add_resource(api)
    # API Gateway writes execution logs to this group, named by its own convention.
    template.add_resource(
        log_group(
            naming.id(names.API_EXECUTION_LOG_GROUP),
            Sub(f"API-Gateway-Execution-Logs_${{{api.title}}}/${{{names.ENVIRONMENT_SUFFIX}}}"),
            config,
            encryption,
        )
    )
    return ApiRefs(api=api, rest_api_id=Ref(api), stage_name=params.environment_suffix, name=api_name)
