"""The alarm group: an encrypted SNS topic and the alarms that notify it.

Alarms address their metrics by the physical names in ``tapgen.names``, so the
group is added before the function: the function's deployment preference uses
the error alarms as rollback triggers.
"""

from __future__ import annotations

from dataclasses import dataclass

import awacs.sns as sns_actions
from awacs.aws import Allow, Bool, Condition, Deny, PolicyDocument, Principal, Statement, StringEquals
from troposphere import Ref, Sub, Template
from troposphere.cloudwatch import Alarm, MetricDataQuery, MetricDimension, MetricStat
from troposphere.cloudwatch import Metric as CwMetric
from troposphere.sns import SubscriptionResource, Topic, TopicPolicy

from tapgen import names
from tapgen.api import ApiRefs
from tapgen.config import StackConfig
from tapgen.iam import TABLE_ACTIONS
from tapgen.kms import customer_key
from tapgen.parameters import StackParameters
from tapgen.tags import resource_tags

CLOUDWATCH = "cloudwatch.amazonaws.com"


@dataclass(frozen=True)
class AlarmRefs:
    """The topic alarms notify, and the alarms that roll back a deployment."""

    topic_arn: Ref
    rollback_alarms: tuple[Ref, ...]


def _dimensions(**values: str) -> list[MetricDimension]:
    return [MetricDimension(Name=key, Value=Sub(value)) for key, value in values.items()]


def _topic_policy(topic: Topic) -> PolicyDocument:
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="CloudWatchAlarmsPublish",
                Effect=Allow,
                Principal=Principal("Service", [CLOUDWATCH]),
                Action=[sns_actions.Publish],
                Resource=[Ref(topic)],
                Condition=Condition(StringEquals("aws:SourceAccount", Sub("${AWS::AccountId}"))),
            ),
            Statement(
                Sid="DenyInsecureTransport",
                Effect=Deny,
                Principal=Principal("*"),
                Action=[sns_actions.Publish],
                Resource=[Ref(topic)],
                Condition=Condition(Bool("aws:SecureTransport", "false")),
            ),
        ],
    )


def add_alarms(
    template: Template,
    config: StackConfig,
    *,
    params: StackParameters,
    api: ApiRefs | None,
    naming: names.Naming = names.DEFAULT_NAMING,
) -> AlarmRefs:
    """Add the alarm topic (with its key, policy and optional e-mail subscription) and
    the function, queue and table alarms, and the API alarms when ``api`` is given (one
    copy per API); return the topic and the alarms that roll a deployment back."""
    # CloudWatch cannot publish to a topic encrypted with the AWS-managed
    # aws/sns key (its policy cannot be changed), so the topic gets its own key.
    # https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    key = template.add_resource(
        customer_key(
            naming.id(names.ALARM_TOPIC_KEY),
            Sub("Alarm topic of " + naming.physical("api")),
            retain=False,
            service_principals=(CLOUDWATCH,),
        )
    )
    topic = template.add_resource(
        Topic(
            naming.id(names.ALARM_TOPIC),
            TopicName=naming.sub("alarms"),
            DisplayName=naming.sub("alarms"),
            KmsMasterKeyId=Ref(key),
            Tags=resource_tags(),
        )
    )
    template.add_resource(
        TopicPolicy(
            naming.id(names.ALARM_TOPIC_POLICY), Topics=[Ref(topic)], PolicyDocument=_topic_policy(topic)
        )
    )
    template.add_resource(
        SubscriptionResource(
            naming.id(names.ALARM_EMAIL_SUBSCRIPTION),
            Condition=params.has_alarm_email,
            TopicArn=Ref(topic),
            Protocol="email",
            Endpoint=params.alarm_email,
        )
    )
    notify = [Ref(topic)]
    period = config.alarm_period_seconds
    function = naming.function_name

    def alarm(base: str, suffix: str, description: str, **properties: object) -> Alarm:
        return template.add_resource(
            Alarm(
                naming.id(base),
                AlarmName=naming.sub(suffix),
                AlarmDescription=description,
                AlarmActions=notify,
                OKActions=notify,
                TreatMissingData="notBreaching",
                Tags=resource_tags(),
                **properties,
            )
        )

    errors = alarm(
        names.FUNCTION_ERRORS_ALARM,
        "function-errors",
        "The live alias of the function raised errors; rolls back a deployment in progress.",
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Dimensions=_dimensions(FunctionName=function, Resource=f"{function}:{names.FUNCTION_ALIAS}"),
        Statistic="Sum",
        Period=period,
        EvaluationPeriods=1,
        Threshold=config.alarm_error_threshold,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    alarm(
        names.FUNCTION_THROTTLES_ALARM,
        "function-throttles",
        "Invocations of the function were throttled (reserved or account concurrency reached).",
        Namespace="AWS/Lambda",
        MetricName="Throttles",
        Dimensions=_dimensions(FunctionName=function),
        Statistic="Sum",
        Period=period,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    alarm(
        names.FUNCTION_DURATION_ALARM,
        "function-duration",
        f"p99 duration above {config.duration_alarm_ms} ms, close to the {config.timeout_seconds} s timeout.",
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=_dimensions(FunctionName=function),
        ExtendedStatistic="p99",
        Period=period,
        EvaluationPeriods=3,
        DatapointsToAlarm=2,
        Threshold=config.duration_alarm_ms,
        ComparisonOperator="GreaterThanThreshold",
    )
    rollback = [Ref(errors)]
    if api is not None:
        server_errors = alarm(
            names.API_5XX_ALARM,
            "api-5xx",
            "The API answered with 5XX errors; rolls back a deployment in progress.",
            Namespace="AWS/ApiGateway",
            MetricName="5XXError",
            Dimensions=_dimensions(ApiName=api.name, Stage=f"${{{names.ENVIRONMENT_SUFFIX}}}"),
            Statistic="Sum",
            Period=period,
            EvaluationPeriods=1,
            Threshold=config.alarm_error_threshold,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        )
        alarm(
            names.API_LATENCY_ALARM,
            "api-latency",
            f"p90 API latency above {config.alarm_latency_p90_ms} ms.",
            Namespace="AWS/ApiGateway",
            MetricName="Latency",
            Dimensions=_dimensions(ApiName=api.name, Stage=f"${{{names.ENVIRONMENT_SUFFIX}}}"),
            ExtendedStatistic="p90",
            Period=period,
            EvaluationPeriods=3,
            DatapointsToAlarm=2,
            Threshold=config.alarm_latency_p90_ms,
            ComparisonOperator="GreaterThanThreshold",
        )
        rollback.append(Ref(server_errors))
    alarm(
        names.DEAD_LETTER_QUEUE_DEPTH_ALARM,
        "dlq-depth",
        "Failed asynchronous invocations are waiting in the dead-letter queue.",
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=_dimensions(QueueName=naming.dead_letter_queue_name),
        Statistic="Maximum",
        Period=300,  # SQS publishes queue metrics every 5 minutes.
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
    )
    table = naming.physical("data")
    alarm(
        names.TABLE_THROTTLES_ALARM,
        "table-throttles",
        "Reads or writes on the table were throttled.",
        Metrics=[
            _metric("reads", "ReadThrottleEvents", period, TableName=table),
            _metric("writes", "WriteThrottleEvents", period, TableName=table),
            MetricDataQuery(
                Id="throttles", Expression="reads + writes", Label="Throttle events", ReturnData=True
            ),
        ],
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    operations = [str(action.JSONrepr()).removeprefix("dynamodb:") for action in TABLE_ACTIONS]
    alarm(
        names.TABLE_SYSTEM_ERRORS_ALARM,
        "table-system-errors",
        "DynamoDB answered requests on the table with server errors.",
        Metrics=[
            *(
                _metric(op.lower(), "SystemErrors", period, TableName=table, Operation=op)
                for op in operations
            ),
            MetricDataQuery(
                Id="errors",
                Expression=" + ".join(f"FILL({op.lower()}, 0)" for op in operations),
                Label="System errors",
                ReturnData=True,
            ),
        ],
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    return AlarmRefs(topic_arn=Ref(topic), rollback_alarms=tuple(rollback))


def _metric(query_id: str, metric_name: str, period: int, **dimensions: str) -> MetricDataQuery:
    return MetricDataQuery(
        Id=query_id,
        MetricStat=MetricStat(
            Metric=CwMetric(
                Namespace="AWS/DynamoDB", MetricName=metric_name, Dimensions=_dimensions(**dimensions)
            ),
            Period=period,
            Stat="Sum",
        ),
        ReturnData=False,
    )
