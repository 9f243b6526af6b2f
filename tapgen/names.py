"""Logical IDs and physical names, each defined once.

Logical IDs never change once released: renaming a stateful resource (the table,
the bucket) makes CloudFormation replace it. ``tests/tapgen/test_names.py`` pins
the full set of the default stack, so a rename is a deliberate, visible act.

Physical names are derived from the ``ProjectName`` and ``EnvironmentSuffix``
parameters, so several environments live side by side in one account. Their
lengths are bounded by the parameters' ``MaxLength`` (see ``tapgen.parameters``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from troposphere import Sub

# Parameters and conditions (shared by every group, never prefixed).
ENVIRONMENT_SUFFIX = "EnvironmentSuffix"
PROJECT_NAME = "ProjectName"
PROTECT_DATA = "ProtectData"
CREATE_API_GATEWAY_ACCOUNT = "CreateApiGatewayAccount"
RESERVED_CONCURRENCY = "ReservedConcurrency"
DEPLOYMENT_TYPE = "DeploymentType"
ALARM_EMAIL = "AlarmEmail"
SHOULD_CREATE_API_GATEWAY_ACCOUNT = "ShouldCreateApiGatewayAccount"
HAS_RESERVED_CONCURRENCY = "HasReservedConcurrency"
HAS_ALARM_EMAIL = "HasAlarmEmail"

# Resources, by group.
DATA_KEY = "DataKey"
DATA_TABLE = "DataTable"
FUNCTION_ROLE = "FunctionRole"
ACCESS_LOG_DELIVERY_ROLE = "AccessLogDeliveryRole"
API_GATEWAY_CLOUDWATCH_ROLE = "ApiGatewayCloudWatchRole"
API_GATEWAY_ACCOUNT = "ApiGatewayAccount"
ACCESS_LOG_BUCKET = "AccessLogBucket"
ACCESS_LOG_BUCKET_POLICY = "AccessLogBucketPolicy"
ACCESS_LOG_STREAM = "AccessLogDeliveryStream"
ACCESS_LOG_DELIVERY_LOG_GROUP = "AccessLogDeliveryLogGroup"
ACCESS_LOG_DELIVERY_LOG_STREAM = "AccessLogDeliveryLogStream"
ALARM_TOPIC = "AlarmTopic"
ALARM_TOPIC_KEY = "AlarmTopicKey"
ALARM_TOPIC_POLICY = "AlarmTopicPolicy"
ALARM_EMAIL_SUBSCRIPTION = "AlarmEmailSubscription"
FUNCTION_ERRORS_ALARM = "FunctionErrorsAlarm"
FUNCTION_THROTTLES_ALARM = "FunctionThrottlesAlarm"
FUNCTION_DURATION_ALARM = "FunctionDurationAlarm"
API_5XX_ALARM = "Api5xxAlarm"
API_LATENCY_ALARM = "ApiLatencyAlarm"
DEAD_LETTER_QUEUE_DEPTH_ALARM = "DeadLetterQueueDepthAlarm"
TABLE_THROTTLES_ALARM = "TableThrottlesAlarm"
TABLE_SYSTEM_ERRORS_ALARM = "TableSystemErrorsAlarm"
DEAD_LETTER_QUEUE = "DeadLetterQueue"
FUNCTION_LOG_GROUP = "FunctionLogGroup"
FUNCTION = "ApiFunction"
REST_API = "RestApi"
API_ACCOUNT_READY = "ApiGatewayAccountReady"
API_EXECUTION_LOG_GROUP = "ApiExecutionLogGroup"

# The alias SAM publishes on every code change (AutoPublishAlias).
FUNCTION_ALIAS = "live"

_PREFIX = re.compile(r"^([A-Z][A-Za-z0-9]{0,15})?$")


@dataclass(frozen=True)
class Naming:
    """Names for one copy of a group: ``prefix`` keeps copies apart.

    The empty prefix gives the names of the default stack. A prefix such as
    ``"Items"`` turns ``DataTable`` into ``ItemsDataTable`` and the physical name
    ``<project>-<env>-data`` into ``<project>-<env>-items-data``.
    """

    prefix: str = ""

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValueError(
                f"Naming.prefix={self.prefix!r} is not valid: use '' or 1-16 letters and digits starting "
                "with an upper-case letter, e.g. 'Items'"
            )

    def id(self, base: str) -> str:
        """The logical ID of ``base`` in this copy."""
        return f"{self.prefix}{base}"

    def physical(self, suffix: str) -> str:
        """``${ProjectName}-${EnvironmentSuffix}[-prefix]-suffix``, for use inside ``Sub``."""
        middle = f"-{self.prefix.lower()}" if self.prefix else ""
        return f"${{{PROJECT_NAME}}}-${{{ENVIRONMENT_SUFFIX}}}{middle}-{suffix}"

    def sub(self, suffix: str) -> Sub:
        """The physical name ``suffix`` as a ``!Sub``."""
        return Sub(self.physical(suffix))

    # Physical names shared by a resource and the grants on it. IAM is added
    # before the queue, log groups and bucket that its policies name, so both
    # sides build the name here rather than agreeing by convention.

    @property
    def function_name(self) -> str:
        return self.physical("api")

    @property
    def function_log_group(self) -> str:
        # Lambda's default group name, so logs written before the function's
        # LoggingConfig takes effect still land in the group we manage.
        return f"/aws/lambda/{self.function_name}"

    @property
    def dead_letter_queue_name(self) -> str:
        return self.physical("dlq")

    @property
    def access_log_bucket_name(self) -> str:
        # Bucket names are global: account and region make them unique.
        return self.physical("logs") + "-${AWS::AccountId}-${AWS::Region}"

    @property
    def access_log_stream_name(self) -> str:
        # API Gateway only delivers access logs to streams named amazon-apigateway-*.
        return "amazon-apigateway-" + self.physical("access-logs")

    @property
    def access_log_delivery_log_group(self) -> str:
        return "/aws/kinesisfirehose/" + self.access_log_stream_name


DEFAULT_NAMING = Naming()
