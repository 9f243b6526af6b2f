"""tapgen: a resilient serverless CRUD stack (API Gateway REST -> Lambda -> DynamoDB) as
an AWS SAM template, built from small troposphere functions you can reuse."""

from tapgen.config import StackConfig
from tapgen.stack import build_template, render

__all__ = ["StackConfig", "build_template", "render"]
