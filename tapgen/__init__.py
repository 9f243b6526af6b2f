"""tapgen: a resilient serverless CRUD stack (API Gateway REST -> Lambda -> DynamoDB) as
an AWS SAM template, built from small troposphere functions you can reuse.

``render``/``build_template`` give the whole TapStack. To build your own stack, start
from ``new_template`` and add groups: each ``add_<group>`` adds its resources and returns
a frozen dataclass of refs for the groups after it; a ``Naming`` prefix keeps copies of
a group apart. ``render_template`` writes any Template deterministically.
"""

from tapgen.access_logs import AccessLogRefs, add_access_logs
from tapgen.alarms import AlarmRefs, add_alarms
from tapgen.api import ApiRefs, add_api
from tapgen.config import StackConfig
from tapgen.data import DataRefs, add_data
from tapgen.diagram import diagram
from tapgen.function import FunctionRefs, add_function
from tapgen.iam import (
    IamRefs,
    add_access_log_delivery_role,
    add_api_gateway_account,
    add_function_role,
    add_iam,
    grant_consume_queue,
)
from tapgen.kms import EncryptionRefs, add_encryption
from tapgen.names import Naming
from tapgen.outputs import add_outputs
from tapgen.parameters import StackParameters, add_parameters
from tapgen.stack import TapStackRefs, add_tapstack, build_template, new_template, render, render_template

__all__ = [
    "AccessLogRefs",
    "AlarmRefs",
    "ApiRefs",
    "DataRefs",
    "EncryptionRefs",
    "FunctionRefs",
    "IamRefs",
    "Naming",
    "StackConfig",
    "StackParameters",
    "TapStackRefs",
    "add_access_log_delivery_role",
    "add_access_logs",
    "add_alarms",
    "add_api",
    "add_api_gateway_account",
    "add_data",
    "add_encryption",
    "add_function",
    "add_function_role",
    "add_iam",
    "add_outputs",
    "add_parameters",
    "add_tapstack",
    "build_template",
    "diagram",
    "grant_consume_queue",
    "new_template",
    "render",
    "render_template",
]
