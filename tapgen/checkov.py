"""Checkov checks this design does not follow, each with the reason, shipped in the template.

A skip is written into the resource's ``Metadata.checkov.skip`` so that the reason
travels with the template and any scan of it, not only ours. Every reason is kept
here, in one reviewable place; ``tests/security`` fails on a skip without one.
"""

from __future__ import annotations

from typing import Any

_CUSTOMER_KEY = "render with customer_managed_key = true for a key of your own."
SKIP_REASONS = {
    "CKV_AWS_117": (
        "The function calls only AWS APIs (DynamoDB, SQS, X-Ray, CloudWatch) and no private network "
        "resource; a VPC would add NAT or endpoint cost and cold-start latency without isolating anything."
    ),
    "CKV_AWS_120": (
        "A CRUD API must return each item's current version; a stage cache would serve stale items "
        "after writes (and is billed per hour)."
    ),
    "CKV_AWS_18": (
        "This bucket is itself the access-log destination; logging it into yet another bucket only moves "
        "the question. Object-level audit of it belongs to CloudTrail data events."
    ),
    "CKV_AWS_119": "Encrypted at rest with the AWS-managed aws/dynamodb KMS key by default; " + _CUSTOMER_KEY,
    "CKV_AWS_158": "CloudWatch Logs encrypts every log group at rest by default; " + _CUSTOMER_KEY,
    "CKV_AWS_27": "Encrypted at rest with SQS-managed keys (SSE-SQS); " + _CUSTOMER_KEY,
    "CKV_AWS_173": (
        "Lambda encrypts environment variables at rest with an AWS-managed key and these hold no secrets "
        "(names and settings only); " + _CUSTOMER_KEY
    ),
}


def skipped(*check_ids: str, when: bool = True) -> dict[str, Any]:
    """Resource keyword arguments whose ``Metadata`` skips ``check_ids`` with their reasons;
    no arguments at all when ``when`` is false, so a resource then carries no Metadata."""
    if not when:
        return {}
    return {"Metadata": {"checkov": {"skip": [{"id": c, "comment": SKIP_REASONS[c]} for c in check_ids]}}}
