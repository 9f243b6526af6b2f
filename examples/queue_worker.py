"""A different stack from a subset of the groups: a queue-fed function with its table, no API.

Messages sent to the work queue invoke the function in batches; it writes to its own
table. Run: python examples/queue_worker.py > templates/QueueWorker.yml
"""

from __future__ import annotations

import sys

from troposphere import GetAtt, Output, Ref, Template
from troposphere.sqs import Queue, RedrivePolicy

import tapgen
from tapgen import StackConfig


def build(config: StackConfig | None = None) -> Template:
    """Parameters, encryption, a table, a work queue and the function it feeds."""
    config = config or StackConfig()
    template = tapgen.new_template("Queue-fed worker with its own table")
    params = tapgen.add_parameters(template, with_api=False)
    encryption = tapgen.add_encryption(template, config)
    data = tapgen.add_data(template, config, params=params, encryption=encryption)

    # Messages that fail five times are parked instead of being retried forever.
    parked = template.add_resource(
        Queue(
            "ParkedWorkQueue",
            MessageRetentionPeriod=14 * 24 * 3600,
            SqsManagedSseEnabled=True,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
        )
    )
    work = template.add_resource(
        Queue(
            "WorkQueue",
            MessageRetentionPeriod=4 * 24 * 3600,
            SqsManagedSseEnabled=True,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            # At least six times the function's timeout, as Lambda recommends for SQS sources.
            VisibilityTimeout=6 * config.timeout_seconds,
            RedrivePolicy=RedrivePolicy(deadLetterTargetArn=GetAtt(parked, "Arn"), maxReceiveCount=5),
        )
    )
    role_arn = tapgen.add_function_role(
        template,
        data=data,
        encryption=encryption,
        extra_grants=[tapgen.grant_consume_queue(GetAtt(work, "Arn"))],
    )
    alarms = tapgen.add_alarms(template, config, params=params, api=None)
    worker = tapgen.add_function(
        template,
        config,
        params=params,
        data=data,
        role_arn=role_arn,
        api=None,
        alarms=alarms,
        encryption=encryption,
        code_uri="../worker",
        handler="worker.handle_batch",
        events={
            "Work": {
                "Type": "SQS",
                "Properties": {
                    "Queue": GetAtt(work, "Arn"),
                    "BatchSize": 10,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            }
        },
    )
    template.add_output(Output("WorkQueueUrl", Description="Send work here", Value=Ref(work)))
    template.add_output(Output("WorkerFunctionName", Value=worker.name))
    return template


if __name__ == "__main__":
    sys.stdout.write(tapgen.render_template(build()))
