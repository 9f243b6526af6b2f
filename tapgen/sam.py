"""AWS SAM properties that troposphere's ``serverless`` module does not model.

troposphere 4.11 lacks the REST API's usage plan, its CORS shape (``AllowOrigin``,
singular and quoted, unlike HTTP APIs' ``AllowOrigins``), the function's
``LogFormat`` and ``PropagateTags``. These subclasses keep those properties typed
and validated instead of falling back to raw dictionaries.
See https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
"""

from __future__ import annotations

from troposphere import AWSProperty, serverless
from troposphere.validators import boolean, integer


class Quota(AWSProperty):
    props = {"Limit": (integer, False), "Offset": (integer, False), "Period": (str, False)}


class Throttle(AWSProperty):
    props = {"BurstLimit": (integer, False), "RateLimit": (float, False)}


class UsagePlan(AWSProperty):
    props = {
        "CreateUsagePlan": (str, True),
        "Description": (str, False),
        "Quota": (Quota, False),
        "Tags": (list, False),
        "Throttle": (Throttle, False),
        "UsagePlanName": (object, False),
    }


class RestAuth(AWSProperty):
    props = {
        "AddApiKeyRequiredToCorsPreflight": (boolean, False),
        "AddDefaultAuthorizerToCorsPreflight": (boolean, False),
        "ApiKeyRequired": (boolean, False),
        "DefaultAuthorizer": (str, False),
        "UsagePlan": (UsagePlan, False),
    }


class RestCors(AWSProperty):
    props = {
        "AllowCredentials": (boolean, False),
        "AllowHeaders": (str, False),
        "AllowMethods": (str, False),
        "AllowOrigin": (str, True),
        "MaxAge": (str, False),
    }


class LoggingConfig(AWSProperty):
    props = {
        "ApplicationLogLevel": (str, False),
        "LogFormat": (str, False),
        "LogGroup": (object, False),
        "SystemLogLevel": (str, False),
    }


class Function(serverless.Function):
    props = {
        **serverless.Function.props,
        "LoggingConfig": (LoggingConfig, False),
        "PropagateTags": (boolean, False),
    }


class Api(serverless.Api):
    props = {
        **serverless.Api.props,
        "Auth": (RestAuth, False),
        "Cors": (RestCors, False),
        "PropagateTags": (boolean, False),
    }
